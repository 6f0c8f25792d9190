// The GPU heatmap of one site on a canvas: one cell per GPU, a row per host, hosts grouped into their
// NVLink domains. Colour by health or by a metric; health marks (diagonal, cross) are always drawn.
// Metric values are fetched lazily, only for the GPUs in view, a few requests at a time.
import { api } from '../api.js';
import { h, fmt } from '../render.js';
import { COLORS, drawCell, ramp, rampCss, GLYPHS } from '../health.js';

export const MODES = {
  health: { label: 'health' },
  temperature_c: { label: 'temperature (°C)', min: 25, max: 95 },
  utilization: { label: 'utilisation', min: 0, max: 1, pct: true },
  power_w: { label: 'power (W)', min: 0, max: 1200 },
};

const UNLOADED = '#2a3346';
const CONCURRENCY = 6;
const STALE_MS = 15000;
const MAX_PER_PASS = 1500;
const BLOCK_GAP = 6;
const CELL_SIZES = [18, 15, 12, 10, 8, 6, 5, 4, 3];
const FIT_HEIGHT = 540;

export class Heatmap {
  /** gpus: [{id, host, health}], hostsPerDomain: hosts sharing one NVLink domain. */
  constructor({ gpus, hostsPerDomain, onOpen }) {
    this.onOpen = onOpen;
    this.mode = 'health';
    this.values = new Map(); // id → { value: {metric: v}, at }
    this.pending = new Set();
    this.queue = [];
    this.active = 0;
    this.focus = 0;
    this.hostsPerDomain = Math.max(1, hostsPerDomain);
    this.setGpus(gpus);

    this.canvas = h('canvas', {
      tabindex: 0, role: 'img', id: 'gpu-heatmap',
      'aria-label': 'GPU heatmap. Arrow keys move between GPUs, Enter opens the focused GPU.',
      'aria-describedby': 'heat-focus',
    });
    this.scroller = h('div', { class: 'heat-scroll' }, this.canvas);
    this.tip = h('div', { class: 'tip', hidden: true });
    this.focusText = h('p', { id: 'heat-focus', class: 'muted', 'aria-live': 'polite' }, 'Focus the heatmap and use the arrow keys to inspect GPUs.');
    this.element = h('div', {}, this.scroller, this.focusText);
    document.body.append(this.tip);

    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    this.canvas.addEventListener('click', (e) => {
      const i = this.hit(e);
      if (i >= 0) this.onOpen(this.gpus[i].id);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('focus', () => { this.showFocus(); this.draw(); });
    this.canvas.addEventListener('blur', () => this.draw());
    let t = null;
    this.scroller.addEventListener('scroll', () => { clearTimeout(t); t = setTimeout(() => this.fetchVisible(), 150); });
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.scroller);
  }

  dispose() {
    this.disposed = true;
    this.resizeObserver.disconnect();
    this.tip.remove();
  }

  setGpus(gpus) {
    this.gpus = gpus;
    this.index = new Map(gpus.map((g, i) => [g.id, i]));
    // host order as listed; GPU column from the id suffix (east/gpu/h0012-3 → 3)
    const hosts = new Map();
    this.perHost = 1;
    for (const g of gpus) {
      const col = Number(g.id.slice(g.id.lastIndexOf('-') + 1)) || 0;
      g.col = col;
      this.perHost = Math.max(this.perHost, col + 1);
      if (!hosts.has(g.host)) hosts.set(g.host, hosts.size);
      g.hostIndex = hosts.get(g.host);
    }
    this.hostStart = [];
    gpus.forEach((g, i) => { this.hostStart[g.hostIndex] ??= i; });
    this.hostCount = hosts.size;
  }

  setHealth(id, health) {
    const i = this.index.get(id);
    if (i === undefined) return false;
    this.gpus[i].health = health;
    return true;
  }

  setMode(mode) {
    this.mode = mode;
    this.draw();
    this.fetchVisible();
  }

  layout() {
    // the largest cell that fits the site in one screenful; past that, the smallest one and a scrollbar
    const width = Math.max(200, this.scroller.clientWidth - 2);
    const blocks = Math.ceil(this.hostCount / this.hostsPerDomain);
    for (const cell of CELL_SIZES) {
      this.cell = cell;
      this.pitch = cell + 1;
      this.blockW = this.perHost * this.pitch;
      this.blockH = this.hostsPerDomain * this.pitch;
      this.perRow = Math.max(1, Math.floor((width - BLOCK_GAP) / (this.blockW + BLOCK_GAP)));
      this.height = BLOCK_GAP + Math.ceil(blocks / this.perRow) * (this.blockH + BLOCK_GAP);
      if (this.height <= FIT_HEIGHT) break;
    }
    this.width = width;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.ctx = this.canvas.getContext('2d');
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.draw();
    this.fetchVisible();
  }

  position(g) {
    const block = Math.floor(g.hostIndex / this.hostsPerDomain);
    const rowInBlock = g.hostIndex % this.hostsPerDomain;
    const bx = BLOCK_GAP + (block % this.perRow) * (this.blockW + BLOCK_GAP);
    const by = BLOCK_GAP + Math.floor(block / this.perRow) * (this.blockH + BLOCK_GAP);
    return { x: bx + g.col * this.pitch, y: by + rowInBlock * this.pitch };
  }

  colour(g) {
    if (this.mode === 'health') return COLORS[g.health] ?? COLORS.unknown;
    const v = this.values.get(g.id)?.value?.[this.mode];
    if (v === undefined) return UNLOADED;
    const m = MODES[this.mode];
    return ramp((v - m.min) / (m.max - m.min));
  }

  draw() {
    if (!this.ctx || this.disposed) return;
    const ctx = this.ctx;
    ctx.clearRect(0, 0, this.width, this.height);
    // domain frames first, so a rack of NVL72 trays reads as one unit
    if (this.hostsPerDomain > 1) {
      ctx.strokeStyle = '#33425e';
      ctx.lineWidth = 1;
      const blocks = Math.ceil(this.hostCount / this.hostsPerDomain);
      for (let b = 0; b < blocks; b++) {
        const x = BLOCK_GAP + (b % this.perRow) * (this.blockW + BLOCK_GAP);
        const y = BLOCK_GAP + Math.floor(b / this.perRow) * (this.blockH + BLOCK_GAP);
        ctx.strokeRect(x - 2.5, y - 2.5, this.blockW + 4, this.blockH + 4);
      }
    }
    for (const g of this.gpus) {
      const p = this.position(g);
      drawCell(ctx, p.x, p.y, this.cell, this.colour(g), g.health);
    }
    if (document.activeElement === this.canvas && this.gpus[this.focus]) {
      const p = this.position(this.gpus[this.focus]);
      ctx.strokeStyle = '#f0e442';
      ctx.lineWidth = 2;
      ctx.strokeRect(p.x - 2, p.y - 2, this.cell + 4, this.cell + 4);
    }
  }

  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  }

