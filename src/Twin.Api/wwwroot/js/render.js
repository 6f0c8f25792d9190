// A small DOM helper: h('tag', {props}, ...children) builds elements; strings become text nodes
// (never innerHTML, so data from the twin cannot inject markup).

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key in el && !(el instanceof SVGElement) && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

export const fmt = {
  int: (x) => (x === undefined || x === null ? '–' : nf0.format(x)),
  num: (x) => {
    if (x === undefined || x === null || Number.isNaN(x)) return '–';
    const a = Math.abs(x);
    if (a !== 0 && (a < 0.001 || a >= 1e9)) return x.toExponential(2);
    return a >= 100 ? nf0.format(x) : a >= 10 ? nf1.format(x) : nf2.format(x);
  },
  pct: (ratio) => (ratio === undefined || ratio === null ? '–' : `${nf1.format(ratio * 100)} %`),
  gbps: (x) => (x >= 1000 ? `${nf1.format(x / 1000)} Tb/s` : `${nf0.format(x)} Gb/s`),
  tbps: (x) => `${nf1.format(x)} Tb/s`,
  ms: (x) => `${nf2.format(x)} ms`,
  time: (t) => (t ? new Date(t).toLocaleTimeString('en-GB', { hour12: false }) : '–'),
  dateTime: (t) => (t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–'),
};

/** A proportion bar with a text alternative. */
export function bar(fraction, label, { usage = false } = {}) {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  // a capacity bar is bad when little is left; a usage bar when little is free
  const level = usage ? (f > 0.9 ? 'bad' : f > 0.7 ? 'warn' : 'ok') : (f < 0.5 ? 'bad' : f < 0.95 ? 'warn' : 'ok');
  return h('div', { class: 'bar', role: 'img', 'aria-label': label, dataset: { level } },
    h('span', { style: { width: `${(f * 100).toFixed(1)}%` } }));
}

/** An SVG sparkline of [{time, value}] points. */
export function sparkline(points, { width = 160, height = 34, label = 'trend' } = {}) {
  const svg = s('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
  const values = points.map((p) => p.value).filter(Number.isFinite);
  if (values.length < 2) {
    svg.append(s('text', { x: 2, y: height / 2 + 4, fill: 'currentColor', 'font-size': 11, class: 'muted' }, values.length ? 'one sample' : 'no history yet'));
    return svg;
  }
  const t0 = new Date(points[0].time).getTime();
  const t1 = new Date(points[points.length - 1].time).getTime();
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) { hi += 1; lo -= 1; }
  const x = (p) => (t1 === t0 ? 0 : ((new Date(p.time).getTime() - t0) / (t1 - t0)) * (width - 2) + 1);
  const y = (v) => height - 2 - ((v - lo) / (hi - lo)) * (height - 4);
  const line = points.filter((p) => Number.isFinite(p.value)).map((p, i) => `${i ? 'L' : 'M'}${x(p).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  svg.append(s('path', { class: 'area', d: `${line}L${width - 1},${height}L1,${height}Z` }), s('path', { d: line }));
  return svg;
}

/** A modal confirmation; resolves true only when the operator confirms. Escape or Cancel resolve false. */
export function confirmDialog({ title, body, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const ok = h('button', { type: 'button', class: danger ? 'danger' : 'primary', value: 'ok' }, confirmLabel);
    const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      typeof body === 'string' ? h('p', {}, body) : body,
      h('div', { class: 'buttons' }, cancel, ok));
    let answer = false;
    ok.addEventListener('click', () => { answer = true; dialog.close(); });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

export function toast(message, { bad = false, ms = 5000 } = {}) {
  const host = document.getElementById('toasts');
  const el = h('div', { class: bad ? 'toast bad' : 'toast' }, message);
  host.append(el);
  setTimeout(() => el.remove(), ms);
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, `Could not load: ${e?.message ?? e}`);
}

/** Link to a device page; ids contain '/', so the route keeps them whole after #/device/. */
export function deviceLink(id, text = id) {
  return h('a', { href: `#/device/${encodeURIComponent(id)}`, class: 'mono' }, text);
}
