// Site view: every GPU on a canvas heatmap, the fabric tiers with their links and switches, storage
// nodes with their bandwidth, and the DPUs.
import { api, ApiError } from '../api.js';
import { h, mount, fmt, bar, errorBox, deviceLink } from '../render.js';
import { badge, GLYPHS, RANK } from '../health.js';
import * as live from '../live.js';
import { Heatmap, MODES, legend } from './heatmap.js';

const REFRESH_MS = 5000;
const MAX_CHIPS = 60;
const MAX_STATE_FETCH = 64; // switches/storage whose full state is read for utilisation and bandwidth

export async function render(main, { site, metric }) {
  document.title = `Site ${site} · AI Factory Twin`;
  let summary;
  try {
    summary = await api.site(site);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      mount(main, h('h1', {}, 'Unknown site'), h('p', { class: 'error', role: 'alert' }, `The twin has no site "${site}".`), h('p', {}, h('a', { href: '#/' }, 'Back to the factory')));
      return null;
    }
    throw e;
  }

  const cards = h('div', { class: 'cards' });
  const heatStatus = h('p', { class: 'muted', role: 'status' }, 'Loading GPUs…');
  const heatBox = h('div');
  const legendBox = h('div');
  const modeSelect = h('select', { id: 'heat-mode', name: 'metric' }, Object.entries(MODES).map(([k, m]) => h('option', { value: k }, m.label)));
  const unhealthyBox = h('div');
  const fabricBox = h('div');
  const switchesBox = h('div');
  const badLinksBox = h('div');
  const storageBox = h('div', { class: 'table-wrap' });
  const dpuBox = h('div');
  const badDpusBox = h('div');
  mount(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Factory'), ' › site'),
    h('h1', { id: 'site-title', dataset: { site } }, `Site ${site}`, ' ', h('span', { class: 'muted', style: { fontSize: '.7em' } }, `${summary.gpuModel} · ${summary.network} · ${summary.fabricTiers}-tier fabric`)),
    cards,
    h('section', { 'aria-labelledby': 'gpu-h' },
      h('h2', { id: 'gpu-h' }, 'GPUs by host and NVLink domain'),
      h('div', { class: 'heat-tools' }, h('label', { for: 'heat-mode' }, 'Colour by', modeSelect), legendBox),
      heatStatus, heatBox, unhealthyBox),
    h('div', { class: 'grid-2' },
      h('section', { 'aria-labelledby': 'fab-h' }, h('h2', { id: 'fab-h' }, 'Fabric'), fabricBox, switchesBox, badLinksBox),
      h('section', {},
        h('h2', {}, 'Storage'), storageBox,
        h('h2', {}, 'DPUs'), dpuBox, badDpusBox)));

  let stopped = false;
  let heatmap = null;
  let timer = null;

  function drawSummary(x) {
    const g = x.gpus;
    mount(cards,
      card('GPUs', fmt.int(g.total), `${GLYPHS.healthy} ${fmt.int(g.healthy)} · ${GLYPHS.degraded} ${fmt.int(g.degraded)} · ${GLYPHS.failed} ${fmt.int(g.failed)}`, { metric: 'gpus-total' }),
      card('Usable GPUs', fmt.int(x.usableGpus), g.total ? `${fmt.pct(x.usableGpus / g.total)} of the site` : null, { metric: 'usable' }),
      card('Bisection left', fmt.tbps(x.bisectionAvailableTbps), `of ${fmt.tbps(x.bisectionTbps)}`),
      card('Storage read left', `${fmt.num(x.storageReadAvailableGBps)} GB/s`, `of ${fmt.num(x.storageReadGBps)} GB/s`),
      card('Switches', fmt.int(x.switches.total), counts(x.switches)),
      card('Links', fmt.int(x.links.total), counts(x.links)),
      card('Active faults', fmt.int(x.activeFaults), h('a', { href: `#/actions?site=${encodeURIComponent(site)}` }, 'inject / repair')));
    mount(fabricBox, h('table', { 'aria-label': 'fabric tiers' },
      h('thead', {}, h('tr', {}, h('th', {}, 'tier'), h('th', { class: 'num' }, 'links up'), h('th', { class: 'num' }, 'bandwidth left'), h('th', {}, 'capacity'))),
      h('tbody', {}, x.fabric.map((t) => h('tr', { dataset: { tier: t.tier } },
        h('td', {}, t.tier),
        h('td', { class: 'num' }, `${fmt.int(t.linksUp)} / ${fmt.int(t.links)}`),
        h('td', { class: 'num' }, `${fmt.tbps(t.availableTbps)} / ${fmt.tbps(t.totalTbps)}`),
        h('td', {}, bar(t.totalTbps ? t.availableTbps / t.totalTbps : 0, `${t.tier}: ${fmt.pct(t.totalTbps ? t.availableTbps / t.totalTbps : 0)} of capacity up`)))))));
    mount(dpuBox, h('p', {}, `${fmt.int(x.dpus.total)} DPUs: `, countsText(x.dpus)));
  }

  async function refreshSummary() {
    if (stopped) return;
    clearTimeout(timer);
    try {
      summary = await api.site(site);
      if (!stopped) drawSummary(summary);
    } catch (e) {
      mount(cards, errorBox(e));
    }
    if (!stopped) timer = setTimeout(refreshSummary, REFRESH_MS);
  }

  drawSummary(summary);
  refreshSummary();

  // GPUs: page through the list (1,000 a page), then learn the NVLink domain size from two or a few devices
  const gpus = await api.allDevices({ site, kind: 'gpu' }, (_, all) => {
    heatStatus.textContent = `Loading GPUs… ${fmt.int(all.length)} of ${fmt.int(summary.gpus.total)}`;
  });
  if (stopped) return null;
  const hostsPerDomain = await nvlinkHostsPerDomain(gpus);
  heatmap = new Heatmap({ gpus, hostsPerDomain, onOpen: (id) => { location.hash = `#/device/${encodeURIComponent(id)}`; } });
  heatmap.onLoaded = () => updateHeatStatus();
  mount(heatBox, heatmap.element);
  heatmap.layout();

  function updateHeatStatus() {
    const hosts = heatmap.hostCount;
    const text = `${fmt.int(gpus.length)} GPUs on ${fmt.int(hosts)} hosts, ${hostsPerDomain > 1 ? `${hostsPerDomain} hosts per NVLink domain (framed)` : 'one NVLink domain per host'}.`;
    heatStatus.textContent = heatmap.mode === 'health' ? text : `${text} ${MODES[heatmap.mode].label}: ${fmt.int(heatmap.loadedCount())} values loaded for GPUs in view (scroll to load more).`;
  }
  function drawUnhealthy() {
    const bad = gpus.filter((g) => g.health !== 'healthy').sort((a, b) => RANK[b.health] - RANK[a.health]);
    mount(unhealthyBox, h('h3', {}, `Unhealthy GPUs (${fmt.int(bad.length)})`),
      bad.length ? chips(bad) : h('p', { class: 'muted' }, 'Every GPU of the site is healthy.'));
  }
  // metric values age: re-read the GPUs in view now and then (stale ones only)
  const metricTimer = setInterval(() => {
    if (heatmap.mode !== 'health') heatmap.fetchVisible();
  }, 10000);
  modeSelect.addEventListener('change', () => {
    heatmap.setMode(modeSelect.value);
    mount(legendBox, legend(modeSelect.value));
    updateHeatStatus();
  });
  if (metric && MODES[metric]) {
    modeSelect.value = metric;
    heatmap.setMode(metric);
  }
  mount(legendBox, legend(heatmap.mode));
  updateHeatStatus();
  drawUnhealthy();

  // switches, links that are not healthy, storage, DPUs
  async function refreshDevices() {
    try {
      const [switches, storage, failedLinks, degradedLinks, badDpus] = await Promise.all([
        api.allDevices({ site, kind: 'switch' }),
        api.allDevices({ site, kind: 'storage' }),
        api.devices({ site, kind: 'link', health: 'failed', limit: 200 }),
        api.devices({ site, kind: 'link', health: 'degraded', limit: 200 }),
        api.devices({ site, kind: 'dpu', health: 'failed', limit: 200 }),
      ]);
      if (stopped) return;
      // every switch's state on small sites; a sample of each tier on large ones
      const sample = [];
      const perTier = new Map();
      for (const sw of switches) {
        const n = perTier.get(sw.tier) ?? 0;
        if (n < MAX_STATE_FETCH) sample.push(sw);
        perTier.set(sw.tier, n + 1);
      }
      const states = await Promise.all(sample.map((d) => api.device(d.id).catch(() => null)));
      drawSwitches(switches, states);
      const links = [...failedLinks.items, ...degradedLinks.items];
      mount(badLinksBox, h('h3', {}, `Links not healthy (${fmt.int(links.length)}${failedLinks.next || degradedLinks.next ? '+' : ''})`),
        links.length ? chips(links) : h('p', { class: 'muted' }, 'Every link is up and clean.'));
      const storageStates = await Promise.all(storage.slice(0, MAX_STATE_FETCH).map((d) => api.device(d.id).catch(() => null)));
      drawStorage(storage, storageStates);
      mount(badDpusBox, badDpus.items.length ? [h('h3', {}, 'Failed DPUs'), chips(badDpus.items)] : null);
    } catch (e) {
      mount(switchesBox, errorBox(e));
    }
  }

  function drawSwitches(switches, states) {
    const byTier = new Map();
    for (const sw of switches) {
      if (!byTier.has(sw.tier)) byTier.set(sw.tier, []);
      byTier.get(sw.tier).push(sw);
    }
    const stateOf = new Map(states.filter(Boolean).map((d) => [d.id, d]));
    mount(switchesBox, [...byTier.entries()].map(([tier, list]) => [
      h('h3', {}, `${tier ?? 'switch'} switches (${fmt.int(list.length)})`, tierLoad(list, stateOf)),
      h('ul', { class: 'chips', 'aria-label': `${tier} switches` }, list.slice(0, MAX_CHIPS).map((sw) => {
        const d = stateOf.get(sw.id);
        const util = d?.metrics?.utilization;
        const extra = util !== undefined ? fmt.pct(util) : d?.metrics?.temperature_c !== undefined ? `${fmt.num(d.metrics.temperature_c)} °C` : '';
        return h('li', {}, h('a', { class: 'chip', href: `#/device/${encodeURIComponent(sw.id)}`, dataset: { health: sw.health }, title: `${sw.id}: ${sw.health}` },
          h('span', { class: 'g', 'aria-label': sw.health }, GLYPHS[sw.health] ?? '?'), sw.id.split('/').pop(), extra ? h('span', { class: 'muted' }, extra) : null));
      })),
      list.length > MAX_CHIPS ? h('p', { class: 'muted' }, `…and ${fmt.int(list.length - MAX_CHIPS)} more`) : null]));
  }

  function drawStorage(storage, states) {
    const stateOf = new Map(states.filter(Boolean).map((d) => [d.id, d]));
    mount(storageBox, h('table', { 'aria-label': 'storage nodes' },
      h('thead', {}, h('tr', {}, h('th', {}, 'node'), h('th', {}, 'tier'), h('th', {}, 'health'), h('th', { class: 'num' }, 'read GB/s'), h('th', { class: 'num' }, 'write GB/s'), h('th', { class: 'num' }, 'p99'))),
      h('tbody', {}, storage.map((n) => {
        const d = stateOf.get(n.id);
        const m = d?.metrics ?? {};
        const max = Number(d?.attributes?.maxReadGBps);
        return h('tr', { dataset: { id: n.id } },
          h('td', {}, deviceLink(n.id, n.id.split('/').pop())),
          h('td', {}, n.tier ?? n.model ?? ''),
          h('td', {}, badge(n.health)),
          h('td', { class: 'num' }, m.read_gbytes_per_s !== undefined ? `${fmt.num(m.read_gbytes_per_s)}${max ? ` / ${fmt.num(max)}` : ''}` : max ? `– / ${fmt.num(max)}` : '–',
            max && m.read_gbytes_per_s !== undefined ? bar(m.read_gbytes_per_s / max, `${fmt.pct(m.read_gbytes_per_s / max)} of read bandwidth in use`, { usage: true }) : null),
          h('td', { class: 'num' }, fmt.num(m.write_gbytes_per_s)),
          h('td', { class: 'num' }, m.latency_p99_ms !== undefined ? fmt.ms(m.latency_p99_ms) : '–'));
      }))));
  }

  refreshDevices();

  // live: GPU health changes land on the heatmap at once; bigger changes re-read lists
  let reload = null;
  const unsubscribe = live.subscribe((added) => {
    let redraw = false;
    let reread = false;
    for (const e of added) {
      if (e.site !== site) continue;
      if (e.deviceId && e.health && heatmap.setHealth(e.deviceId, e.health)) redraw = true;
      else reread = true;
    }
    if (redraw) {
      heatmap.scheduleDraw();
      drawUnhealthy();
    }
    if (redraw || reread) {
      reload ??= setTimeout(async () => {
        reload = null;
        refreshSummary();
        refreshDevices();
        if (reread) {
          const fresh = await api.allDevices({ site, kind: 'gpu' });
          for (const g of fresh) heatmap.setHealth(g.id, g.health);
          heatmap.scheduleDraw();
          drawUnhealthy();
        }
      }, 500);
    }
  });

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(reload);
    clearInterval(metricTimer);
    unsubscribe();
    heatmap?.dispose();
  };
}

