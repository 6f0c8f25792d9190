// The live event feed: one EventSource for the whole page, backed by GET /events to fill the start and any
// gap. Views subscribe; every event reaches them once, in sequence order.
import { api, has, NOT_AVAILABLE } from './api.js';

const MAX_EVENTS = 2000;
// SSE events carry their kind as the event name; EventSource only delivers names it listens for,
// so the kinds the twin emits are listed here and a periodic GET /events catches any other.
const KNOWN_KINDS = [
  'message', 'health-changed', 'state-changed', 'bulk-change', 'fault-injected', 'fault-repaired',
  'fault-detected', 'fault-cleared', 'fault-summary', 'job-started', 'job-changed', 'job-stopped', 'job-failed',
  'job-restarted', 'checkpoint', 'scenario-started', 'scenario-finished', 'site-changed',
];
const GAP_FILL_MS = 10000;

const listeners = new Set();
const statusListeners = new Set();
const events = [];
let last = 0;
const seen = new Set();
let status = { state: 'connecting', text: 'connecting…' };
let source = null;
let started = false;

function setStatus(state, text) {
  status = { state, text };
  for (const fn of statusListeners) fn(status);
}

function accept(batch, { fresh }) {
  const added = [];
  for (const e of batch) {
    if (!Number.isFinite(e.sequence) || seen.has(e.sequence)) continue;
    seen.add(e.sequence);
    last = Math.max(last, e.sequence);
    events.push(e);
    added.push(e);
  }
  if (!added.length) return;
  events.sort((a, b) => a.sequence - b.sequence);
  if (events.length > MAX_EVENTS) {
    for (const e of events.splice(0, events.length - MAX_EVENTS)) seen.delete(e.sequence);
  }
  added.sort((a, b) => a.sequence - b.sequence);
  for (const fn of listeners) fn(added, { fresh });
}

/** Reads history after a sequence number (all of it, page by page, up to a bound). */
async function fill(since, { fresh = true, pages = 5 } = {}) {
  let cursor = since;
  for (let i = 0; i < pages; i++) {
    const page = await api.events({ since: cursor, limit: 500 });
    if (page === NOT_AVAILABLE) return false;
    const items = page.items ?? [];
    accept(items, { fresh });
    if (items.length < 500) break;
    cursor = items[items.length - 1].sequence;
  }
  return true;
}

/** The latest n events: ask where the history ends, then read the tail. */
async function tail(n) {
  const head = await api.events({ limit: 1 });
  if (head === NOT_AVAILABLE) return false;
  const end = head.last ?? 0;
  return fill(Math.max(0, end - n, (head.oldest ?? 1) - 1), { fresh: false, pages: 1 });
}

function connect() {
  // start where the history read ended; on reconnects EventSource sends Last-Event-ID, which wins
  source = new EventSource(`${api.streamUrl}?since=${last}`);
  const onEvent = (message) => {
    try {
      const e = JSON.parse(message.data);
      e.sequence ??= Number(message.lastEventId);
      accept([e], { fresh: true });
    } catch {
      // a malformed frame is skipped; the next gap fill brings the event from history
    }
  };
  for (const kind of KNOWN_KINDS) source.addEventListener(kind, onEvent);
  // the server may hold its headers until the first event, so 'open' can come late: the feed is live as
  // soon as the request stands, and only an error says otherwise
  setStatus('live', 'live');
  const mark = last;
  source.addEventListener('open', () => {
    setStatus('live', 'live');
    // whatever happened between the first read and the stream's start
    fill(mark).catch(() => {});
  });
  source.addEventListener('error', () => {
    // EventSource retries by itself (sending Last-Event-ID); CLOSED means the server refused the stream
    if (source.readyState === EventSource.CLOSED) {
      setStatus('polling', 'live stream not available; polling');
    } else {
      setStatus('reconnecting', 'reconnecting…');
    }
  });
}

/** Starts the feed once; safe to call from every view. */
export async function start() {
  if (started) return;
  started = true;
  if (!(await has('GET', '/api/v1/events'))) {
    setStatus('unavailable', 'events not available; refreshing by polling');
    return;
  }
  try {
    await tail(300);
  } catch {
    // the status line tells the operator; views still work from their own reads
  }
  if (await has('GET', '/api/v1/events/stream')) connect();
  else setStatus('polling', 'live stream not available; polling');
  setInterval(() => fill(last).catch(() => {}), GAP_FILL_MS);
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function onStatus(fn) {
  statusListeners.add(fn);
  fn(status);
  return () => statusListeners.delete(fn);
}

export const recent = () => events.slice();
export const isLive = () => status.state === 'live';
