// The twin's public REST API, and nothing else. Endpoints that a twin may not have yet (events, faults,
// history, jobs) resolve to NOT_AVAILABLE instead of throwing when they are absent or answer 404.
import * as auth from './auth.js';

const BASE = '/api/v1';

export const NOT_AVAILABLE = Symbol('not available');

export class ApiError extends Error {
  constructor(status, problem, url) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status} from ${url}`);
    this.status = status;
    this.problem = problem;
  }
}

// requests in flight, on <html data-busy>: a loading cue for styles, and what tests wait on
let busy = 0;
function track(delta) {
  busy += delta;
  document.documentElement.dataset.busy = String(busy);
}

async function request(method, url, body) {
  track(1);
  try {
    return await send(method, url, body);
  } finally {
    track(-1);
  }
}

async function send(method, url, body, retried = false) {
  const init = { method, headers: { Accept: 'application/json', ...auth.headers() } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    json = JSON.parse(text);
  }
  if (response.status === 401 && !retried) {
    // no key, or one the twin does not know: ask once, then try again with it
    const why = auth.key() ? 'The twin did not accept the key this page has.' : 'This twin requires an API key (reader role to look, operator to act).';
    if (await auth.requestKey(why)) return send(method, url, body, true);
  }
  if (response.status === 403 && !json?.detail) {
    json = { ...json, detail: 'your API key lacks the role for this (operator acts, reader looks)' };
  }
  if (!response.ok) throw new ApiError(response.status, json, url);
  return json;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Device ids contain '/': they travel percent-encoded as one path segment. */
export const deviceUrl = (id) => `${BASE}/devices/${encodeURIComponent(id)}`;

// Which optional endpoints this twin serves, read once from its OpenAPI document, so the page does not
// probe absent endpoints (and litter the console with 404s). Without the document every endpoint is tried.
let capabilities;

function template(path) {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/\/$/, '');
}

export function loadCapabilities() {
  capabilities ??= fetch('/openapi/v1.json', { headers: { Accept: 'application/json', ...auth.headers() } })
    .then((r) => (r.ok ? r.json() : null))
    .then((doc) => {
      if (!doc?.paths) return null;
      const set = new Set();
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) set.add(`${method.toUpperCase()} ${template(path)}`);
      }
      return set;
    })
    .catch(() => null);
  return capabilities;
}

/** True unless the OpenAPI document was read and lacks the endpoint. */
export async function has(method, path) {
  const set = await loadCapabilities();
  return set === null || set.has(`${method} ${template(path)}`);
}

async function optional(method, path, url, body) {
  if (!(await has(method, path))) return NOT_AVAILABLE;
  try {
    return await request(method, url, body);
  } catch (e) {
    // the twin's own 404s name what is unknown (a detail); a bare 404 means the route is not served
    if (e instanceof ApiError && (e.status === 405 || (e.status === 404 && !e.problem?.detail))) return NOT_AVAILABLE;
    throw e;
  }
}

export const api = {
  factory: () => request('GET', `${BASE}/factory`),
  /** The factory as history says it was: `at` is ISO-8601 or a span back such as -15m. */
  factoryAt: (at) => request('GET', `${BASE}/factory?at=${encodeURIComponent(at)}`),
  sites: () => request('GET', `${BASE}/sites`),
  site: (name) => request('GET', `${BASE}/sites/${encodeURIComponent(name)}`),
  devices: (filter) => request('GET', `${BASE}/devices${query(filter)}`),
  device: (id) => request('GET', deviceUrl(id)),

  /** Pages through every device matching the filter (limit 1,000 per page), calling onPage as pages land. */
  async allDevices(filter, onPage, signal) {
    const all = [];
    let cursor;
    do {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const page = await api.devices({ ...filter, limit: 1000, cursor });
      all.push(...page.items);
      onPage?.(page.items, all);
      cursor = page.next;
    } while (cursor);
    return all;
  },

  /** {deviceId, series: {metric: [{time, value}]}, capacity, resolution}; every metric unless one is named. */
  history: (id, { metric, since } = {}) =>
    optional('GET', `${BASE}/devices/{}/history`, `${deviceUrl(id)}/history${query({ metric, since })}`),
  faultKinds: () => optional('GET', `${BASE}/faults/kinds`, `${BASE}/faults/kinds`),
  events: (filter) => optional('GET', `${BASE}/events`, `${BASE}/events${query(filter)}`),
  faults: (filter) => optional('GET', `${BASE}/faults`, `${BASE}/faults${query(filter)}`),
  injectFault: (fault) => optional('POST', `${BASE}/faults`, `${BASE}/faults`, fault),
  repairFault: (id) => optional('DELETE', `${BASE}/faults/{}`, `${BASE}/faults/${encodeURIComponent(id)}`),
  jobs: () => optional('GET', `${BASE}/jobs`, `${BASE}/jobs`),
  streamUrl: `${BASE}/events/stream`,
};

/** The fault kinds (GET /faults/kinds is preferred when served), their targets and default parameters. */
export const FAULT_KINDS = [
  { kind: 'gpu-xid', target: 'gpu', params: { xid: '79' }, about: 'GPU reports an XID; 48/64/79/95/119/120 fail it, 63/74/92/94 degrade it' },
  { kind: 'gpu-thermal', target: 'gpu', params: { temperatureC: '90' }, about: 'GPU throttles on temperature' },
  { kind: 'hbm-error', target: 'gpu', params: {}, about: 'uncorrectable HBM error: the GPU fails until reset' },
  { kind: 'nvlink-down', target: 'gpu', params: {}, about: 'an NVLink of the GPU is down' },
  { kind: 'optic-degrade', target: 'link', params: { rxPowerDbm: '-9.5' }, about: 'optic loses margin: rx power drops, BER rises' },
  { kind: 'link-down', target: 'link', params: {}, about: 'link loses signal and goes down' },
  { kind: 'link-flap', target: 'link', params: {}, about: 'link flaps up and down' },
  { kind: 'switch-down', target: 'switch', params: {}, about: 'switch fails: every link on it goes down' },
  { kind: 'switch-port-down', target: 'switch', params: {}, about: 'one port of the switch goes down (parameters.link names the link)' },
  { kind: 'host-power-loss', target: 'host', params: {}, about: 'host loses power: its GPUs, NIC links and DPU fail' },
  { kind: 'storage-down', target: 'storage', params: {}, about: 'storage node goes offline' },
  { kind: 'storage-slow', target: 'storage', params: { latencyP99Ms: '120' }, about: 'storage node serves slowly' },
  { kind: 'dpu-failure', target: 'dpu', params: {}, about: 'DPU fails: the host loses its front-end network' },
  { kind: 'dci-cut', target: 'dci', params: {}, about: 'DCI fibre cut: the link (or every link of a pair) goes down' },
  { kind: 'dci-degrade', target: 'dci', params: { lossPct: '0.5' }, about: 'DCI link degrades: packet loss and extra latency' },
  { kind: 'site-power-loss', target: 'site', params: {}, about: 'whole site loses power' },
];

export const TARGET_HINTS = {
  gpu: 'a GPU id, e.g. east/gpu/h0001-0',
  link: 'a link id, e.g. east/link/h0001-0:leaf-00',
  switch: 'a switch id, e.g. east/switch/spine-00',
  host: 'a GPU or DPU of the host, or site/host/hNNNN, e.g. east/host/h0001',
  storage: 'a storage node id, e.g. east/storage/s00',
  dpu: 'a DPU id, e.g. east/dpu/h0001',
  dci: 'a DCI link id or a site pair, e.g. dci/east-west',
  site: 'a site name, e.g. east',
};
