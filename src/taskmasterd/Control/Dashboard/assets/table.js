// The process table: one row per process, kept in a Map by full name. Changes mark rows dirty and are drawn at most
// once a frame, touching only the cells whose text changed, so a thousand programs changing state at once cost one
// pass over the dirty rows, not a rebuild. Every text goes in through textContent: names and descriptions are data.

import * as format from './format.js';

const stateOrder = ['RUNNING', 'STARTING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];
const problems = new Set(['BACKOFF', 'EXITED', 'FATAL', 'UNKNOWN']);

export class ProcessTable {
  constructor(tbody, totals, shown, empty) {
    this.tbody = tbody;
    this.totals = totals;
    this.shown = shown;
    this.empty = empty;
    this.rows = new Map();   // fullName → { data, tr, cells, lastEventAt }
    this.order = [];         // full names in display order
    this.dirty = new Set();
    this.frame = 0;
    this.skew = 0;           // server clock minus ours, in ms
    this.sort = { key: 'name', dir: 1 };
    this.filterText = '';
    this.filterState = '';
    this.selected = null;
    this.onSelect = () => {};
    this.onGroupAction = () => {};
    this.totalsKey = '';
  }

  /** Takes a whole status: adds and removes rows, updates the others. */
  load(status) {
    this.skew = Date.parse(status.daemon.now) - Date.now();
    const seen = new Set();
    let added = false;
    for (const p of status.processes) {
      const name = p.info.fullName;
      seen.add(name);
      let row = this.rows.get(name);
      if (!row) { row = this.create(name); added = true; }
      // An event newer than this snapshot already said more about the state: keep what it said.
      const snapshotAt = Date.parse(p.info.now);
      if (row.lastEventAt > snapshotAt && row.data) {
        p.info.state = row.data.info.state;
        p.info.pid = row.data.info.pid;
      }
      row.data = p;
      this.dirty.add(name);
    }
    for (const [name, row] of this.rows) {
      if (seen.has(name)) continue;
      row.tr.remove();
      this.rows.delete(name);
      this.dirty.delete(name);
      if (this.selected === name) this.select(null);
    }
    if (added || this.sort.key !== 'name') this.resort();
    this.schedule();
  }

  /** A state change from the event stream: shown at the next frame, without asking the daemon. */
  applyEvent(event) {
    const row = this.rows.get(event.fullName);
    if (!row?.data) return false;
    const at = Date.parse(event.at);
    row.lastEventAt = Number.isNaN(at) ? Date.now() + this.skew : at;
    const info = row.data.info;
    info.state = event.to;
    info.pid = event.pid;
    if (event.to === 'RUNNING' || event.to === 'STARTING') info.start = event.at;
    if (event.to !== 'RUNNING') info.description = '';
    this.dirty.add(event.fullName);
    this.schedule();
    return true;
  }

  create(name) {
    const tr = document.createElement('tr');
    tr.dataset.name = name;
    tr.tabIndex = -1;
    const cells = {};
    for (const key of ['name', 'group', 'state', 'pid', 'desc', 'restarts', 'cpu', 'memory', 'health', 'deps']) {
      const td = document.createElement('td');
      td.className = key;
      if (['pid', 'restarts', 'cpu', 'memory'].includes(key)) td.classList.add('num');
      tr.append(td);
      cells[key] = td;
    }
    const badge = document.createElement('span');
    badge.className = 'badge';
    cells.state.append(badge);
    cells.badge = badge;
    tr.addEventListener('click', () => this.select(name));
    const row = { data: null, tr, cells, lastEventAt: 0, text: {} };
    this.rows.set(name, row);
    this.tbody.append(tr);
    return row;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    for (const name of this.dirty) {
      const row = this.rows.get(name);
      if (row?.data) this.drawRow(row);
    }
    this.dirty.clear();
    this.applyFilter();
    this.drawTotals();
    if (this.selected) this.onSelect(this.selected, this.rows.get(this.selected)?.data ?? null, false);
  }

  description(info) {
    if (info.state === 'RUNNING' && info.start) {
      const started = Date.parse(info.start);
      if (!Number.isNaN(started)) return `pid ${info.pid}, uptime ${format.uptime((Date.now() + this.skew - started) / 1000)}`;
    }
    return info.description ?? '';
  }

  drawRow(row) {
    const p = row.data;
    const info = p.info;
    set(row, 'name', info.name);
    set(row, 'group', info.group);
    if (row.text.state !== info.state) {
      row.text.state = info.state;
      row.cells.badge.textContent = info.state;
      row.cells.badge.className = `badge s-${info.state}`;
      row.tr.dataset.state = info.state;
    }
    set(row, 'pid', info.pid ? String(info.pid) : '');
    set(row, 'desc', this.description(info));
    set(row, 'restarts', String(p.restarts));
    set(row, 'cpu', format.cpu(p.cpuSeconds));
    set(row, 'memory', format.bytes(p.residentBytes));
    set(row, 'health', format.health(info));
    row.cells.health.classList.toggle('bad', format.healthIsBad(info));
    set(row, 'deps', (info.dependsOn ?? []).join(', '));
  }

  /** Uptimes move on by themselves; only running rows are touched. */
  tick() {
    for (const row of this.rows.values()) {
      if (row.data?.info.state === 'RUNNING') set(row, 'desc', this.description(row.data.info));
    }
  }

  setFilter(text, state) {
    this.filterText = text.trim().toLowerCase();
    this.filterState = state;
    this.applyFilter();
  }

  matches(info) {
    if (this.filterText && !info.fullName.toLowerCase().includes(this.filterText)) return false;
    if (this.filterState === 'problem') return problems.has(info.state);
    return !this.filterState || info.state === this.filterState;
  }

  applyFilter() {
    let visible = 0;
    for (const row of this.rows.values()) {
      if (!row.data) continue;
      const show = this.matches(row.data.info);
      if (row.tr.hidden === show) row.tr.hidden = !show;
      if (show) visible++;
    }
    this.shown.textContent = `${visible} of ${this.rows.size} shown`;
    this.empty.hidden = visible > 0;
  }

  setSort(key) {
    this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : 1 };
    this.resort();
    return this.sort;
  }

  resort() {
    const { key, dir } = this.sort;
    const value = row => {
      const p = row.data;
      if (!p) return '';
      switch (key) {
        case 'group': return `${p.info.group}\u0000${p.info.fullName}`;
        case 'state': return stateOrder.indexOf(p.info.state);
        case 'pid': return p.info.pid ?? 0;
        case 'uptime': return p.info.state === 'RUNNING' && p.info.start ? -Date.parse(p.info.start) : -Infinity;
        case 'restarts': return p.restarts;
        case 'cpu': return p.cpuSeconds ?? -1;
        case 'memory': return p.residentBytes ?? -1;
        default: return p.info.fullName;
      }
    };
    const rows = [...this.rows.values()];
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.tr.dataset.name < b.tr.dataset.name ? -1 : 1;
    });
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(row.tr);
    this.tbody.append(fragment);
  }

  /** Totals by state over everything, and per group for groups of more than one process (with their actions). */
  drawTotals() {
    const all = new Map();
    const groups = new Map();
    for (const row of this.rows.values()) {
      if (!row.data) continue;
      const { group, state } = row.data.info;
      all.set(state, (all.get(state) ?? 0) + 1);
      if (!groups.has(group)) groups.set(group, new Map());
      const g = groups.get(group);
      g.set(state, (g.get(state) ?? 0) + 1);
    }
    const multi = [...groups].filter(([, counts]) => [...counts.values()].reduce((a, b) => a + b, 0) > 1)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const key = JSON.stringify([[...all], multi.map(([g, c]) => [g, [...c]])]);
    if (key === this.totalsKey) return;
    this.totalsKey = key;
    const nodes = [this.totalsNode('all', this.rows.size, all, false)];
    for (const [group, counts] of multi) {
      nodes.push(this.totalsNode(group, [...counts.values()].reduce((a, b) => a + b, 0), counts, true));
    }
    this.totals.replaceChildren(...nodes);
  }

  totalsNode(label, total, counts, actions) {
    const span = document.createElement('span');
    span.className = 'group';
    span.dataset.group = label;
    const b = document.createElement('b');
    b.textContent = label;
    span.append(b, ` ${total}:`);
    for (const state of stateOrder) {
      const n = counts.get(state);
      if (!n) continue;
      const s = document.createElement('span');
      s.className = `t-${state}`;
      s.textContent = `${n} ${state}`;
      span.append(' ', s);
    }
    if (actions) {
      for (const act of ['start', 'stop', 'restart']) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = act;
        button.title = `${act} every process of ${label}`;
        button.addEventListener('click', () => this.onGroupAction(act, label));
        span.append(' ', button);
      }
    }
    return span;
  }

  select(name) {
    if (this.selected) this.rows.get(this.selected)?.tr.removeAttribute('aria-selected');
    this.selected = name;
    const row = name ? this.rows.get(name) : null;
    if (row) {
      row.tr.setAttribute('aria-selected', 'true');
      row.tr.scrollIntoView({ block: 'nearest' });
    }
    this.onSelect(name, row?.data ?? null, true);
  }

  /** Moves the selection to the next (+1) or previous (-1) visible row. */
  move(step) {
    const visible = [...this.tbody.children].filter(tr => !tr.hidden);
    if (visible.length === 0) return;
    const at = visible.findIndex(tr => tr.dataset.name === this.selected);
    const next = at < 0 ? (step > 0 ? 0 : visible.length - 1) : Math.min(visible.length - 1, Math.max(0, at + step));
    this.select(visible[next].dataset.name);
  }
}

function set(row, key, text) {
  if (row.text[key] === text) return;
  row.text[key] = text;
  row.cells[key].textContent = text;
}
