// ANSI escape sequences in log lines: SGR colours and weights become class names on spans (rendered with
// textContent, never as markup); every other control sequence is dropped, so a cursor movement or a title change
// in a program's output cannot reach the page.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), two-byte escapes, and C0 controls but tab.
const controls = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g;
const sgr = /\x1b\[([0-9;]*)m/g;

/** The text without any escape sequence. */
export function strip(text) {
  return text.replace(controls, '');
}

/** Segments [{ text, classes }] of a line, its SGR sequences turned into classes. */
export function segments(text) {
  const out = [];
  let state = { fg: null, bg: null, b: false, d: false, i: false, u: false };
  let last = 0;
  sgr.lastIndex = 0;
  for (let m = sgr.exec(text); m; m = sgr.exec(text)) {
    push(out, text.slice(last, m.index), state);
    state = apply(state, m[1]);
    last = sgr.lastIndex;
  }
  push(out, text.slice(last), state);
  return out;
}

function push(out, raw, state) {
  const text = strip(raw);
  if (text.length === 0) return;
  const classes = [];
  if (state.fg) classes.push(`f${state.fg}`);
  if (state.bg) classes.push(`b${state.bg}`);
  if (state.b) classes.push('a-b');
  if (state.d) classes.push('a-d');
  if (state.i) classes.push('a-i');
  if (state.u) classes.push('a-u');
  out.push({ text, classes });
}

function apply(prev, params) {
  const s = { ...prev };
  const codes = params.length === 0 ? [0] : params.split(';').map(x => parseInt(x || '0', 10));
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k];
    if (c === 0) Object.assign(s, { fg: null, bg: null, b: false, d: false, i: false, u: false });
    else if (c === 1) s.b = true;
    else if (c === 2) s.d = true;
    else if (c === 3) s.i = true;
    else if (c === 4) s.u = true;
    else if (c === 22) { s.b = false; s.d = false; }
    else if (c === 23) s.i = false;
    else if (c === 24) s.u = false;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) s.fg = c;
    else if (c === 39) s.fg = null;
    else if (c >= 40 && c <= 47) s.bg = c;
    else if (c >= 100 && c <= 107) s.bg = c - 60;
    else if (c === 49) s.bg = null;
    else if (c === 38 || c === 48) k += codes[k + 1] === 5 ? 2 : codes[k + 1] === 2 ? 4 : 0; // 256/true colour: skipped
  }
  return s;
}
