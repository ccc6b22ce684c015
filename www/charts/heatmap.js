// A rating-matrix heatmap: one cell per (user, item), missing cells hatched. Small matrices draw
// each cell as a rectangle with its value; large ones draw one pixel per cell into ImageData and
// let CSS scale it (image-rendering: pixelated).

import { createCanvasView, cssVar } from './canvas.js';

/**
 * @typedef {{ rows: number, cols: number, values: Float32Array, min: number, max: number,
 *   mask?: Float32Array | null, selected?: { row: number, col: number } | null, diverging?: boolean }} Matrix
 * `mask` marks cells (1) drawn with a hatched corner (the test part); `selected` is outlined;
 * `diverging` colours around 0 (blue below, orange above), for residuals.
 */

// Viridis at 9 stops: perceptually uniform and readable by colour-blind viewers.
const VIRIDIS = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];

/** @param {number} t in [0, 1] @returns {[number, number, number]} */
export function viridis(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const a = VIRIDIS[k];
  const b = VIRIDIS[k + 1];
  const mix = (/** @type {number} */ c) => Math.round(a[c] + (b[c] - a[c]) * f);
  return [mix(0), mix(1), mix(2)];
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ onHover?: (cell: { row: number, col: number, value: number } | null) => void,
 *           onClick?: (cell: { row: number, col: number, value: number }) => void }} [opts]
 */
