// Health vocabulary of the twin and its colour-blind-safe presentation (Okabe–Ito colours,
// each with a glyph or a drawn mark so colour is never the only cue).
import { h } from './render.js';

export const COLORS = {
  healthy: '#56b4e9',
  degraded: '#e69f00',
  failed: '#d55e00',
  draining: '#cc79a7',
  quarantined: '#cc79a7',
  unknown: '#7f8ca3',
};

export const GLYPHS = { healthy: '●', degraded: '▲', failed: '✖', draining: '◆', quarantined: '◆', unknown: '?' };

export function healthOf(value) {
  return value in COLORS ? value : 'unknown';
}

/** A badge: glyph, word and colour; the data-health attribute is what tests and CSS key on. */
export function badge(health, { large = false } = {}) {
  const hv = healthOf(health);
  return h('span', { class: large ? 'badge badge-lg' : 'badge', dataset: { health: hv } }, hv);
}

/** Rank for sorting and for "worst wins" aggregation. */
export const RANK = { healthy: 0, unknown: 1, draining: 2, quarantined: 2, degraded: 3, failed: 4 };

/** Draws one heatmap cell: fill, then a mark for degraded (diagonal) and failed (cross). */
export function drawCell(ctx, x, y, size, fill, health) {
  ctx.fillStyle = fill;
  ctx.fillRect(x, y, size, size);
  if (size < 4) return;
  if (health === 'degraded') {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = Math.max(1, size / 6);
    ctx.beginPath();
    ctx.moveTo(x, y + size);
    ctx.lineTo(x + size, y);
    ctx.stroke();
  } else if (health === 'failed') {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = Math.max(1, size / 6);
    ctx.beginPath();
    ctx.moveTo(x + 1, y + 1);
    ctx.lineTo(x + size - 1, y + size - 1);
    ctx.moveTo(x + size - 1, y + 1);
    ctx.lineTo(x + 1, y + size - 1);
    ctx.stroke();
  } else if (health === 'draining' || health === 'quarantined') {
    ctx.fillStyle = '#000';
    ctx.fillRect(x + size / 3, y + size / 3, size / 3, size / 3);
  }
}

/** A sequential, colour-blind-friendly ramp (viridis-like) for metric values in [0, 1]. */
const RAMP = [
  [68, 1, 84], [65, 68, 135], [42, 120, 142], [34, 168, 132], [122, 209, 81], [253, 231, 37],
];

export function ramp(t) {
  const v = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(v));
  const f = v - i;
  const c = RAMP[i].map((a, k) => Math.round(a + (RAMP[i + 1][k] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export function rampCss() {
  return `linear-gradient(to right, ${RAMP.map((c) => `rgb(${c.join(',')})`).join(', ')})`;
}
