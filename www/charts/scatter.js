// A 2-D scatter of embeddings: users as circles, items as squares, coloured by group, with
// hover and click picking.

import { createCanvasView, cssVar, fmt, niceTicks } from './canvas.js';
import { MarkerRaster, RADIUS, SIDE } from './point-raster.js';

// Okabe-Ito: eight colours distinguishable with the common colour-vision deficiencies.
export const GROUP_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];

/**
 * @typedef {{ x: number, y: number, kind: 'user' | 'item', index: number, group: number, label: string }} Point
 */

/** A named place on the map that is not a user or an item (a hybrid model's feature). @typedef {{ x: number, y: number, text: string }} Label */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ onHover?: (p: Point | null) => void, onClick?: (p: Point) => void, onZoom?: (k: number) => void }} [opts]
 */
export function createScatter(canvas, opts = {}) {
  /** @type {Point[]} */
  let points = [];
  /** The points the canvas shows: `points` once their markers are rasterised. @type {Point[]} */
  let shown = points;
  /** @type {Point | null} */
  let highlighted = null;
  /** @type {Label[]} */
  let labels = [];
  const raster = new MarkerRaster();
  /** The axes' frame worked out for the raster under way, then for the points shown (drawn
   * and picked in). */
  let rastering = { frame: /** @type {Frame | null} */ (null) };
  let shownFrame = /** @type {Frame | null} */ (null);
  /** The pointer's last position over the canvas, and the points the hover was asked about. */
  let pointer = /** @type {{ clientX: number, clientY: number } | null} */ (null);
  let hovered = shown;
  /** The zoom: a new object on every change (the raster's key compares it). @type {Zoom} */
  let zoom = FIT;
  const view = createCanvasView(
    canvas,
    (ctx, w, h) => {
      drawScatter(ctx, w, h, shown, highlighted, canvas, raster, shownFrame ?? undefined, zoom, labels);
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
      const key = [points, w, h, dpr, fg, zoom];
      const finishing = raster.phase !== 'done' && raster.matches([raster.key?.[0], w, h, dpr, fg, raster.key?.[5]]) && raster.key?.[5] === zoom;
      if (!raster.matches(key) && !finishing) {
        const job = { frame: /** @type {Frame | null} */ (null) };
        raster.start(key, w, h, dpr, placeMarkers(points, w, h, fg, job, zoom), fg);
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
  /** A drag under way (panning), and whether it moved enough not to be a click. */
  let drag = /** @type {{ x: number, y: number, moved: boolean } | null} */ (null);
  const click = (/** @type {MouseEvent} */ ev) => {
    if (drag?.moved) return;
    const p = pick(ev);
    if (p) opts.onClick?.(p);
  };
  /** The plot's size in CSS pixels (without the axes' room). */
  const plot = () => {
    const r = canvas.getBoundingClientRect();
    return { r, pw: Math.max(1, r.width - 2 * PAD), ph: Math.max(1, r.height - 2 * PAD) };
  };
  /**
   * Zooms by `f` about the point under `(clientX, clientY)` (the plot's middle without one),
   * which stays where it is; 1 to 50 times, back to the fit at 1.
   * @param {number} f @param {number} [clientX] @param {number} [clientY]
   */
  function zoomBy(f, clientX, clientY) {
    const { r, pw, ph } = plot();
    const fx = clientX === undefined ? 0.5 : Math.min(1, Math.max(0, (clientX - r.left - PAD) / pw));
    const fy = clientY === undefined ? 0.5 : Math.min(1, Math.max(0, (r.bottom - PAD - clientY) / ph));
    const k = Math.min(50, Math.max(1, zoom.k * f));
    if (k === zoom.k) return;
    if (k === 1) {
      setZoom(FIT);
      return;
    }
    // The extent's fraction under the pointer, before and after: the same.
    const u = zoom.ux - 0.5 / zoom.k + fx / zoom.k;
    const v = zoom.uy - 0.5 / zoom.k + fy / zoom.k;
    setZoom({ k, ux: u + 0.5 / k - fx / k, uy: v + 0.5 / k - fy / k });
  }
  /** Moves the view by `dx`, `dy` CSS pixels (a drag). @param {number} dx @param {number} dy */
  function panBy(dx, dy) {
    if (zoom.k === 1) return;
    const { pw, ph } = plot();
    setZoom({ k: zoom.k, ux: zoom.ux - dx / pw / zoom.k, uy: zoom.uy + dy / ph / zoom.k });
  }
  /** @param {Zoom} z */
  function setZoom(z) {
    zoom = z;
    canvas.dataset.zoom = z.k.toFixed(2);
    opts.onZoom?.(z.k);
    view.invalidate();
  }
  const wheel = (/** @type {WheelEvent} */ ev) => {
    ev.preventDefault();
    zoomBy(Math.exp(-ev.deltaY / 300), ev.clientX, ev.clientY);
  };
  const down = (/** @type {PointerEvent} */ ev) => {
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
  };
  const dragMove = (/** @type {PointerEvent} */ ev) => {
    if (!drag || !(ev.buttons & 1)) return;
    const [dx, dy] = [ev.clientX - drag.x, ev.clientY - drag.y];
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag = { x: ev.clientX, y: ev.clientY, moved: true };
    panBy(dx, dy);
  };
  // The click after a drag comes before this clears it.
  const up = () => setTimeout(() => (drag = null), 0);
  const dbl = () => setZoom(FIT);
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('mouseleave', leave);
  canvas.addEventListener('click', click);
  canvas.addEventListener('wheel', wheel, { passive: false });
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', dragMove);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('dblclick', dbl);
  return {
    /** @param {Point[]} p */
    setPoints(p) {
      points = p;
      view.invalidate();
    },
    /** Named places drawn over the points, as diamonds with their names. @param {Label[]} l */
    setLabels(l) {
      labels = l;
      view.invalidate();
    },
    /** @param {Point | null} p */
    highlight(p) {
      highlighted = p;
      view.invalidate();
    },
    zoomBy,
    toSvg: view.toSvg,
    toPng: view.toPng,
    /** Back to every point in view. */
    fit: () => setZoom(FIT),
    destroy() {
      view.destroy();
      canvas.removeEventListener('mousemove', move);
      canvas.removeEventListener('mouseleave', leave);
      canvas.removeEventListener('click', click);
      canvas.removeEventListener('wheel', wheel);
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', dragMove);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('dblclick', dbl);
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
 * A zoom of the map: `k` times closer (1: every point fits), centred at `(ux, uy)`, fractions of
 * the points' extent (0.5, 0.5: its middle).
 * @typedef {{ k: number, ux: number, uy: number }} Zoom
 */
/** @type {Zoom} */
const FIT = { k: 1, ux: 0.5, uy: 0.5 };

/**
 * The frame of `points`, zoomed, stopping (yielding) after every CHUNK points.
 * @param {Point[]} points
 * @param {number} w
 * @param {number} h
 * @param {Zoom} [zoom]
 * @returns {Generator<unknown, Frame, undefined>}
 */
function* frameSteps(points, w, h, zoom = FIT) {
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
  // The window the zoom shows: 1/k of the extent, around its centre.
  const [W, H] = [(xh - xl) / zoom.k, (yh - yl) / zoom.k];
  const sx = xl + zoom.ux * (xh - xl) - W / 2;
  const sy = yl + zoom.uy * (yh - yl) - H / 2;
  const x1 = (w - 2 * PAD) / W;
  const y1 = (h - 2 * PAD) / H;
  return { x0: PAD, y0: h - PAD, sx, sy, x1, y1, xh: sx + W, yh: sy + H };
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
 * @param {Zoom} [zoom]
 * @returns {Generator<unknown, [Map<string, number[]>, Map<string, number[]>], undefined>}
 */
export function* placeMarkers(points, w, h, fg, out, zoom = FIT) {
  const frame = yield* frameSteps(points, w, h, zoom);
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
    const [px, py] = [x0 + (p.x - sx) * x1, y0 - (p.y - sy) * y1];
    // Zoomed in, the points outside the plot are not drawn.
    if (px < x0 - RADIUS || px > w - PAD + RADIUS || py < PAD - RADIUS || py > y0 + RADIUS) continue;
    let at = layer.get(colour);
    if (!at) layer.set(colour, (at = []));
    at.push(px, py);
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
 * @param {Zoom} [zoom]
 * @param {Label[]} [labels] named places drawn over the points
 */
export function drawScatter(ctx, w, h, points, highlighted, el, raster, known, zoom = FIT, labels = []) {
  const pad = PAD;
  const fg = cssVar(el, '--mfp-fg');
  const grid = cssVar(el, '--mfp-grid');
  const frame = known ?? finish(frameSteps(points, w, h, zoom));
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
    const layers = finish(placeMarkers(points, w, h, fg, { frame: null }, zoom));
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
  // Named places: a diamond and the name, inside the plot (a place beyond it sits at its edge).
  // A name moves up or down a line to keep clear of those already written (the first named are
  // placed first), and is left out where no line is clear.
  ctx.font = 'bold 11px system-ui, sans-serif';
  /** @type {[number, number, number, number][]} */
  const taken = [];
  const halo = cssVar(el, '--mfp-bg');
  for (const l of labels) {
    const px = Math.min(w - pad, Math.max(pad, pad + (l.x - xl) * x1));
    const py = Math.min(h - pad, Math.max(pad, h - pad - (l.y - yl) * y1));
    ctx.fillStyle = fg;
    ctx.beginPath();
    ctx.moveTo(px, py - 6);
    ctx.lineTo(px + 6, py);
    ctx.lineTo(px, py + 6);
    ctx.lineTo(px - 6, py);
    ctx.closePath();
    ctx.fill();
    const right = px > w / 2;
    const tw = ctx.measureText(l.text).width;
    const x0 = right ? px - 9 - tw : px + 9;
    const dy = [0, -12, 12, -24, 24].find((d) => !taken.some(([a, b, c, e]) => x0 < c && x0 + tw > a && py + d - 8 < e && py + d + 4 > b));
    if (dy === undefined) continue;
    taken.push([x0, py + dy - 8, x0 + tw, py + dy + 4]);
    ctx.textAlign = right ? 'right' : 'left';
    // A halo of the background keeps the name readable over the markers.
    ctx.strokeStyle = halo;
    ctx.lineWidth = 3;
    ctx.strokeText(l.text, px + (right ? -9 : 9), py + dy + 4);
    ctx.fillText(l.text, px + (right ? -9 : 9), py + dy + 4);
  }
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