export function createHeatmap(canvas, opts = {}) {
  /** @type {Matrix | null} */
  let m = null;
  const pixels = new PixelImage();
  const view = createCanvasView(
    canvas,
    (ctx, w, h) => m && drawHeatmap(ctx, w, h, m, canvas, pixels),
    // A large matrix's pixels are computed over as many frames as it takes.
    (w, h, _dpr, deadline) => {
      if (!m || !onePixelACell(m, w, h)) return true;
      const colour = paletteOf(m, canvas);
      if (!pixels.matches(m, colour)) pixels.start(m, colour);
      return pixels.advance(deadline);
    },
  );
  function cellAt(/** @type {MouseEvent} */ ev) {
    if (!m) return null;
    const r = canvas.getBoundingClientRect();
    const col = Math.floor(((ev.clientX - r.left) / r.width) * m.cols);
    const row = Math.floor(((ev.clientY - r.top) / r.height) * m.rows);
    if (row < 0 || col < 0 || row >= m.rows || col >= m.cols) return null;
    return { row, col, value: m.values[row * m.cols + col] };
  }
  const move = (/** @type {MouseEvent} */ ev) => opts.onHover?.(cellAt(ev));
  const leave = () => opts.onHover?.(null);
  const click = (/** @type {MouseEvent} */ ev) => {
    const c = cellAt(ev);
    if (c) opts.onClick?.(c);
  };
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('mouseleave', leave);
  canvas.addEventListener('click', click);
  return {
    /** @param {Matrix} matrix */
    setData(matrix) {
      m = matrix;
      canvas.style.aspectRatio = `${matrix.cols} / ${matrix.rows}`;
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

/** Whether `m` on a `w` x `h` canvas is drawn one pixel a cell (cells under 3 pixels).
 * @param {Matrix} m @param {number} w @param {number} h */
function onePixelACell(m, w, h) {
  return w / m.cols < 3 || h / m.rows < 3;
}

/** The palette `m` is drawn in, in the theme of `el`. @param {Matrix} m @param {Element} el */
function paletteOf(m, el) {
  return m.diverging ? divergingPalette(cssVar(el, '--mfp-neutral')) : viridis;
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w
 * @param {number} h
 * @param {Matrix} m
 * @param {Element} el
 * @param {PixelImage} [pixels] `m`'s pixels, if already computed
 */
export function drawHeatmap(ctx, w, h, m, el, pixels) {
  const cw = w / m.cols;
  const ch = h / m.rows;
  const span = m.max - m.min || 1;
  const missing = cssVar(el, '--mfp-missing');
  const colour = paletteOf(m, el);
  if (onePixelACell(m, w, h)) {
    let image = pixels;
    if (!image?.matches(m, colour)) {
      image = new PixelImage();
      image.start(m, colour);
      image.advance(Infinity);
    }
    image.draw(ctx, w, h);
    return;
  }
  const showText = cw >= 26 && ch >= 18;
  ctx.font = `${Math.min(13, ch * 0.45)}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.values[r * m.cols + c];
      const x0 = Math.round(c * cw);
      const y0 = Math.round(r * ch);
      const x1 = Math.round((c + 1) * cw);
      const y1 = Math.round((r + 1) * ch);
      if (!Number.isFinite(v)) {
        ctx.fillStyle = missing;
        ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
        continue;
      }
      const t = (v - m.min) / span;
      const [R, G, B] = colour(t);
      ctx.fillStyle = `rgb(${R},${G},${B})`;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      if (m.mask && m.mask[r * m.cols + c] === 1) {
        // Test cells: a corner triangle, visible on any colour.
        const s = Math.min(x1 - x0, y1 - y0) * 0.35;
        ctx.fillStyle = '#ffffff';
        ctx.beginPath();
        ctx.moveTo(x1 - s, y0);
        ctx.lineTo(x1, y0);
        ctx.lineTo(x1, y0 + s);
        ctx.fill();
      }
      if (showText) {
        // Dark text on light cells: compare the cell's own brightness.
        const light = 0.299 * R + 0.587 * G + 0.114 * B > 150;
        ctx.fillStyle = light ? '#111' : '#fff';
        ctx.fillText(formatCell(v), (x0 + x1) / 2, (y0 + y1) / 2);
      }
    }
  }
  if (m.selected) {
    const { row, col } = m.selected;
    ctx.strokeStyle = cssVar(el, '--mfp-fg');
    ctx.lineWidth = 3;
    ctx.strokeRect(col * cw + 1.5, row * ch + 1.5, cw - 3, ch - 3);
  }
}

/** @type {Map<string, (t: number) => [number, number, number]>} */
const PALETTES = new Map();

/**
 * The diverging palette on [0, 1] (0.5 is neutral) around the theme's neutral colour (near
 * white in light themes, dark grey in dark ones), one function per neutral so its colour table
 * is cached.
 * @param {string} neutral a `#rrggbb` colour
 */
function divergingPalette(neutral) {
  let f = PALETTES.get(neutral);
  if (!f) {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(neutral);
    const base = m ? [1, 2, 3].map((k) => parseInt(m[k], 16)) : [247, 247, 247];
    f = (/** @type {number} */ t) => diverging(2 * t - 1, base);
    PALETTES.set(neutral, f);
  }
  return f;
}

/** Blue (-1) through a neutral (0) to orange (+1): readable by colour-blind viewers.
 * @param {number} x in [-1, 1] @param {number[]} [white] the neutral colour
 * @returns {[number, number, number]} */
export function diverging(x, white = [247, 247, 247]) {
  const t = Math.max(-1, Math.min(1, x));
  const end = t < 0 ? [33, 102, 172] : [230, 97, 1];
  const a = Math.abs(t);
  const mix = (/** @type {number} */ c) => Math.round(white[c] + (end[c] - white[c]) * a);
  return [mix(0), mix(1), mix(2)];
}

/**
 * 256 colours of a palette as bytes: drawing a large matrix looks colours up instead of
 * computing one per cell (160,000 cells per view must draw in a few milliseconds).
 * @param {(t: number) => [number, number, number]} colour
 */
function lut(colour) {
  const table = new Uint8Array(256 * 3);
  for (let j = 0; j < 256; j++) table.set(colour(j / 255), 3 * j);
  return table;
}
/** @type {Map<Function, Uint8Array>} */
const LUTS = new Map();

/** Cells coloured between two looks at the clock. */
const CELL_CHUNK = 8192;

/**
 * A large matrix as one pixel per cell, computed a slice at a time (`start`, then `advance`
 * until it says the image is complete), then scaled up without smoothing so cells stay crisp
 * (`draw`). Sliced because on a 2-core machine training in the worker, 160,000 cells took
 * 15-32 ms of a frame (2026-12-01, Chrome trace) while the loop waited to be optimised, and an
 * epoch redraws three such views.
 */
export class PixelImage {
  constructor() {
    /** @type {Matrix | null} */
    this.m = null;
    /** @type {((t: number) => [number, number, number]) | null} */
    this.colour = null;
    /** The palette's 256 colours as bytes. @type {Uint8Array} */
    this.table = new Uint8Array(0);
    /** @type {ImageData | null} */
    this.img = null;
    /** @type {OffscreenCanvas | null} */
    this.image = null;
    this.next = 0;
  }

  /** @param {Matrix} m @param {(t: number) => [number, number, number]} colour */
  matches(m, colour) {
    return this.m === m && this.colour === colour;
  }

  /** @param {Matrix} m @param {(t: number) => [number, number, number]} colour */
  start(m, colour) {
    this.m = m;
    this.colour = colour;
    let table = LUTS.get(colour);
    if (!table) {
      table = lut(colour);
      LUTS.set(colour, table);
    }
    this.table = table;
    this.img = new ImageData(m.cols, m.rows);
    this.image = null;
    this.next = 0;
  }

  /** Colours cells until `deadline` (at least one chunk); true when the image is complete.
   * @param {number} deadline a `performance.now()` time */
  advance(deadline) {
    const { m, img, table } = this;
    if (!m || !img) return true;
    const span = m.max - m.min || 1;
    const n = m.rows * m.cols;
    do {
      const end = Math.min(n, this.next + CELL_CHUNK);
      colourCells(img.data, m, span, table, this.next, end);
      this.next = end;
    } while (this.next < n && performance.now() < deadline);
    if (this.next < n) return false;
    this.image = new OffscreenCanvas(m.cols, m.rows);
    /** @type {OffscreenCanvasRenderingContext2D} */ (this.image.getContext('2d')).putImageData(img, 0, 0);
    this.img = null;
    return true;
  }

  /** The complete image, scaled to `w` x `h`. @param {CanvasRenderingContext2D} ctx @param {number} w @param {number} h */
  draw(ctx, w, h) {
    if (!this.image) return;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.image, 0, 0, w, h);
  }
}

/**
 * Cells `from` to `to` of `m` as RGBA bytes into `px`, coloured through `table` (missing cells
 * a faint grey).
 * @param {Uint8ClampedArray} px @param {Matrix} m @param {number} span @param {Uint8Array} table
 * @param {number} from @param {number} to
 */
function colourCells(px, m, span, table, from, to) {
  for (let k = from; k < to; k++) {
    const v = m.values[k];
    const o = 4 * k;
    if (!Number.isFinite(v)) {
      px[o] = 200;
      px[o + 1] = 200;
      px[o + 2] = 200;
      px[o + 3] = 60;
      continue;
    }
    const j = 3 * Math.max(0, Math.min(255, Math.round(((v - m.min) / span) * 255)));
    px[o] = table[j];
    px[o + 1] = table[j + 1];
    px[o + 2] = table[j + 2];
    px[o + 3] = 255;
  }
}

/** @param {number} v */
function formatCell(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/^(-?)0\./, '$1.');
}