/** Average utilisation of a switch tier from the states read (all of them, or a sample). */
function tierLoad(list, stateOf) {
  const values = list.map((sw) => stateOf.get(sw.id)?.metrics?.utilization).filter(Number.isFinite);
  if (!values.length) return null;
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  const of = values.length < list.length ? `, sample of ${values.length}` : '';
  return h('span', { class: 'muted', style: { fontWeight: 400 } }, ` · ${fmt.pct(avg)} average utilisation${of}`);
}

function card(k, v, sub, data) {
  return h('div', { class: 'card', dataset: data }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v), sub ? h('div', { class: 's' }, sub) : null);
}

function counts(c) {
  return `${GLYPHS.healthy} ${fmt.int(c.healthy)} · ${GLYPHS.degraded} ${fmt.int(c.degraded)} · ${GLYPHS.failed} ${fmt.int(c.failed)}`;
}

function countsText(c) {
  return [`${fmt.int(c.healthy)} healthy, ${fmt.int(c.degraded)} degraded, ${fmt.int(c.failed)} failed`, c.other ? `, ${fmt.int(c.other)} quarantined/draining` : ''].join('');
}

function chips(devices) {
  const shown = devices.slice(0, MAX_CHIPS);
  return [h('ul', { class: 'chips' }, shown.map((d) => h('li', {},
    h('a', { class: 'chip', href: `#/device/${encodeURIComponent(d.id)}`, dataset: { health: d.health } },
      h('span', { class: 'g', 'aria-hidden': 'true' }, GLYPHS[d.health] ?? '?'), d.id.split('/').slice(2).join('/'), h('span', { class: 'sr-only' }, ` ${d.health}`))))),
  devices.length > MAX_CHIPS ? h('p', { class: 'muted' }, `…and ${fmt.int(devices.length - MAX_CHIPS)} more`) : null];
}

/**
 * Hosts per NVLink domain, from the devices' own attributes: equal domains on the first two hosts mean a
 * multi-host domain (an NVL72 rack), whose size a binary search over hosts finds in a few reads.
 */
async function nvlinkHostsPerDomain(gpus) {
  const firstOfHost = [];
  const seen = new Set();
  for (const g of gpus) {
    if (!seen.has(g.host)) { seen.add(g.host); firstOfHost.push(g.id); }
  }
  if (firstOfHost.length < 2) return 1;
  const domain = async (i) => Number((await api.device(firstOfHost[i])).attributes?.nvlinkDomain ?? -1);
  try {
    const d0 = await domain(0);
    if ((await domain(1)) !== d0) return 1;
    let lo = 1;
    let hi = firstOfHost.length; // first host index whose domain differs from d0 lies in (lo, hi]
    while (lo + 1 < hi) {
      const mid = (lo + hi) >> 1;
      if ((await domain(mid)) === d0) lo = mid; else hi = mid;
    }
    return hi;
  } catch {
    return 1;
  }
}
