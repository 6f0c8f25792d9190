// Factory view: sites as nodes joined by their DCI links, totals, per-site capacity, jobs, latest events.
import { api } from '../api.js';
import { h, s, mount, fmt, bar, errorBox, deviceLink } from '../render.js';
import { COLORS, GLYPHS, badge } from '../health.js';
import * as live from '../live.js';
import { eventRow } from './events.js';
import { rewindPanel } from './rewind.js';

const REFRESH_MS = 5000;

export async function render(main) {
  document.title = 'Factory · AI Factory Twin';
  const mapBox = h('div', { class: 'panel' });
  const dciBox = h('div', { class: 'panel' });
  const cards = h('div', { class: 'cards' });
  const sitesBox = h('div', { class: 'table-wrap' });
  const jobsBox = h('div');
  const eventsBox = h('div');
  const title = h('h1', {}, 'Factory');
  mount(main, title, cards,
    h('h2', {}, 'Sites and DCI'),
    h('div', { class: 'grid-2' }, mapBox, dciBox),
    h('h2', {}, 'Sites'), sitesBox,
    rewindPanel(),
    h('div', { class: 'grid-2' },
      h('section', { 'aria-labelledby': 'jobs-h' }, h('h2', { id: 'jobs-h' }, 'Jobs'), jobsBox),
      h('section', { 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, 'Latest events ', h('a', { href: '#/events', class: 'muted' }, '(all)')), eventsBox)));

  let stopped = false;
  let timer = null;
  async function refresh() {
    if (stopped) return;
    clearTimeout(timer);
    try {
      const f = await api.factory();
      if (stopped) return;
      title.textContent = `Factory ${f.name}`;
      main.dataset.gpuTotal = f.gpus.total;
      mount(cards, ...summaryCards(f));
      mount(mapBox, siteMap(f));
      mount(dciBox, dciTable(f));
      mount(sitesBox, sitesTable(f));
    } catch (e) {
      mount(cards, errorBox(e));
    }
    try {
      const jobs = await api.jobs();
      if (!stopped) mount(jobsBox, jobsTable(jobs.items ?? jobs));
    } catch (e) {
      mount(jobsBox, errorBox(e));
    }
    renderEvents();
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  function renderEvents() {
    const latest = live.recent().slice(-8).reverse();
    mount(eventsBox, latest.length
      ? h('ol', { class: 'events compact', 'aria-label': 'latest events' }, latest.map((e) => eventRow(e, false)))
      : h('p', { class: 'muted' }, 'No events yet (events appear when a device changes health or a fault is injected).'));
  }

  let pending = null;
  const unsubscribe = live.subscribe(() => {
    renderEvents();
    // a burst of events triggers one refresh of the totals
    pending ??= setTimeout(() => { pending = null; refresh(); }, 400);
  });
  await refresh();
  return () => { stopped = true; clearTimeout(timer); clearTimeout(pending); unsubscribe(); };
}

function card(k, v, sub, data) {
  return h('div', { class: 'card', dataset: data }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v), sub ? h('div', { class: 's' }, sub) : null);
}

function summaryCards(f) {
  return [
    card('GPUs', fmt.int(f.gpus.total), `${fmt.int(f.devices)} devices in all`, { metric: 'gpus-total' }),
    card('Usable GPUs', fmt.int(f.usableGpus), f.gpus.total ? `${fmt.pct(f.usableGpus / f.gpus.total)} of all` : null, { metric: 'usable' }),
    card(`${GLYPHS.healthy} Healthy`, fmt.int(f.gpus.healthy), 'GPUs'),
    card(`${GLYPHS.degraded} Degraded`, fmt.int(f.gpus.degraded), 'GPUs'),
    card(`${GLYPHS.failed} Failed`, fmt.int(f.gpus.failed), f.gpus.other ? `+${fmt.int(f.gpus.other)} draining/quarantined` : 'GPUs'),
    card('Active faults', fmt.int(f.activeFaults), h('a', { href: '#/actions' }, 'inject / repair'), { metric: 'faults' }),
    card('Cross-site', fmt.gbps(f.crossSiteAvailableGbps), `of ${fmt.gbps(f.crossSiteTotalGbps)} DCI up`),
    card('Partitions', fmt.int(f.partitionedSitePairs.length), f.partitionedSitePairs.length ? f.partitionedSitePairs.join(', ') : 'every site pair connected'),
  ];
}

