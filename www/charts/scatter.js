// A 2-D scatter of embeddings: users as circles, items as squares, coloured by group, with
// hover and click picking.

import { createCanvasView, cssVar, fmt, niceTicks } from './canvas.js';
import { MarkerRaster, RADIUS, SIDE } from './point-raster.js';

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
  /** The points the canvas shows: `points` once their markers are rasterised. @type {Point[]} */
  let shown = points;
  /** @type {Point | null} */
  let highlighted = null;
  const raster = new MarkerRaster();
  /** The axes' frame worked out for the raster under way, then for the points shown (drawn
   * and picked in). */
  let rastering = { frame: /** @type {Frame | null} */ (null) };
  let shownFrame = /** @type {Frame | null} */ (null);
  /** The pointer's last position over the canvas, and the points the hover was asked about. */
  let pointer = /** @type {{ clientX: number, clientY: number } | null} */ (null);
  let hovered = shown;
  const view = createCanvasView(
    canvas,
    (ctx, w, h) => {
      drawScatter(ctx, w, h, shown, highlighted, canvas, raster, shownFrame ?? undefined);
      // How many markers the picture shows, for whoever waits for new points to be drawn.
      canvas.dataset.shown = String(shown.length);
      // A new picture under a still pointer: what the pointer is over is asked again, so the
      // hover's label and highlight never describe markers that have moved or gone.
      if (shown !== hovered) {
        hovered = shown;
        if (pointer) queueMicrotask(() => pointer && opts.onHover?.(pick(pointer)));
      }
    },
    // The markers are rasterised over as many frames as it takes; the highlight alone does not
    // rasterise them again. A raster under way for earlier points on the same canvas is finished
    // and shown before the newest points are started: points that move every frame (a glide, or
    // quick epochs on a slow machine) would otherwise restart it every frame and never be shown.
    (w, h, dpr, deadline) => {
      const fg = cssVar(canvas, '--mfp-fg');
      const key = [points, w, h, dpr, fg];
      const finishing = raster.phase !== 'done' && raster.matches([raster.key?.[0], w, h, dpr, fg]);
      if (!raster.matches(key) && !finishing) {
        const job = { frame: /** @type {Frame | null} */ (null) };
        raster.start(key, w, h, dpr, placeMarkers(points, w, h, fg, job), fg);
        rastering = job;
      }
      if (!raster.advance(deadline)) return false;
      shown = /** @type {Point[]} */ (raster.key?.[0]);
      shownFrame = rastering.frame;
      if (shown !== points) view.invalidate();
      return true;
    },
  );
  function pick(/** @type {{ clientX: number, clientY: number }} */ ev) {
    const frame = shownFrame;
    if (!frame) return null;
    const r = canvas.getBoundingClientRect();
    const mx = ev.clientX - r.left;
    const my = ev.clientY - r.top;
    let best = null;
    let bestD = 10 * 10;
    for (const p of shown) {
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
  const move = (/** @type {MouseEvent} */ ev) => {
    pointer = { clientX: ev.clientX, clientY: ev.clientY };
    hovered = shown;
    opts.onHover?.(pick(ev));
  };
  const leave = () => {
    pointer = null;
    opts.onHover?.(null);
  };
  const click = (/** @type {MouseEvent} */ ev) => {
    const p = pick(ev);
    if (p) opts.onClick?.(p);
  };
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('mouseleave', leave);
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
      canvas.removeEventListener('mouseleave', leave);
      canvas.removeEventListener('click', click);
    },
  };
}

/** Room around the plot for the axes' labels, in CSS pixels. */
const PAD = 28;

/**
 * The axes' frame of points on a `w` x `h` canvas: `(sx, sy)` to `(xh, yh)` in data units, with
 * `x1`, `y1` CSS pixels a unit, from `(x0, y0)` on the canvas.
 * @typedef {{ x0: number, y0: number, sx: number, sy: number, x1: number, y1: number, xh: number, yh: number }} Frame
 */

