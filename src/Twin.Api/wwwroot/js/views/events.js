// Events view: the live feed (SSE) with site and kind filters; new entries appear at the top.
import { h, mount, fmt, deviceLink } from '../render.js';
import { badge } from '../health.js';
import * as live from '../live.js';

const SHOWN = 300;
const KINDS = ['health-changed', 'bulk-change', 'fault-injected', 'fault-repaired', 'fault-detected', 'fault-cleared'];

/** The summary with its device id as a link (summaries start with the id they are about). */
function summary(e) {
  const text = e.summary ?? '';
  if (!e.deviceId) return text;
  return text.startsWith(e.deviceId)
    ? [deviceLink(e.deviceId), text.slice(e.deviceId.length)]
    : [text, ' · ', deviceLink(e.deviceId)];
}

export function eventRow(e, fresh) {
  return h('li', { class: fresh ? 'new' : null, dataset: { sequence: e.sequence, kind: e.kind, device: e.deviceId ?? '', site: e.site ?? '' } },
    h('span', { class: 'seq' }, `#${e.sequence} `, h('time', { datetime: e.time }, fmt.time(e.time))),
    h('span', { class: 'kind' }, e.kind),
    h('span', {}, e.health ? badge(e.health) : h('span', { class: 'muted' }, e.site)),
    h('span', {},
      summary(e),
      e.faultId ? h('span', { class: 'muted' }, ` · fault ${e.faultId}`) : null));
}

export async function render(main, params) {
  document.title = 'Events · AI Factory Twin';
  const siteSelect = h('select', { id: 'ev-site', name: 'site' }, h('option', { value: '' }, 'all sites'));
  const kindSelect = h('select', { id: 'ev-kind', name: 'kind' }, h('option', { value: '' }, 'all kinds'), KINDS.map((k) => h('option', { value: k }, k)));
  const list = h('ol', { class: 'events', id: 'event-list', 'aria-label': 'events, newest first', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const count = h('p', { class: 'muted', role: 'status' });
  mount(main,
    h('h1', {}, 'Events'),
    h('form', { class: 'filters', 'aria-label': 'event filters', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'ev-site' }, 'Site', siteSelect),
      h('label', { for: 'ev-kind' }, 'Kind', kindSelect)),
    count,
    h('div', { class: 'panel' }, list));

  try {
    const sites = await api.sites();
    for (const site of [...sites.map((x) => x.name), 'dci']) siteSelect.append(h('option', { value: site }, site));
  } catch {
    // the filter still offers "all sites"
  }
  siteSelect.value = params.site ?? '';
  if (params.kind && ![...kindSelect.options].some((o) => o.value === params.kind)) kindSelect.append(h('option', { value: params.kind }, params.kind));
  kindSelect.value = params.kind ?? '';

  const matches = (e) => (!siteSelect.value || e.site === siteSelect.value) && (!kindSelect.value || e.kind === kindSelect.value);
  const addKind = (kind) => {
    if (kind && ![...kindSelect.options].some((o) => o.value === kind)) kindSelect.append(h('option', { value: kind }, kind));
  };

  function redraw() {
    const shown = live.recent().filter(matches).slice(-SHOWN).reverse();
    mount(list, shown.map((e) => eventRow(e, false)));
    count.textContent = shown.length ? `${shown.length} most recent matching events` : 'No matching events yet; they appear here as they happen.';
  }
  siteSelect.addEventListener('change', redraw);
  kindSelect.addEventListener('change', redraw);
  for (const e of live.recent()) addKind(e.kind);
  redraw();

  const unsubscribe = live.subscribe((added, { fresh }) => {
    for (const e of added) {
      addKind(e.kind);
      if (!matches(e)) continue;
      list.prepend(eventRow(e, fresh));
    }
    while (list.children.length > SHOWN) list.lastChild.remove();
    count.textContent = `${list.children.length} most recent matching events`;
  });
  return unsubscribe;
}
