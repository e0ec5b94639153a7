// The daemon's JSON API, as the page uses it, and the results worded as taskmasterctl words them
// (src/taskmasterctl/Commands/ProcessResults.cs, FaultTable.cs, Verbs/RereadCommand.cs, Verbs/UpdateCommand.cs).
// Every action is a POST with a JSON body: the daemon refuses any other media type (docs/SECURITY.md), so a page of
// another site can never make the browser act here.

/** GET a JSON document; throws an Error with the API's message on a failure. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  return readJson(response);
}

/** POST a JSON body; answers { ok, body } where body is the API's result or its error ({ code, error, message }). */
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    cache: 'no-store',
  });
  let parsed = null;
  try { parsed = await response.json(); } catch { parsed = { error: 'ERROR', message: `HTTP ${response.status}` }; }
  return { ok: response.ok, body: parsed };
}

async function readJson(response) {
  let parsed = null;
  try { parsed = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) throw new Error(parsed?.message ?? `HTTP ${response.status}`);
  return parsed;
}

// FaultTable: supervisorctl's reason for each fault; FAILED prefers the daemon's own message.
const reasons = {
  BAD_NAME: 'no such process', NO_FILE: 'no such file', NOT_EXECUTABLE: 'file is not executable',
  ALREADY_STARTED: 'already started', SPAWN_ERROR: 'spawn error', ABNORMAL_TERMINATION: 'abnormal termination',
  NOT_RUNNING: 'not running', BAD_SIGNAL: 'bad signal name',
};

function reason(result) {
  if (result.error === 'FAILED') return result.message ?? 'failed';
  return reasons[result.error] ?? result.message ?? result.error ?? 'error';
}

/** The lines taskmasterctl prints for a start/stop/signal/clear answer: `web: stopped`, `web: ERROR (not running)`. */
export function processLines(answer, success, names) {
  if (!answer.ok) {
    // The whole request failed (a bad signal name, a malformed request): taskmasterctl words it per name.
    const why = answer.body.error === 'BAD_SIGNAL' ? reasons.BAD_SIGNAL : (answer.body.message ?? answer.body.error);
    return names.map(n => ({ text: `${n}: ERROR (${why})`, ok: false }));
  }
  return answer.body.results.map(r => {
    if (r.ok) return { text: `${r.name}: ${success}`, ok: true };
    if (r.unknown === 'group') return { text: `${r.name.split(':')[0]}: ERROR (no such group)`, ok: false };
    return { text: `${r.name}: ERROR (${reason(r)})`, ok: false };
  });
}

/** The lines of reread: `web: changed`, `new: available`, `old: disappeared`, or that nothing changed. */
export function rereadLines(changes) {
  const lines = [
    ...changes.added.map(n => [n, 'available']),
    ...changes.changed.map(n => [n, 'changed']),
    ...changes.removed.map(n => [n, 'disappeared']),
  ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([n, what]) => `${n}: ${what}`);
  if (lines.length === 0) lines.push('No config updates to processes');
  for (const sentence of changes.restartRequired ?? []) lines.push(`WARNING: ${sentence}`);
  return lines;
}

/** The lines of update, one per group (`web: updated process group`, `old: stopped`, `old: removed process group`). */
export function updateLines(answer) {
  if (!answer.ok) return [{ text: cantReread(answer.body), ok: false }];
  const lines = [];
  const saidStopped = new Set(answer.body.results.filter(r => r.ok && r.action === 'stopped').map(r => r.group));
  for (const r of answer.body.results) {
    if (r.ok && r.action === 'removed process group' && !saidStopped.has(r.group)) {
      saidStopped.add(r.group);
      lines.push({ text: `${r.group}: stopped`, ok: true });
    }
    lines.push({
      ok: r.ok,
      text: r.ok ? `${r.group}: ${r.action}`
        : r.error === 'BAD_NAME' ? `ERROR: no such group: ${r.group}`
        : r.error === 'CANT_REREAD' ? `ERROR: CANT_REREAD: ${r.message}`
        : `${r.group}: ${r.message ?? r.action}`,
    });
  }
  return lines;
}

/** An answer that failed as a whole (reread of a broken file): `ERROR: CANT_REREAD: ...`. */
export function cantReread(error) {
  return error.error === 'CANT_REREAD' ? `ERROR: CANT_REREAD: ${error.message}` : `ERROR: ${error.message ?? error.error}`;
}

/** The path of a process's log (follow or a slice). */
export function logPath(fullName, stream, query) {
  return `/api/v1/processes/${encodeURIComponent(fullName)}/log?stream=${stream}&${query}`;
}
