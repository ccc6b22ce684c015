// A line chart of one or more series over epochs.

import { createCanvasView, cssVar, drawYAxis, fmt, niceTicks } from './canvas.js';

/**
 * A series: `points[k]` is drawn at x = `xs[k]` when given, else at k + 1 (epochs, rounds).
 * Its `color` is any CSS colour, or `var(--name)`: a custom property of the canvas, looked up
 * when the chart is drawn (in an animation frame, so that setting the series never makes the
 * browser work out the page's style in the middle of a task).
 * `dots` marks each point (for sparse series, where a lone point would draw no line); `dotsOnly`
 * draws the points without a line (estimates that are not a sequence).
 * @typedef {{ name: string, color: string, points: number[], xs?: number[], dash?: number[], dots?: boolean, dotsOnly?: boolean }} Series
 */
/** A vertical marker, e.g. the best epoch. @typedef {{ x: number, label: string, color?: string }} Marker */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ xLabel: string, yLabel: string, empty?: () => string, continuous?: boolean }} labels `empty`:
 *   what to say while there is nothing to draw (what to press), instead of axes with nothing on
 *   them; `continuous`: x is a measurement (a metric's values), not a count from 1 (epochs)
 */
export function createLineChart(canvas, labels) {
  /** @type {Series[]} */
  let series = [];
  /** @type {Marker[]} */
  let markers = [];
  const view = createCanvasView(canvas, (ctx, w, h) => drawLines(ctx, w, h, series, labels, canvas, markers));
  return {
    /** @param {Series[]} s @param {{ markers?: Marker[] }} [extra] */
    setSeries(s, extra = {}) {
      series = s;
      markers = extra.markers ?? [];
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
 * @param {{ xLabel: string, yLabel: string, empty?: () => string, continuous?: boolean }} labels
 * @param {Element} el
 * @param {Marker[]} [markers]
 */
export function drawLines(ctx, w, h, series, labels, el, markers = []) {
  const fg = cssVar(el, '--mfp-fg');
  const grid = cssVar(el, '--mfp-grid');
  const colour = (/** @type {string} */ c) => (c.startsWith('var(') ? cssVar(el, c.slice(4, -1).trim()) : c);
  const pad = { l: 52, r: 12, t: 10, b: 34 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const finite = series.flatMap((s) => s.points.filter(Number.isFinite));
  if (!finite.length && labels.empty) {
    // Nothing run yet: say what to press rather than draw axes over nothing.
    ctx.fillStyle = cssVar(el, '--mfp-muted') || fg;
    ctx.font = '14px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(labels.empty(), w / 2, h / 2, w - 16);
    return;
  }
  const xsOf = (/** @type {Series} */ s) => s.xs ?? s.points.map((_, k) => k + 1);
  const allX = series.flatMap((s) => xsOf(s)).concat(markers.map((m) => m.x));
  const finiteX = allX.filter(Number.isFinite);
  const x0 = labels.continuous ? (finiteX.length ? Math.min(...finiteX) : 0) : allX.length ? Math.min(1, ...allX) : 1;
  const n = labels.continuous ? Math.max(x0 + 1e-9, ...finiteX) : Math.max(x0 + 1, ...allX, 1);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  if (hi === lo) hi = lo + 1;
  const x = (/** @type {number} */ e) => pad.l + ((e - x0) / (n - x0)) * pw;
  const y = (/** @type {number} */ v) => pad.t + ph - ((v - lo) / (hi - lo)) * ph;

  drawYAxis(ctx, { lo, hi, y, left: pad.l, width: pw, top: pad.t, height: ph, title: labels.yLabel, fg, grid });
  for (const t of niceTicks(x0, n, 5).filter((t) => labels.continuous || Number.isInteger(t))) {
    ctx.fillText(labels.continuous ? fmt(t) : String(t), x(t), pad.t + ph + 4);
  }
  ctx.fillText(labels.xLabel, pad.l + pw / 2, pad.t + ph + 18);

  for (const m of markers) {
    ctx.strokeStyle = m.color ? colour(m.color) : fg;
    ctx.fillStyle = m.color ? colour(m.color) : fg;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x(m.x), pad.t);
    ctx.lineTo(x(m.x), pad.t + ph);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = x(m.x) > pad.l + pw * 0.7 ? 'right' : 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(m.label, x(m.x) + (ctx.textAlign === 'right' ? -4 : 4), pad.t + 2);
  }
  ctx.lineWidth = 2;
  for (const s of series) {
    const xs = xsOf(s);
    ctx.strokeStyle = colour(s.color);
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    s.points.forEach((v, k) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(x(xs[k]), y(v));
      else ctx.moveTo(x(xs[k]), y(v));
      pen = true;
    });
    if (!s.dotsOnly) ctx.stroke();
    if (s.dots || s.dotsOnly) {
      ctx.fillStyle = colour(s.color);
      s.points.forEach((v, k) => {
        if (!Number.isFinite(v)) return;
        ctx.beginPath();
        ctx.arc(x(xs[k]), y(v), 3, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }
  ctx.setLineDash([]);
}
