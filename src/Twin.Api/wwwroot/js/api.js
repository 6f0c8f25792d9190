// The twin's public REST API, and nothing else: the page is served by the same silo, so every endpoint is there.
import * as auth from './auth.js';

const BASE = '/api/v1';

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
    request('GET', `${deviceUrl(id)}/history${query({ metric, since })}`),
  faultKinds: () => request('GET', `${BASE}/faults/kinds`),
  events: (filter) => request('GET', `${BASE}/events${query(filter)}`),
  faults: (filter) => request('GET', `${BASE}/faults${query(filter)}`),
  injectFault: (fault) => request('POST', `${BASE}/faults`, fault),
  repairFault: (id) => request('DELETE', `${BASE}/faults/${encodeURIComponent(id)}`),
  jobs: () => request('GET', `${BASE}/jobs`),
  streamUrl: `${BASE}/events/stream`,
};

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
