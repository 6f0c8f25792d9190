// Device view: the mirrored state of one device, its attributes, metric sparklines, faults (with repair)
// and the events that mention it.
import { api, ApiError } from '../api.js';
import { h, mount, fmt, sparkline, confirmDialog, toast, errorBox, deviceLink } from '../render.js';
import { badge } from '../health.js';
import * as live from '../live.js';
import { eventRow } from './events.js';

const POLL_MS = 1000;
const HISTORY_WINDOW_MS = 30 * 60 * 1000;
const MAX_POINTS = 240;
// metrics the twin reports as 0..1 fractions
const RATIOS = new Set(['utilization', 'tensor_active']);
const LINKED_ATTRIBUTES = new Set(['endpointA', 'endpointB']);

export async function render(main, { id }) {
  document.title = `${id} · AI Factory Twin`;
  const site = id.split('/')[0];
  const healthBox = h('span', { id: 'device-health' });
  const facts = h('dl', { class: 'attrs' });
  const metricsBox = h('div', { class: 'table-wrap' });
  const attrsBox = h('div');
  const faultsBox = h('div', { id: 'device-faults' });
  const eventsBox = h('div');
  mount(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Factory'), ' › ',
      site === 'dci' ? 'dci' : h('a', { href: `#/site/${encodeURIComponent(site)}` }, site), ' › device'),
    h('h1', {}, h('span', { class: 'mono' }, id), ' ', healthBox),
    h('div', { class: 'grid-2' },
      h('section', { 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, 'State'), h('div', { class: 'panel' }, facts),
        h('h2', {}, 'Metrics'), metricsBox),
      h('section', {},
        h('h2', {}, 'Faults'), faultsBox,
        h('p', {}, h('a', { href: `#/actions?target=${encodeURIComponent(id)}` }, 'Inject a fault on this device…')),
        h('h2', {}, 'Attributes'), h('div', { class: 'panel' }, attrsBox),
        h('h2', {}, 'Events'), eventsBox)));

  const series = new Map(); // metric → [{time, value}]
  let historyLoaded = false;
  let current = null;
  let stopped = false;
  let timer = null;

  async function loadHistory() {
    historyLoaded = true;
    try {
      const hist = await api.history(id, { since: new Date(Date.now() - HISTORY_WINDOW_MS).toISOString() });
      for (const [m, points] of Object.entries(hist.series ?? {})) {
        if (!points.length) continue;
        const end = points[points.length - 1].time;
        const known = series.get(m) ?? [];
        series.set(m, [...points, ...known.filter((p) => p.time > end)].slice(-MAX_POINTS));
      }
    } catch {
      // without history each metric keeps the trail this page records
    }
  }

  // one read at a time: an event arriving mid-read asks for one more read after it
  let inflight = null;
  let again = false;
  function refresh() {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = load().finally(() => {
      inflight = null;
      if (again && !stopped) {
        again = false;
        refresh();
      }
    });
    return inflight;
  }

  async function load() {
    if (stopped) return;
    clearTimeout(timer);
    try {
      const d = await api.device(id);
      if (stopped) return;
      const time = d.lastUpdate ?? new Date().toISOString();
      for (const [m, v] of Object.entries(d.metrics ?? {})) {
        const trail = series.get(m) ?? [];
        if (!trail.length || trail[trail.length - 1].time < time) trail.push({ time, value: v });
        if (trail.length > MAX_POINTS) trail.splice(0, trail.length - MAX_POINTS);
        series.set(m, trail);
      }
      if (!historyLoaded) await loadHistory();
      const changed = JSON.stringify(current?.activeFaults) !== JSON.stringify(d.activeFaults);
      current = d;
      draw(d);
      if (changed) await drawFaults(d);
      drawEvents();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        mount(main, h('h1', {}, 'Unknown device'), h('p', { class: 'error', role: 'alert' }, `The twin has no device ${id}.`));
        stopped = true;
        return;
      }
      mount(facts, errorBox(e));
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  }

  function draw(d) {
    mount(healthBox, badge(d.health, { large: true }));
    const row = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
    mount(facts,
      row('kind', d.kind),
      row('site', d.site),
      row('health', badge(d.health)),
      d.healthReason ? row('reason', d.healthReason) : null,
      d.state ? row('state', d.state) : null,
      row('last update', d.lastUpdate ? fmt.dateTime(d.lastUpdate) : 'no telemetry yet'),
      row('samples', fmt.int(d.samples)));
    const metrics = Object.entries(d.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
    mount(metricsBox, metrics.length
      ? h('table', { 'aria-label': 'metrics' },
        h('thead', {}, h('tr', {}, h('th', {}, 'metric'), h('th', { class: 'num' }, 'value'), h('th', {}, 'trend'))),
        h('tbody', {}, metrics.map(([m, v]) => h('tr', { dataset: { metric: m } },
          h('td', { class: 'mono' }, m),
          h('td', { class: 'num' }, RATIOS.has(m) ? fmt.pct(v) : fmt.num(v)),
          h('td', {}, sparkline(series.get(m) ?? [], { label: `${m} trend` }))))))
      : h('p', { class: 'muted' }, 'No telemetry has reached this device yet.'));
    const attrs = Object.entries(d.attributes ?? {});
    mount(attrsBox, h('dl', { class: 'attrs' }, attrs.map(([k, v]) => [
      h('dt', {}, k),
      h('dd', { class: 'mono' }, LINKED_ATTRIBUTES.has(k) && v.includes('/') ? deviceLink(v) : v)])));
  }

  async function drawFaults(d) {
    const ids = d.activeFaults ?? [];
    let faults;
    try {
      faults = await api.faults({ active: true });
    } catch {
      // the fault list could not be read (a reader key may not list faults): show the ids the device holds
      mount(faultsBox, ids.length ? h('ul', {}, ids.map((f) => h('li', { class: 'mono' }, f))) : h('p', { class: 'muted' }, 'No active faults.'));
      return;
    }
    const byId = new Map((faults.items ?? []).map((f) => [f.id, f]));
    // faults aimed at this device, and faults whose cascade reached it
    const mine = [...new Set([...ids, ...(faults.items ?? []).filter((f) => f.target === id || f.affected?.includes(id)).map((f) => f.id)])];
    if (!mine.length) {
      mount(faultsBox, h('p', { class: 'muted' }, 'No active faults.'));
      return;
    }
    mount(faultsBox, h('ul', { class: 'chips', 'aria-label': 'active faults' }, mine.map((fid) => {
      const f = byId.get(fid);
      return h('li', { class: 'panel', style: { width: '100%' }, dataset: { fault: fid } },
        h('strong', {}, f?.kind ?? 'fault'), ' ', h('span', { class: 'mono muted' }, fid),
        f ? h('div', {}, f.summary ?? `${f.kind} on ${f.target}`, h('div', { class: 'muted' }, `since ${fmt.dateTime(f.at)}`)) : null,
        h('button', { type: 'button', class: 'danger', 'aria-label': `Repair fault ${fid}`, onclick: () => repair(fid, f) }, 'Repair'));
    })));
  }

  async function repair(fid, f) {
    const ok = await confirmDialog({
      title: 'Repair this fault?',
      body: `Lift ${f?.kind ?? 'fault'} ${fid}${f?.target ? ` on ${f.target}` : ''}. The twin restores the devices it affected.`,
      confirmLabel: 'Repair', danger: true,
    });
    if (!ok) return;
    try {
      await api.repairFault(fid);
      toast(`Fault ${fid} repaired.`);
    } catch (e) {
      toast(`Repair failed: ${e.message}`, { bad: true });
    }
    current = null;
    refresh();
  }

  function drawEvents() {
    const mine = live.recent().filter((e) => e.deviceId === id).slice(-10).reverse();
    mount(eventsBox, mine.length ? h('ol', { class: 'events' }, mine.map((e) => eventRow(e, false))) : h('p', { class: 'muted' }, 'No events for this device in the recent feed.'));
  }

  const unsubscribe = live.subscribe((added) => {
    const relevant = added.some((e) => e.deviceId === id || (e.faultId && (current?.activeFaults ?? []).includes(e.faultId)) ||
      (e.site === site && (e.kind === 'bulk-change' || e.kind.startsWith('fault'))));
    if (relevant) {
      current = current && { ...current, activeFaults: null }; // redraw faults too
      refresh();
    }
  });
  await refresh();
  return () => { stopped = true; clearTimeout(timer); unsubscribe(); };
}
