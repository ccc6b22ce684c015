// A line chart of one or more series over epochs.

import { createCanvasView, cssVar, fmt, niceTicks } from './canvas.js';

/** @typedef {{ name: string, color: string, points: number[], dash?: number[] }} Series */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ xLabel: string, yLabel: string }} labels
 */
export function createLineChart(canvas, labels) {
  /** @type {Series[]} */
  let series = [];
  const view = createCanvasView(canvas, (ctx, w, h) => drawLines(ctx, w, h, series, labels, canvas));
  return {
    /** @param {Series[]} s */
    setSeries(s) {
      series = s;
      view.invalidate();
    },
    destroy: view.destroy,
    toSvg: view.toSvg,
    toPng: view.toPng,
  };
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w
 * @param {number} h
 * @param {Series[]} series
 * @param {{ xLabel: string, yLabel: string }} labels
 * @param {Element} el
 */
export function drawLines(ctx, w, h, series, labels, el) {
  const fg = cssVar(el, '--mfp-fg');
  const grid = cssVar(el, '--mfp-grid');
  const pad = { l: 52, r: 12, t: 10, b: 34 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const finite = series.flatMap((s) => s.points.filter(Number.isFinite));
  const n = Math.max(1, ...series.map((s) => s.points.length));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  if (hi === lo) hi = lo + 1;
  const x = (/** @type {number} */ e) => pad.l + (n <= 1 ? 0 : ((e - 1) / (n - 1)) * pw);
  const y = (/** @type {number} */ v) => pad.t + ph - ((v - lo) / (hi - lo)) * ph;

  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = grid;
  ctx.fillStyle = fg;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(lo, hi, 4)) {
    ctx.beginPath();
    ctx.moveTo(pad.l, y(t));
    ctx.lineTo(pad.l + pw, y(t));
    ctx.stroke();
    ctx.fillText(fmt(t), pad.l - 6, y(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(1, n, 5).filter((t) => Number.isInteger(t))) {
    ctx.fillText(String(t), x(t), pad.t + ph + 4);
  }
  ctx.fillText(labels.xLabel, pad.l + pw / 2, pad.t + ph + 18);
  ctx.save();
  ctx.translate(12, pad.t + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(labels.yLabel, 0, 0);
  ctx.restore();

  ctx.lineWidth = 2;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    s.points.forEach((v, k) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(x(k + 1), y(v));
      else ctx.moveTo(x(k + 1), y(v));
      pen = true;
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
