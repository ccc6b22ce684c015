// Shared canvas plumbing: devicePixelRatio-aware sizing, redraws batched into animation frames
// under a time budget, and export of what a chart shows as PNG or SVG.

import { SvgContext } from './svg.js';

/**
 * Milliseconds of drawing one animation frame takes on before the views still due wait for the
 * next frame. A change that dirties every view at once (an epoch on large data redraws three
 * 160,000-cell matrices, a 10,000-point scatter and the charts) would otherwise be one task of
 * over 50 ms on a slow machine, during which the page takes no input. Small, because what is
 * timed here is only the drawing calls: the browser rasterises them after the frame's scripts
 * (10,000 circles as canvas paths: about 10 ms of calls, then 25 ms of rasterising in software).
 */
const FRAME_BUDGET_MS = 5;
/** Redraws due, in the order they were asked for. @type {Set<(deadline: number) => boolean>} */
const due = new Set();
let frame = 0;

function drawDue() {
  frame = 0;
  const start = performance.now();
  /** Views that are not ready yet (still preparing): drawn in a later frame. */
  const later = [];
  for (const render of due) {
    due.delete(render);
    if (!render(performance.now() + FRAME_BUDGET_MS)) later.push(render);
    if (performance.now() - start > FRAME_BUDGET_MS) break;
  }
  for (const render of later) due.add(render);
  if (due.size) frame = requestAnimationFrame(drawDue);
}

/**
 * Wraps a canvas so that `draw(ctx, width, height)` runs once in an animation frame after
 * `invalidate()` (however often it was called; in a later frame when the frame's budget is
 * spent), at the canvas's CSS size times devicePixelRatio.
 *
 * A view whose drawing needs work too long for one frame passes `prepare(width, height, dpr,
 * deadline)`, which does that work until `deadline` (a `performance.now()` time) and returns
 * true once `draw` can run; until then the canvas keeps what it shows, and `prepare` is called
 * again in the next frame.
 * @param {HTMLCanvasElement} canvas
 * @param {(ctx: CanvasRenderingContext2D, w: number, h: number) => void} draw
 * @param {(w: number, h: number, dpr: number, deadline: number) => boolean} [prepare]
 */
export function createCanvasView(canvas, draw, prepare) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  /**
   * The canvas's CSS size as its ResizeObserver last reported it: a frame never reads it from
   * the layout (which would force the page's layout inside the animation frame, the first
   * frame's longest part), and a canvas the browser has not laid out (a panel off screen, with
   * `content-visibility: auto`) is not drawn until it is.
   */
  let size = { w: 0, h: 0 };
  /** Draws if ready by `deadline`; false when it must be called again. @param {number} deadline */
  function render(deadline) {
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = size;
    if (w === 0 || h === 0) return true;
    if (prepare && !prepare(w, h, dpr, deadline)) return false;
    const bw = Math.round(w * dpr);
    const bh = Math.round(h * dpr);
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    draw(ctx, w, h);
    return true;
  }
  function invalidate() {
    due.add(render);
    if (!frame) frame = requestAnimationFrame(drawDue);
  }
  const ro = new ResizeObserver((entries) => {
    const box = entries.at(-1)?.contentRect;
    if (box) size = { w: box.width, h: box.height };
    invalidate();
  });
  ro.observe(canvas);
  /** The background the chart is seen on (a canvas is transparent). */
  function background() {
    let el = /** @type {Element | null} */ (canvas);
    while (el) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
      el = el.parentElement;
    }
    return '#ffffff';
  }
  return {
    invalidate,
    /** The chart as an SVG document, drawn by the same function as the canvas. */
    toSvg() {
      const w = canvas.clientWidth || 640;
      const h = canvas.clientHeight || 480;
      const svg = new SvgContext(w, h);
      draw(/** @type {any} */ (svg), w, h);
      return svg.toString(background());
    },
    /** The chart as a PNG (at the screen's resolution, on its background). @returns {Promise<Blob>} */
    toPng() {
      // Asked for by the user: the layout may be read now.
      size = { w: canvas.clientWidth, h: canvas.clientHeight };
      render(Infinity);
      const out = document.createElement('canvas');
      out.width = canvas.width;
      out.height = canvas.height;
      const c = /** @type {CanvasRenderingContext2D} */ (out.getContext('2d'));
      c.fillStyle = background();
      c.fillRect(0, 0, out.width, out.height);
      c.drawImage(canvas, 0, 0);
      return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
    },
    destroy() {
      ro.disconnect();
      due.delete(render);
    },
  };
}

/**
 * A CSS custom property of an element, e.g. cssVar(canvas, '--mfp-fg').
 * @param {Element} el
 * @param {string} name
 */
export function cssVar(el, name) {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/**
 * About `count` round tick values covering [lo, hi].
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 */
export function niceTicks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

/** Short numeric label. @param {number} v */
export function fmt(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(+v.toPrecision(3));
}

/**
 * The left axis of a chart: horizontal grid lines at round values between `lo` and `hi`, each
 * labelled, and the axis title written upwards. Leaves the text centred, top-aligned, for the
 * caller's x axis.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{ lo: number, hi: number, y: (v: number) => number, left: number, width: number, top: number, height: number, title: string, fg: string, grid: string }} o
 */
export function drawYAxis(ctx, o) {
  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = o.grid;
  ctx.fillStyle = o.fg;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(o.lo, o.hi, 4)) {
    ctx.beginPath();
    ctx.moveTo(o.left, o.y(t));
    ctx.lineTo(o.left + o.width, o.y(t));
    ctx.stroke();
    ctx.fillText(fmt(t), o.left - 6, o.y(t));
  }
  ctx.save();
  ctx.translate(12, o.top + o.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(o.title, 0, 0);
  ctx.restore();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
}