/** Points looked at between two stops of a sliced step. */
const CHUNK = 1024;

/**
 * The frame of `points`, stopping (yielding) after every CHUNK points.
 * @param {Point[]} points
 * @param {number} w
 * @param {number} h
 * @returns {Generator<unknown, Frame, undefined>}
 */
function* frameSteps(points, w, h) {
  let [xl, xh, yl, yh] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let j = 0; j < points.length; j++) {
    const { x, y } = points[j];
    if (Number.isFinite(x)) {
      if (x < xl) xl = x;
      if (x > xh) xh = x;
    }
    if (Number.isFinite(y)) {
      if (y < yl) yl = y;
      if (y > yh) yh = y;
    }
    if ((j + 1) % CHUNK === 0) yield;
  }
  if (xl > xh) [xl, xh] = [-1, 1];
  if (yl > yh) [yl, yh] = [-1, 1];
  if (xh - xl < 1e-9) [xl, xh] = [xl - 1, xh + 1];
  if (yh - yl < 1e-9) [yl, yh] = [yl - 1, yh + 1];
  const x1 = (w - 2 * PAD) / (xh - xl);
  const y1 = (h - 2 * PAD) / (yh - yl);
  return { x0: PAD, y0: h - PAD, sx: xl, sy: yl, x1, y1, xh, yh };
}

/**
 * The markers' centres in CSS pixels, users' and items' in two layers, each grouped by colour;
 * the frame they are in is left in `out.frame`. Stops (yields) after every CHUNK points, for
 * MarkerRaster's slices.
 * @param {Point[]} points
 * @param {number} w
 * @param {number} h
 * @param {string} fg the colour of points without a group
 * @param {{ frame: Frame | null }} out
 * @returns {Generator<unknown, [Map<string, number[]>, Map<string, number[]>], undefined>}
 */
export function* placeMarkers(points, w, h, fg, out) {
  const frame = yield* frameSteps(points, w, h);
  out.frame = frame;
  const { x0, y0, sx, sy, x1, y1 } = frame;
  /** @type {[Map<string, number[]>, Map<string, number[]>]} */
  const layers = [new Map(), new Map()];
  for (let j = 0; j < points.length; j++) {
    const p = points[j];
    if ((j + 1) % CHUNK === 0) yield;
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const layer = layers[p.kind === 'user' ? 0 : 1];
    const colour = p.group >= 0 ? GROUP_COLOURS[p.group % GROUP_COLOURS.length] : fg;
    let at = layer.get(colour);
    if (!at) layer.set(colour, (at = []));
    at.push(x0 + (p.x - sx) * x1, y0 - (p.y - sy) * y1);
  }
  return layers;
}

/**
 * A sliced step run to its end at once.
 * @template T
 * @param {Generator<unknown, T, undefined>} steps
 * @returns {T}
 */
function finish(steps) {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w
 * @param {number} h
 * @param {Point[]} points
 * @param {Point | null} highlighted
 * @param {Element} el
 * @param {MarkerRaster} [raster] the markers already rasterised (for a canvas; without it, or
 *   on a context that is not a canvas's, e.g. an SVG export's, they are drawn as paths)
 * @param {Frame} [known] the points' frame at this size, if worked out already
 */
export function drawScatter(ctx, w, h, points, highlighted, el, raster, known) {
  const pad = PAD;
  const fg = cssVar(el, '--mfp-fg');
  const grid = cssVar(el, '--mfp-grid');
  const frame = known ?? finish(frameSteps(points, w, h));
  const { sx: xl, sy: yl, xh, yh, x1, y1 } = frame;
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
  if (raster && typeof (/** @type {any} */ (ctx)).getImageData === 'function') raster.draw(ctx);
  else {
    const layers = finish(placeMarkers(points, w, h, fg, { frame: null }));
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
}
