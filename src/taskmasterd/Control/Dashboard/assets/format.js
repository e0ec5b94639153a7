// How the page writes figures: supervisorctl's uptime, CPU seconds, memory sizes.

/** supervisorctl's uptime: `0:01:02`, `2 days, 3:04:05`. */
export function uptime(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const days = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

export function cpu(seconds) {
  if (seconds == null) return '';
  return seconds < 100 ? `${seconds.toFixed(2)} s` : `${Math.round(seconds)} s`;
}

export function bytes(n) {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

/** Health in words: readiness, liveness, waiting for a dependency, a failed check. */
export function health(info) {
  const parts = [];
  if (info.waitingFor) parts.push(`waiting for ${info.waitingFor}`);
  if (info.dependencyFailure) parts.push(info.dependencyFailure);
  if (info.ready === true) parts.push('ready');
  if (info.ready === false) parts.push('not ready');
  if (info.live === true) parts.push('live');
  if (info.live === false) parts.push('not live');
  if (info.healthFailure) parts.push(info.healthFailure);
  return parts.join('; ');
}

/** Whether the health words report a problem (coloured, besides the words). */
export function healthIsBad(info) {
  return info.ready === false || info.live === false || !!info.healthFailure || !!info.dependencyFailure;
}
