// The dashboard page: wires the process table, the live feed, the log view and the actions together.
// Loaded as a module from /dashboard/app.js (the page has no inline script: its Content-Security-Policy forbids it).

import { getJson, postJson, processLines, rereadLines, updateLines, cantReread } from './api.js';
import { ProcessTable } from './table.js';
import { LiveFeed } from './live.js';
import { LogView } from './logview.js';
import * as format from './format.js';

const $ = id => document.getElementById(id);

const table = new ProcessTable($('rows'), $('totals'), $('shown'), $('empty'));
const logView = new LogView({
  log: $('log'), status: $('log-status'), pause: $('log-pause'), search: $('log-search'), ansi: $('log-ansi'), stream: $('log-stream'),
});
let daemon = null;

async function refresh() {
  const status = await getJson('/api/v1/dashboard');
  daemon = status.daemon;
  daemon.skew = Date.parse(daemon.now) - Date.now();
  $('identifier').textContent = daemon.identifier;
  document.title = `${daemon.identifier} · taskmaster`;
  $('version').textContent = daemon.version;
  $('daemon-pid').textContent = String(daemon.pid);
  $('config-file').textContent = daemon.configFile ?? '(none)';
  drawDaemonUptime();
  table.load(status);
}

function drawDaemonUptime() {
  if (!daemon) return;
  $('daemon-uptime').textContent = format.uptime((Date.now() + daemon.skew - Date.parse(daemon.startedAt)) / 1000);
}

let connected = false;

function setConnection(up) {
  // Back after a disconnection (a daemon restart ended the log stream too): follow the selected log again.
  if (up && !connected && daemon && table.selected) logView.follow(table.selected);
  connected = up;
  const el = $('connection');
  el.textContent = up ? 'live' : 'disconnected: reconnecting…';
  el.className = `conn ${up ? 'conn-up' : 'conn-down'}`;
}

// Results, worded as taskmasterctl words them; newest first, the last 200 kept.
function report(lines) {
  const results = $('results');
  const time = new Date().toLocaleTimeString();
  for (const line of lines.slice().reverse()) {
    const div = document.createElement('div');
    div.className = line.ok ? 'good' : 'bad';
    const t = document.createElement('span');
    t.className = 'time';
    t.textContent = time;
    div.append(t, line.text);
    results.prepend(div);
  }
  while (results.childElementCount > 200) results.lastElementChild.remove();
}

async function act(verb, names, extra = {}) {
  const success = { start: 'started', stop: 'stopped', signal: 'signalled', clear: 'cleared' };
  try {
    if (verb === 'restart') {
      // taskmasterctl's restart: a stop, then a start, each reported.
      const stopped = await postJson('/api/v1/processes/stop', { names });
      const started = await postJson('/api/v1/processes/start', { names });
      report([...processLines(stopped, 'stopped', names), ...processLines(started, 'started', names)]);
      return;
    }
    const answer = await postJson(`/api/v1/processes/${verb}`, { names, ...extra });
    report(processLines(answer, success[verb], names));
  } catch (error) {
    report([{ text: `ERROR: ${error.message}`, ok: false }]);
  }
}

/** Asks first; resolves true on OK. */
function confirmFirst(title, text, okLabel) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  return new Promise(resolve => {
    const done = value => {
      $('confirm-ok').onclick = null;
      $('confirm-cancel').onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(value);
    };
    $('confirm-ok').onclick = () => done(true);
    $('confirm-cancel').onclick = () => done(false);
    dialog.onclose = () => done(false);
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

async function rereadAndUpdate() {
  const reread = await postJson('/api/v1/reread', {});
  if (!reread.ok) { report([{ text: cantReread(reread.body), ok: false }]); return; }
  const lines = rereadLines(reread.body);
  const changed = reread.body.added.length + reread.body.changed.length + reread.body.removed.length > 0;
  if (!changed) { report(lines.map(text => ({ text, ok: true }))); return; }
  if (!await confirmFirst('Apply these changes (update)?', lines.join('\n'), 'Update')) return;
  report(updateLines(await postJson('/api/v1/update', { groups: [] })));
}

function showDetail(name, data, changed) {
  const aside = $('detail');
  aside.hidden = name == null;
  if (name == null) { logView.follow(null); return; }
  $('detail-name').textContent = name;
  if (data) {
    const state = $('detail-state');
    const badge = document.createElement('span');
    badge.className = `badge s-${data.info.state}`;
    badge.textContent = data.info.state;
    state.replaceChildren(badge, ` ${table.description(data.info)}`);
    $('detail-group').textContent = data.info.group;
  }
  if (changed) logView.follow(name);
}

table.onSelect = showDetail;
table.onGroupAction = (verb, group) => act(verb, [`${group}:*`]);

// The detail panel's buttons act on the selected process, or its group.
for (const button of document.querySelectorAll('[data-act]')) {
  button.addEventListener('click', () => {
    if (!table.selected) return;
    const verb = button.dataset.act;
    act(verb, [table.selected], verb === 'signal' ? { signal: $('signal-name').value } : {});
  });
}
for (const button of document.querySelectorAll('[data-group-act]')) {
  button.addEventListener('click', () => {
    const data = table.selected ? table.rows.get(table.selected)?.data : null;
    if (data) act(button.dataset.groupAct, [`${data.info.group}:*`]);
  });
}

$('start-all').addEventListener('click', () => act('start', ['all']));
$('restart-all').addEventListener('click', () => act('restart', ['all']));
$('stop-all').addEventListener('click', async () => {
  if (await confirmFirst('Stop every process?', `${table.rows.size} processes will be stopped.`, 'Stop all')) act('stop', ['all']);
});
$('reread').addEventListener('click', () => rereadAndUpdate().catch(e => report([{ text: `ERROR: ${e.message}`, ok: false }])));

const applyFilter = () => table.setFilter($('filter').value, $('state-filter').value);
$('filter').addEventListener('input', applyFilter);
$('state-filter').addEventListener('change', applyFilter);

for (const th of document.querySelectorAll('th[data-sort]')) {
  th.addEventListener('click', () => {
    const sort = table.setSort(th.dataset.sort);
    for (const other of document.querySelectorAll('th[data-sort]')) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
  });
}

$('log-pause').addEventListener('click', () => logView.setPaused(!logView.paused));
$('log-search').addEventListener('input', () => logView.redraw());
$('log-ansi').addEventListener('change', () => logView.redraw());
$('log-stream').addEventListener('change', () => logView.follow(table.selected));
$('log-download').addEventListener('click', () => logView.download().catch(e => report([{ text: `ERROR: ${e.message}`, ok: false }])));

document.addEventListener('keydown', event => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || $('confirm').open;
  if (event.key === 'Escape' && event.target === $('filter')) { $('filter').value = ''; applyFilter(); $('filter').blur(); return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const selected = table.selected;
  switch (event.key) {
    case '/': event.preventDefault(); $('filter').focus(); break;
    case 'ArrowDown': case 'j': event.preventDefault(); table.move(1); break;
    case 'ArrowUp': case 'k': event.preventDefault(); table.move(-1); break;
    case 'Escape': table.select(null); break;
    case 's': if (selected) act('start', [selected]); break;
    case 'x': if (selected) act('stop', [selected]); break;
    case 'r': if (selected) act('restart', [selected]); break;
    default: return;
  }
});

setInterval(() => { if (!document.hidden) { table.tick(); drawDaemonUptime(); } }, 1000);
new LiveFeed({ onEvent: e => table.applyEvent(e), refresh, onConnection: setConnection }).start();
