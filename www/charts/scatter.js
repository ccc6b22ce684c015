// A 2-D scatter of embeddings: users as circles, items as squares, coloured by group, with
// hover and click picking.

import { createCanvasView, cssVar, fmt, niceTicks } from './canvas.js';
import { RADIUS, SIDE, drawMarkers } from './point-raster.js';

// Okabe-Ito: eight colours distinguishable with the common colour-vision deficiencies.
export const GROUP_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];

/**
 * @typedef {{ x: number, y: number, kind: 'user' | 'item', index: number, group: number, label: string }} Point
 */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ onHover?: (p: Point | null) => void, onClick?: (p: Point) => void }} [opts]
 */
export function createScatter(canvas, opts = {}) {
  /** @type {Point[]} */
  let points = [];
  /** @type {Point | null} */
  let highlighted = null;
  /** @type {{ x0: number, y0: number, sx: number, sy: number, x1: number, y1: number } | null} */
  let frame = null;
  const view = createCanvasView(canvas, (ctx, w, h) => {
    frame = drawScatter(ctx, w, h, points, highlighted, canvas);
  });
  function pick(/** @type {MouseEvent} */ ev) {
    if (!frame) return null;
    const r = canvas.getBoundingClientRect();
    const mx = ev.clientX - r.left;
    const my = ev.clientY - r.top;
    let best = null;
    let bestD = 10 * 10;
    for (const p of points) {
      const px = frame.x0 + (p.x - frame.sx) * frame.x1;
      const py = frame.y0 - (p.y - frame.sy) * frame.y1;
      const d = (px - mx) ** 2 + (py - my) ** 2;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }
  const move = (/** @type {MouseEvent} */ ev) => opts.onHover?.(pick(ev));
  const click = (/** @type {MouseEvent} */ ev) => {
    const p = pick(ev);
    if (p) opts.onClick?.(p);
  };
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('click', click);
  return {
    /** @param {Point[]} p */
    setPoints(p) {
      points = p;
      view.invalidate();
    },
    /** @param {Point | null} p */
    highlight(p) {
      highlighted = p;
      view.invalidate();
    },
    destroy() {
      view.destroy();
      canvas.removeEventListener('mousemove', move);
      canvas.removeEventListener('click', click);
    },
  };
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w
 * @param {number} h
 * @param {Point[]} points
 * @param {Point | null} highlighted
 * @param {Element} el
 */
export function drawScatter(ctx, w, h, points, highlighted, el) {
  const pad = 28;
  const fg = cssVar(el, '--mfp-fg');
  const grid = cssVar(el, '--mfp-grid');
  const xs = points.map((p) => p.x).filter(Number.isFinite);
  const ys = points.map((p) => p.y).filter(Number.isFinite);
  const lo = (/** @type {number[]} */ a) => (a.length ? Math.min(...a) : -1);
  const hi = (/** @type {number[]} */ a) => (a.length ? Math.max(...a) : 1);
  let [xl, xh, yl, yh] = [lo(xs), hi(xs), lo(ys), hi(ys)];
  if (xh - xl < 1e-9) [xl, xh] = [xl - 1, xh + 1];
  if (yh - yl < 1e-9) [yl, yh] = [yl - 1, yh + 1];
  const x1 = (w - 2 * pad) / (xh - xl);
  const y1 = (h - 2 * pad) / (yh - yl);
  const frame = { x0: pad, y0: h - pad, sx: xl, sy: yl, x1, y1 };
  ctx.strokeStyle = grid;
  ctx.fillStyle = fg;
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  for (const t of niceTicks(xl, xh, 4)) {
    const px = pad + (t - xl) * x1;
    ctx.beginPath();
    ctx.moveTo(px, pad);
    ctx.lineTo(px, h - pad);
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.fillText(fmt(t), px, h - pad + 14);
  }
  for (const t of niceTicks(yl, yh, 4)) {
    const py = h - pad - (t - yl) * y1;
    ctx.beginPath();
    ctx.moveTo(pad, py);
    ctx.lineTo(w - pad, py);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText(fmt(t), pad - 3, py + 4);
  }
  // Users' circles under items' squares, grouped by colour: on a canvas rasterised in script
  // (point-raster.js: ten thousand markers as paths cost a frame of about 50 ms without a GPU),
  // in an SVG export as one path for each colour and shape.
  /** @type {Map<string, number[]>[]} */
  const layers = [new Map(), new Map()];
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const layer = layers[p.kind === 'user' ? 0 : 1];
    const colour = p.group >= 0 ? GROUP_COLOURS[p.group % GROUP_COLOURS.length] : fg;
    let at = layer.get(colour);
    if (!at) layer.set(colour, (at = []));
    at.push(pad + (p.x - xl) * x1, h - pad - (p.y - yl) * y1);
  }
  if (typeof (/** @type {any} */ (ctx)).getImageData === 'function') drawMarkers(ctx, w, h, layers[0], layers[1], fg);
  else {
    ctx.globalAlpha = 0.85;
    for (const [colour, at] of layers[0]) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let j = 0; j < at.length; j += 2) {
        ctx.moveTo(at[j] + RADIUS, at[j + 1]); // a circle of its own, not joined to the last
        ctx.arc(at[j], at[j + 1], RADIUS, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.strokeStyle = fg;
    for (const [colour, at] of layers[1]) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let j = 0; j < at.length; j += 2) ctx.rect(at[j] - SIDE / 2, at[j + 1] - SIDE / 2, SIDE, SIDE);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  if (highlighted) {
    const px = pad + (highlighted.x - xl) * x1;
    const py = h - pad - (highlighted.y - yl) * y1;
    ctx.strokeStyle = fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px, py, 9, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = fg;
    ctx.textAlign = px > w / 2 ? 'right' : 'left';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(highlighted.label, px + (px > w / 2 ? -12 : 12), py - 10);
  }
  return frame;
}
