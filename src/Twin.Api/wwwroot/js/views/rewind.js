// A time slider on the factory page: drag back up to a day and the panel shows the factory as its history says it
// was then (GET /api/v1/factory?at=-Nm): usable GPUs per site, the faults active, the jobs' states, and how exact
// that is. At "now" the panel steps aside and the live view above is the answer.
import { api } from '../api.js';
import { h, mount, fmt, errorBox } from '../render.js';

const MAX_MINUTES = 24 * 60;

function label(minutes) {
  if (minutes === 0) return 'now';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours ? `${hours} h ` : ''}${rest ? `${rest} min ` : ''}ago`;
}

export function rewindPanel() {
  const output = h('output', { id: 'rewind-label', for: 'rewind-slider' }, 'now');
  // left is the past, right is now: the value is minutes since a day ago
  const slider = h('input', {
    id: 'rewind-slider', type: 'range', min: 0, max: MAX_MINUTES, step: 5, value: MAX_MINUTES,
    'aria-label': 'Point in time, from a day ago to now', 'aria-valuetext': 'now',
  });
  const back = () => MAX_MINUTES - Number(slider.value);
  const result = h('div', { id: 'rewind-result', 'aria-live': 'polite' });
  let seq = 0;

  async function show(minutes) {
    const mine = ++seq;
    output.textContent = label(minutes);
    slider.setAttribute('aria-valuetext', label(minutes));
    if (minutes === 0) {
      mount(result);
      return;
    }
    try {
      const f = await api.factoryAt(`-${minutes}m`);
      if (mine !== seq) return; // a later position won
      mount(result, view(f));
    } catch (e) {
      if (mine === seq) mount(result, errorBox(e));
    }
  }

  let debounce = null;
  slider.addEventListener('input', () => {
    output.textContent = label(back());
    clearTimeout(debounce);
    debounce = setTimeout(() => show(back()), 250);
  });
  return h('section', { class: 'panel rewind', 'aria-labelledby': 'rewind-h' },
    h('h2', { id: 'rewind-h' }, 'Rewind'),
    h('div', { class: 'rewind-controls' }, h('span', { class: 'muted' }, '1 day ago'), slider, h('span', { class: 'muted' }, 'now'), output),
    result);
}

function view(f) {
  const at = new Date(f.at);
  return h('div', { dataset: { at: f.at } },
    h('p', {}, h('strong', {}, `${at.toLocaleString()}: `), `${fmt.int(f.usableGpus)} of ${fmt.int(f.gpus)} GPUs usable, `,
      `${f.activeFaults.length} fault${f.activeFaults.length === 1 ? '' : 's'} active`,
      h('span', { class: 'muted' }, ` (events ${f.exactness.events}; faults ${f.exactness.faults})`)),
    h('table', { 'aria-label': 'Sites then' },
      h('thead', {}, h('tr', {}, ['site', 'usable GPUs', 'degraded', 'failed', 'faults'].map((c, i) => h('th', { class: i ? 'num' : null }, c)))),
      h('tbody', {}, f.sites.map((s) => h('tr', { dataset: { site: s.name } },
        h('td', {}, s.name),
        h('td', { class: 'num', dataset: { metric: 'usable' } }, `${fmt.int(s.usableGpus)} / ${fmt.int(s.gpus.total)}`),
        h('td', { class: 'num' }, fmt.int(s.gpus.degraded)),
        h('td', { class: 'num' }, fmt.int(s.gpus.failed)),
        h('td', { class: 'num' }, fmt.int(s.activeFaults.length)))))),
    f.activeFaults.length
      ? h('ul', { class: 'rewind-faults' }, f.activeFaults.map((x) => h('li', { dataset: { fault: x.id } }, `${x.id} ${x.kind} on ${x.target} since ${new Date(x.since).toLocaleTimeString()}`)))
      : null,
    f.jobs.length
      ? h('p', { class: 'muted' }, 'Jobs then: ', f.jobs.map((j) => `${j.name} ${j.state}`).join(', '))
      : null);
}