function siteHealth(site) {
  const g = site.gpus;
  if (g.total > 0 && site.usableGpus === 0) return 'failed';
  if (g.degraded + g.failed + g.other > 0 || site.activeFaults > 0) return 'degraded';
  return 'healthy';
}

function pairHealth(links) {
  const up = links.filter((l) => l.health !== 'failed').length;
  if (up === 0) return 'failed';
  return links.every((l) => l.health === 'healthy') ? 'healthy' : 'degraded';
}

/** The factory drawn as sites on a circle, DCI links as lines (one per link, fanned out per pair). */
function siteMap(f) {
  const W = 640;
  const H = 440;
  const R = 150;
  const pos = new Map();
  f.sites.forEach((site, i) => {
    const a = -Math.PI / 2 + (i * 2 * Math.PI) / Math.max(1, f.sites.length);
    pos.set(site.name, { x: W / 2 + R * 1.35 * Math.cos(a), y: H / 2 + 12 + R * Math.sin(a) });
  });
  const pairs = new Map();
  for (const l of f.dciLinks) {
    const key = [l.a, l.b].sort().join('|');
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(l);
  }
  const svg = s('svg', { class: 'map', viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': 'Factory map: sites and DCI links' });
  for (const links of pairs.values()) {
    const a = pos.get(links[0].a);
    const b = pos.get(links[0].b);
    if (!a || !b) continue;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len;
    const ny = dx / len;
    links.forEach((l, i) => {
      const off = (i - (links.length - 1) / 2) * 9;
      const color = COLORS[l.health] ?? COLORS.unknown;
      svg.append(s('line', {
        class: 'dci', x1: a.x + nx * off, y1: a.y + ny * off, x2: b.x + nx * off, y2: b.y + ny * off,
        stroke: color, 'stroke-dasharray': l.health === 'failed' ? '3 9' : l.health === 'degraded' ? '14 6' : null,
        'data-id': l.id,
      }, s('title', {}, `${l.id}: ${l.health}, ${fmt.ms(l.latencyMs)}, ${fmt.gbps(l.bandwidthGbps)}, ${fmt.pct(l.utilization)} used`)));
    });
    const health = pairHealth(links);
    const up = links.filter((l) => l.health !== 'failed');
    const cx = (a.x + b.x) / 2;
    const cy = (a.y + b.y) / 2;
    const outward = (cx - W / 2) * nx + (cy - H / 2) * ny >= 0 ? 1 : -1;
    // labels are wide and horizontal: beside a steep line they need more room than above a flat one
    const spread = 22 + links.length * 5 + Math.abs(nx) * 85;
    const mx = cx + nx * spread * outward;
    const my = cy + ny * spread * outward + (ny * outward < 0 ? -8 : 8);
    const util = up.length ? up.reduce((t, l) => t + (l.utilization ?? 0), 0) / up.length : 0;
    svg.append(s('text', { class: health === 'failed' ? 'dci-label bad' : 'dci-label', x: mx, y: my, 'text-anchor': 'middle' },
      s('tspan', { x: mx, dy: 0 }, `${GLYPHS[health]} ${links.length} × ${fmt.gbps(links[0].bandwidthGbps)} · ${fmt.ms(links[0].latencyMs)}`),
      s('tspan', { x: mx, dy: 15 }, `${up.length}/${links.length} up · ${fmt.pct(util)} used`)));
  }
  for (const site of f.sites) {
    const p = pos.get(site.name);
    const health = siteHealth(site);
    svg.append(s('a', {
      class: 'site-node', href: `#/site/${encodeURIComponent(site.name)}`, 'data-site': site.name,
      'aria-label': `Site ${site.name}: ${site.usableGpus} of ${site.gpus.total} GPUs usable, ${site.activeFaults} active faults, ${health}`,
    },
    s('circle', { cx: p.x, cy: p.y, r: 64, stroke: COLORS[health] }),
    s('text', { x: p.x, y: p.y - 18, 'text-anchor': 'middle', 'font-weight': 700, 'font-size': 17 }, `${GLYPHS[health]} ${site.name}`),
    s('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle' }, `${fmt.int(site.usableGpus)} / ${fmt.int(site.gpus.total)}`),
    s('text', { x: p.x, y: p.y + 21, 'text-anchor': 'middle', class: 'sub' }, 'usable GPUs'),
    s('text', { x: p.x, y: p.y + 40, 'text-anchor': 'middle', class: 'sub' }, `${site.activeFaults} fault${site.activeFaults === 1 ? '' : 's'}`)));
  }
  return svg;
}

function dciTable(f) {
  return h('table', {},
    h('caption', {}, 'DCI links'),
    h('thead', {}, h('tr', {}, h('th', {}, 'link'), h('th', {}, 'state'), h('th', { class: 'num' }, 'latency'), h('th', { class: 'num' }, 'bandwidth'), h('th', {}, 'utilisation'))),
    h('tbody', {}, f.dciLinks.map((l) => h('tr', { dataset: { id: l.id } },
      h('td', {}, deviceLink(l.id, l.id.replace(/^dci\//, '')), h('div', { class: 'muted', style: { whiteSpace: 'nowrap' } }, `${fmt.int(l.distanceKm)} km`)),
      h('td', {}, badge(l.health)),
      h('td', { class: 'num' }, fmt.ms(l.latencyMs)),
      h('td', { class: 'num' }, fmt.gbps(l.bandwidthGbps)),
      h('td', {}, fmt.pct(l.utilization), bar(l.utilization ?? 0, `${fmt.pct(l.utilization)} used`, { usage: true }))))));
}

function sitesTable(f) {
  return h('table', { 'aria-label': 'Sites' },
    h('thead', {}, h('tr', {},
      ['site', 'GPU model', 'network', 'GPUs', 'usable', 'degraded', 'failed', 'bisection left', 'storage read left', 'faults']
        .map((c, i) => h('th', { class: i >= 3 ? 'num' : null }, c)))),
    h('tbody', {}, f.sites.map((site) => h('tr', { dataset: { site: site.name } },
      h('td', {}, h('a', { href: `#/site/${encodeURIComponent(site.name)}` }, site.name), ' ', badge(siteHealth(site))),
      h('td', {}, site.gpuModel),
      h('td', {}, `${site.network}, ${site.fabricTiers} tier${site.fabricTiers === 1 ? '' : 's'}`),
      h('td', { class: 'num', dataset: { metric: 'gpus' } }, fmt.int(site.gpus.total)),
      h('td', { class: 'num' }, fmt.int(site.usableGpus)),
      h('td', { class: 'num' }, fmt.int(site.gpus.degraded)),
      h('td', { class: 'num' }, fmt.int(site.gpus.failed)),
      h('td', { class: 'num' }, `${fmt.tbps(site.bisectionAvailableTbps)} / ${fmt.tbps(site.bisectionTbps)}`),
      h('td', { class: 'num' }, `${fmt.num(site.storageReadAvailableGBps)} / ${fmt.num(site.storageReadGBps)} GB/s`),
      h('td', { class: 'num' }, fmt.int(site.activeFaults))))));
}

function jobsTable(jobs) {
  if (!jobs.length) return h('p', { class: 'muted' }, 'No jobs are running.');
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'job'), h('th', {}, 'state'), h('th', { class: 'num' }, 'goodput'), h('th', { class: 'num' }, 'step time'))),
    h('tbody', {}, jobs.map((j) => h('tr', {},
      h('td', {}, j.name ?? j.id, h('div', { class: 'muted mono' }, j.id)),
      h('td', {}, j.state ?? '–'),
      h('td', { class: 'num' }, j.goodput === undefined ? '–' : fmt.pct(j.goodput)),
      h('td', { class: 'num' }, j.stepTimeMs === undefined ? '–' : fmt.ms(j.stepTimeMs))))));
}