  hit(e) {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const bx = Math.floor((x - BLOCK_GAP) / (this.blockW + BLOCK_GAP));
    const by = Math.floor((y - BLOCK_GAP) / (this.blockH + BLOCK_GAP));
    if (bx < 0 || by < 0 || bx >= this.perRow) return -1;
    const col = Math.floor((x - BLOCK_GAP - bx * (this.blockW + BLOCK_GAP)) / this.pitch);
    const row = Math.floor((y - BLOCK_GAP - by * (this.blockH + BLOCK_GAP)) / this.pitch);
    if (col < 0 || col >= this.perHost || row < 0 || row >= this.hostsPerDomain) return -1;
    const hostIndex = (by * this.perRow + bx) * this.hostsPerDomain + row;
    // GPUs of a host are contiguous in the list: find the one in this column
    const start = this.hostStart[hostIndex];
    if (start === undefined) return -1;
    for (let i = start; i < this.gpus.length && this.gpus[i].hostIndex === hostIndex; i++) {
      if (this.gpus[i].col === col) return i;
    }
    return -1;
  }

  describe(g) {
    const m = MODES[this.mode];
    const v = this.values.get(g.id)?.value?.[this.mode];
    const metric = this.mode === 'health' ? '' : `, ${m.label} ${v === undefined ? 'not loaded' : m.pct ? fmt.pct(v) : fmt.num(v)}`;
    return `${g.id} ${GLYPHS[g.health] ?? '?'} ${g.health}${metric}`;
  }

