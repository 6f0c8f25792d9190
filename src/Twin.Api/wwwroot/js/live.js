// The live event feed: one SSE stream for the whole page, backed by GET /events to fill the start and any
// gap. Views subscribe; every event reaches them once, in sequence order. The stream is read with fetch,
// not EventSource, so it carries the API key in a header like every other request (EventSource cannot).
import { api } from './api.js';
import * as auth from './auth.js';

const MAX_EVENTS = 2000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;
const GAP_FILL_MS = 10000;

const listeners = new Set();
const statusListeners = new Set();
const events = [];
let last = 0;
const seen = new Set();
let status = { state: 'connecting', text: 'connecting…' };
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
  const end = head.last ?? 0;
  return fill(Math.max(0, end - n, (head.oldest ?? 1) - 1), { fresh: false, pages: 1 });
}

// Splits an SSE body into frames ({id, event, data}) as bytes arrive.
async function readFrames(body, onFrame) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + buffer.slice(end).match(/^\r?\n\r?\n/)[0].length);
      const frame = { id: null, event: 'message', data: [] };
      for (const line of block.split(/\r?\n/)) {
        if (!line || line.startsWith(':')) continue; // comments keep the connection alive
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') frame.data.push(text);
        else if (field === 'id') frame.id = text;
        else if (field === 'event') frame.event = text;
      }
      if (frame.data.length) onFrame(frame);
    }
  }
}

function onFrame(frame) {
  try {
    const e = JSON.parse(frame.data.join('\n'));
    e.sequence ??= Number(frame.id);
    accept([e], { fresh: true });
  } catch {
    // a malformed frame is skipped; the next gap fill brings the event from history
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect() {
  let retry = RETRY_MIN_MS;
  for (;;) {
    // start where the history read ended; a reconnect resumes after the last event seen (Last-Event-ID)
    const headers = { Accept: 'text/event-stream', ...auth.headers() };
    if (last) headers['Last-Event-ID'] = String(last);
    // the server may hold its headers until the first event: the feed is live as soon as the request
    // stands, and only a failure says otherwise
    setStatus('live', 'live');
    const mark = last;
    try {
      const response = await fetch(`${api.streamUrl}?since=${last}`, { headers, cache: 'no-store' });
      if (response.status === 401) {
        setStatus('reconnecting', 'API key needed for the live feed');
        if (await auth.requestKey('The live event feed needs an API key with the reader role.')) continue;
        setStatus('polling', 'no API key: live feed off');
        return;
      }
      if (response.status === 403 || response.status === 404 || response.status === 405) {
        setStatus('polling', 'live stream not available; polling');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      retry = RETRY_MIN_MS;
      // whatever happened between the first read and the stream's start
      fill(mark).catch(() => {});
      await readFrames(response.body, onFrame);
    } catch {
      // dropped or refused: retry below, with back-off
    }
    setStatus('reconnecting', 'reconnecting…');
    await sleep(retry);
    retry = Math.min(retry * 2, RETRY_MAX_MS);
  }
}

/** Starts the feed once; safe to call from every view. */
export async function start() {
  if (started) return;
  started = true;
  try {
    await tail(300);
  } catch {
    // the status line tells the operator; views still work from their own reads
  }
  connect();
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
