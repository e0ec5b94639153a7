// The live feed: the API's server-sent event stream of state changes (GET /api/v1/events, the stream
// `taskmasterctl events` follows). Each change is shown at the next frame from the event itself; the full status
// (descriptions, exit codes, counts, CPU and memory) is fetched again at most once a second while changes come, so a
// thousand programs churning cost the daemon one status a second, not one per change. When the daemon goes away the
// page says so and reconnects by itself, then reloads the status (a restarted daemon has new pids and perhaps new
// programs).

const REFRESH_GAP_MS = 1000;
const IDLE_REFRESH_MS = 5000;

export class LiveFeed {
  constructor({ onEvent, refresh, onConnection }) {
    this.onEvent = onEvent;
    this.refresh = refresh;
    this.onConnection = onConnection;
    this.source = null;
    this.retry = 0;
    this.lastRefresh = 0;
    this.refreshTimer = 0;
    this.refreshing = false;
    this.pending = false;
    this.idleTimer = 0;
  }

  start() {
    this.connect();
    // CPU and memory change without any event: ask again now and then, only while somebody looks at the page.
    this.idleTimer = setInterval(() => { if (!document.hidden) this.requestRefresh(); }, IDLE_REFRESH_MS);
  }

  connect() {
    this.source?.close();
    const source = new EventSource('/api/v1/events');
    this.source = source;
    source.addEventListener('open', () => {
      this.retry = 0;
      this.onConnection(true);
      this.requestRefresh(true);
    });
    source.addEventListener('state', message => {
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      // Shown from the event at once; the status (descriptions, counts, a process added by update) follows.
      this.onEvent(event);
      this.requestRefresh();
    });
    source.addEventListener('error', () => {
      this.onConnection(false);
      // The browser retries a dropped stream by itself; an answer it will not retry (an HTTP error while the
      // daemon restarts) closes the source, so start a new one, waiting a little longer each time (up to 5 s).
      if (source.readyState === EventSource.CLOSED) {
        const delay = Math.min(5000, 250 * 2 ** this.retry++);
        setTimeout(() => { if (this.source === source) this.connect(); }, delay);
      }
    });
  }

  /** Fetches the status soon: at once when none was fetched for a second, else once the second is up. */
  requestRefresh(now = false) {
    if (this.refreshing) { this.pending = true; return; }
    if (this.refreshTimer) return;
    const wait = now ? 0 : Math.max(0, this.lastRefresh + REFRESH_GAP_MS - Date.now());
    this.refreshTimer = setTimeout(() => this.runRefresh(), wait);
  }

  async runRefresh() {
    this.refreshTimer = 0;
    this.refreshing = true;
    this.lastRefresh = Date.now();
    try {
      await this.refresh();
    } catch {
      // The stream's error handler reports the connection; the next event or reconnect asks again.
    } finally {
      this.refreshing = false;
      if (this.pending) { this.pending = false; this.requestRefresh(); }
    }
  }
}
