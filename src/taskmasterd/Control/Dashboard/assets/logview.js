// The log tail of the selected process: follows the API's log stream (the same one `taskmasterctl tail -f` reads),
// keeps only the last MAX_LINES lines, and draws at most once a frame, so a program flooding its output costs the
// page a bounded amount of memory and work however fast it writes. Pause stops the drawing, not the reading.

import { logPath } from './api.js';
import { segments, strip } from './ansi.js';

const MAX_LINES = 2000;
const MAX_LINE_CHARS = 4000;
const TAIL_BYTES = 16384;
const DOWNLOAD_BYTES = 4 * 1024 * 1024;

export class LogView {
  constructor(elements) {
    this.el = elements; // { log, status, pause, search, ansi, stream }
    this.lines = [];     // { serial, text }
    this.serial = 0;
    this.drawn = 0;      // serial of the last line drawn
    this.skipped = 0;    // lines that went by faster than the view keeps them
    this.paused = false;
    this.name = null;
    this.controller = null;
    this.frame = 0;
  }

  /** Follows <name>'s stream from the last TAIL_BYTES of its file; stops following the previous one. */
  follow(name) {
    this.stop();
    this.name = name;
    this.lines = [];
    this.skipped = 0;
    this.redraw();
    if (name == null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.read(name, this.el.stream.value, controller.signal).catch(error => {
      if (controller.signal.aborted) return;
      this.setStatus(`not following: ${error.message}`);
    });
  }

  stop() {
    this.controller?.abort();
    this.controller = null;
  }

  async read(name, stream, signal) {
    this.setStatus('connecting…');
    const response = await fetch(logPath(name, stream, `follow=true&offset=-${TAIL_BYTES}`), { signal, cache: 'no-store' });
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try { message = (await response.json()).message ?? message; } catch { /* not JSON */ }
      throw new Error(message);
    }
    this.setStatus('following');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let partial = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = partial + decoder.decode(value, { stream: true });
      const parts = text.split('\n');
      partial = parts.pop();
      if (partial.length > MAX_LINE_CHARS) { parts.push(partial); partial = ''; }
      this.add(parts);
    }
    if (!signal.aborted) this.setStatus('the log stream ended');
  }

  add(parts) {
    // A chunk longer than the view keeps only its tail: nothing else of it would ever be seen.
    if (parts.length > MAX_LINES) {
      this.skipped += parts.length - MAX_LINES;
      parts = parts.slice(parts.length - MAX_LINES);
    }
    for (const p of parts) {
      this.lines.push({ serial: ++this.serial, text: p.length > MAX_LINE_CHARS ? `${p.slice(0, MAX_LINE_CHARS)}…` : p });
    }
    if (this.lines.length > MAX_LINES) {
      const excess = this.lines.length - MAX_LINES;
      this.lines.splice(0, excess);
    }
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  setPaused(paused) {
    this.paused = paused;
    this.el.pause.setAttribute('aria-pressed', String(paused));
    this.el.pause.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) this.redraw();
    else this.showCounts();
  }

  /** Draws everything again (a new search, colours on or off, a resume). */
  redraw() {
    this.el.log.replaceChildren();
    this.drawn = 0;
    this.draw();
  }

  draw() {
    if (this.paused) { this.showCounts(); return; }
    const log = this.el.log;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const needle = this.el.search.value.toLowerCase();
    const fragment = document.createDocumentFragment();
    for (const line of this.lines) {
      if (line.serial <= this.drawn) continue;
      const plain = strip(line.text);
      if (needle && !plain.toLowerCase().includes(needle)) continue;
      fragment.append(this.render(line.text, plain, needle));
    }
    this.drawn = this.serial;
    log.append(fragment);
    while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
    if (atBottom) log.scrollTop = log.scrollHeight;
    this.showCounts();
  }

  render(text, plain, needle) {
    const div = document.createElement('div');
    if (needle) {
      // Search shows the plain text with the matches marked.
      let from = 0;
      const lower = plain.toLowerCase();
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
        div.append(plain.slice(from, at));
        const mark = document.createElement('mark');
        mark.textContent = plain.slice(at, at + needle.length);
        div.append(mark);
        from = at + needle.length;
      }
      div.append(plain.slice(from));
    } else if (this.el.ansi.checked) {
      for (const s of segments(text)) {
        if (s.classes.length === 0) { div.append(s.text); continue; }
        const span = document.createElement('span');
        span.className = s.classes.join(' ');
        span.textContent = s.text;
        div.append(span);
      }
    } else {
      div.textContent = plain;
    }
    return div;
  }

  showCounts() {
    const waiting = this.serial - this.drawn;
    const parts = [];
    if (this.paused) parts.push(`paused${waiting > 0 ? `, ${waiting} new line${waiting === 1 ? '' : 's'}` : ''}`);
    if (this.skipped > 0) parts.push(`${this.skipped} lines went by too fast to show`);
    if (parts.length > 0 || this.el.status.dataset.base) this.el.status.textContent = [this.el.status.dataset.base, ...parts].filter(Boolean).join(' · ');
  }

  setStatus(text) {
    this.el.status.dataset.base = text;
    this.el.status.textContent = text;
    this.showCounts();
  }

  /** Saves the last DOWNLOAD_BYTES of the log file (not only what the view holds). */
  async download() {
    if (this.name == null) return;
    const stream = this.el.stream.value;
    const response = await fetch(logPath(this.name, stream, `offset=-${DOWNLOAD_BYTES}&length=0`), { cache: 'no-store' });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
    const url = URL.createObjectURL(new Blob([body.data], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${stream}.log`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}