  hover(e) {
    const i = this.hit(e);
    if (i < 0) {
      this.tip.hidden = true;
      this.canvas.style.cursor = 'default';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    this.tip.textContent = this.describe(this.gpus[i]);
    this.tip.style.left = `${e.clientX + 14}px`;
    this.tip.style.top = `${e.clientY + 14}px`;
    this.tip.hidden = false;
  }

  key(e) {
    const g = this.gpus[this.focus];
    if (!g) return;
    let target = null;
    const at = (hostIndex, col) => {
      const start = this.hostStart[hostIndex];
      if (start === undefined) return -1;
      for (let i = start; i < this.gpus.length && this.gpus[i].hostIndex === hostIndex; i++) if (this.gpus[i].col === col) return i;
      return -1;
    };
    switch (e.key) {
      case 'ArrowRight': target = this.focus + 1; break;
      case 'ArrowLeft': target = this.focus - 1; break;
      case 'ArrowDown': target = at(g.hostIndex + 1, g.col); break;
      case 'ArrowUp': target = at(g.hostIndex - 1, g.col); break;
      case 'Home': target = 0; break;
      case 'End': target = this.gpus.length - 1; break;
      case 'Enter': case ' ': e.preventDefault(); this.onOpen(g.id); return;
      default: return;
    }
    e.preventDefault();
    if (target === null || target < 0 || target >= this.gpus.length) return;
    this.focus = target;
    const p = this.position(this.gpus[target]);
    // keep the focused cell in view
    if (p.y < this.scroller.scrollTop || p.y + this.cell > this.scroller.scrollTop + this.scroller.clientHeight) {
      this.scroller.scrollTop = p.y - this.scroller.clientHeight / 2;
    }
    this.showFocus();
    this.draw();
    this.fetch([this.gpus[target]]);
  }

  showFocus() {
    const g = this.gpus[this.focus];
    if (g) this.focusText.textContent = `Focused: ${this.describe(g)}.`;
  }

  /** Loads metric values for the GPUs currently scrolled into view (only in a metric mode). */
  fetchVisible() {
    if (this.mode === 'health' || !this.ctx || this.disposed) return;
    const top = this.scroller.scrollTop - 40;
    const bottom = top + this.scroller.clientHeight + 80;
    const visible = this.gpus.filter((g) => {
      const y = this.position(g).y;
      return y >= top && y <= bottom;
    });
    this.fetch(visible.slice(0, MAX_PER_PASS));
  }

  fetch(gpus) {
    const now = Date.now();
    for (const g of gpus) {
      const known = this.values.get(g.id);
      if (this.pending.has(g.id) || (known && now - known.at < STALE_MS)) continue;
      this.pending.add(g.id);
      this.queue.push(g.id);
    }
    this.pump();
  }

  pump() {
    while (this.active < CONCURRENCY && this.queue.length && !this.disposed) {
      const id = this.queue.shift();
      this.active++;
      api.device(id)
        .then((d) => {
          this.values.set(id, { value: d.metrics ?? {}, at: Date.now() });
          this.setHealth(id, d.health);
        })
        .catch(() => this.values.set(id, { value: {}, at: Date.now() }))
        .finally(() => {
          this.active--;
          this.pending.delete(id);
          this.scheduleDraw();
          this.pump();
          if (!this.queue.length && !this.active) this.onLoaded?.();
        });
    }
  }

  loadedCount() {
    let n = 0;
    for (const g of this.gpus) if (this.values.get(g.id)?.value?.[this.mode] !== undefined) n++;
    return n;
  }
}

export function legend(mode) {
  if (mode === 'health') {
    return h('div', { class: 'legend', 'aria-label': 'legend' },
      ['healthy', 'degraded', 'failed', 'draining'].map((k) => h('span', {},
        h('span', { class: 'swatch', style: { background: COLORS[k] } }), `${GLYPHS[k]} ${k}`)),
      h('span', {}, 'degraded cells carry a diagonal, failed cells a cross'));
  }
  const m = MODES[mode];
  const f = (v) => (m.pct ? fmt.pct(v) : fmt.num(v));
  return h('div', { class: 'legend', 'aria-label': 'legend' },
    h('span', {}, f(m.min)), h('span', { class: 'ramp', style: { background: rampCss() } }), h('span', {}, f(m.max)),
    h('span', {}, h('span', { class: 'swatch', style: { background: UNLOADED } }), 'not loaded yet'),
    h('span', {}, 'health marks stay on top: diagonal degraded, cross failed'));
}
