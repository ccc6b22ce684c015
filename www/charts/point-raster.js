// A scatter's markers rasterised in script: users' circles and items' outlined squares stamped
// into one pixel buffer through anti-aliased coverage masks, then drawn as one image. Ten thousand
// markers drawn as canvas paths cost a frame of about 50 ms without a GPU (10-16 ms of calls,
// then 21-26 ms of the browser rasterising them when the frame was committed, measured in a
// Chrome trace); stamped, they leave one image to composite, and the stamping is done in slices
// under a time budget (MarkerRaster), spread over frames when it takes longer than one.

/** A user's circle's radius and an item's square's side, in CSS pixels (the square has a
 * 1-pixel outline centred on its edge); the SVG export's paths draw the same shapes. */
export const RADIUS = 3.5;
export const SIDE = 8;
/** A marker's box, in CSS pixels: room for either shape and the outline. */
const BOX = 10;
/** Samples per pixel side for a mask's coverage. */
const SAMPLES = 4;
/** Markers are drawn at this opacity, as the paths are. */
const ALPHA = 0.85;

/**
 * A marker's covered pixels only: for pixel j, its column `dx[j]` and row `dy[j]` from the box's
 * corner, and the coverage of the fill and of the outline (0 for circles).
 * @typedef {{ half: number, dx: Int32Array, dy: Int32Array, fill: Float32Array, ring: Float32Array }} Mask
 */
/** @type {Map<string, Mask>} */
const MASKS = new Map();

/**
 * The coverage of each device pixel of a marker's box, `half` pixels either side of its centre.
 * @param {'user' | 'item'} kind @param {number} dpr device pixels per CSS pixel
 * @returns {Mask}
 */
function markerMask(kind, dpr) {
  const key = `${kind} ${dpr}`;
  let mask = MASKS.get(key);
  if (mask) return mask;
  const half = Math.ceil((BOX / 2) * dpr);
  const size = 2 * half;
  const share = 1 / (SAMPLES * SAMPLES);
  /** @type {number[][]} */
  const covered = [];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let fill = 0;
      let ring = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES - half) / dpr;
          const y = (py + (sy + 0.5) / SAMPLES - half) / dpr;
          if (kind === 'user') {
            if (x * x + y * y <= RADIUS * RADIUS) fill += share;
            continue;
          }
          const edge = Math.max(Math.abs(x), Math.abs(y));
          if (edge <= SIDE / 2) fill += share;
          if (edge >= SIDE / 2 - 0.5 && edge <= SIDE / 2 + 0.5) ring += share;
        }
      }
      if (fill > 0 || ring > 0) covered.push([px, py, fill, ring]);
    }
  }
  mask = {
    half,
    dx: Int32Array.from(covered, (c) => c[0]),
    dy: Int32Array.from(covered, (c) => c[1]),
    fill: Float32Array.from(covered, (c) => c[2]),
    ring: Float32Array.from(covered, (c) => c[3]),
  };
  MASKS.set(key, mask);
  return mask;
}

/** @type {OffscreenCanvasRenderingContext2D | null} */
let resolver = null;
/**
 * Any CSS colour as [r, g, b] in 0..1 (its own alpha is not used).
 * @param {string} colour
 * @returns {[number, number, number]}
 */
function rgb(colour) {
  resolver ??= /** @type {OffscreenCanvasRenderingContext2D} */ (new OffscreenCanvas(1, 1).getContext('2d'));
  resolver.fillStyle = '#000000';
  resolver.fillStyle = colour;
  const s = String(resolver.fillStyle);
  const hex = (/** @type {number} */ j) => parseInt(s.slice(j, j + 2), 16) / 255;
  if (s.startsWith('#')) return [hex(1), hex(3), hex(5)];
  const [r, g, b] = (s.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
  return [r / 255, g / 255, b / 255];
}

/**
 * One marker into the premultiplied RGBA buffer `buf` (W x H), its box's corner at (x0, y0):
 * source-over of the fill colour, then of the outline on top. A function of its own, called for
 * every marker, so the engine optimises it after a few calls (a loop over thousands of markers
 * inside one call ran unoptimised for over 100 ms on its first large draw).
 * @param {Float32Array} buf @param {number} W @param {number} H @param {number} x0 @param {number} y0
 * @param {Mask} mask @param {number} cr @param {number} cg @param {number} cb
 * @param {number} ir @param {number} ig @param {number} ib the outline's colour
 */
function stamp(buf, W, H, x0, y0, mask, cr, cg, cb, ir, ig, ib) {
  const { dx, dy, fill, ring } = mask;
  const inside = x0 >= 0 && y0 >= 0 && x0 + 2 * mask.half <= W && y0 + 2 * mask.half <= H;
  for (let m = 0; m < dx.length; m++) {
    const x = x0 + dx[m];
    const y = y0 + dy[m];
    if (!inside && (x < 0 || y < 0 || x >= W || y >= H)) continue;
    const i = 4 * (y * W + x);
    let a = ALPHA * fill[m];
    let k = 1 - a;
    buf[i] = cr * a + buf[i] * k;
    buf[i + 1] = cg * a + buf[i + 1] * k;
    buf[i + 2] = cb * a + buf[i + 2] * k;
    buf[i + 3] = a + buf[i + 3] * k;
    a = ALPHA * ring[m];
    if (a > 0) {
      k = 1 - a;
      buf[i] = ir * a + buf[i] * k;
      buf[i + 1] = ig * a + buf[i + 1] * k;
      buf[i + 2] = ib * a + buf[i + 2] * k;
      buf[i + 3] = a + buf[i + 3] * k;
    }
  }
}

/** Markers placed, markers stamped, buffer rows cleared and rows converted between two looks at
 * the clock. */
const PLACE_CHUNK = 1024;
const STAMP_CHUNK = 64;
const CLEAR_ROWS = 64;
const ROW_CHUNK = 16;

/**
 * What a raster draws: users' and items' markers, each layer a map from a colour to the flat
 * [x, y, x, y, ...] centres of its markers in CSS pixels. Produced by an iterator that may stop
 * (yield) between pieces of its own work, so that working out the markers is sliced too.
 * @typedef {Iterator<unknown, [Map<string, number[]>, Map<string, number[]>], undefined>} MarkerSource
 */

/**
 * A scatter's markers rasterised a slice at a time: `start` sets out what to draw, `advance`
 * works until a deadline and says when the image is complete, `draw` puts the complete image on
 * a canvas. A slice is bounded by the clock, not by a count, so no frame holds up the page
 * however slow the machine or however cold the engine's compiler: on a 2-core machine training
 * in the worker, 4,000 markers stamped in one go took 20-65 ms of a frame (2026-12-01, Chrome
 * trace), mostly before `stamp` was optimised, and placing 10,000 markers before the first
 * slice (with the scatter's axes and colour groups) took 44 ms of one (2026-12-02). Every step
 * whose work grows with the markers or the canvas is sliced: the source's, placing, clearing
 * the buffer, stamping and converting. The image stays until the next one is complete, so
 * hovering (which redraws the highlight) does not rasterise the markers again.
 */
export class MarkerRaster {
  /**
   * @param {{ convert?: 'auto' | 'rows' | 'markers' }} [options] how the finished buffer is
   *   turned into the image: row by row over the markers' box, or only each marker's own box
   *   (fewer pixels when the markers are few for the area they span); 'auto' takes whichever
   *   visits fewer pixels. The two give the same image (raster.test.mjs).
   */
  constructor(options = {}) {
    this.convert = options.convert ?? 'auto';
    /** What the image shows (or will): compared item by item. @type {readonly unknown[] | null} */
    this.key = null;
    /** @type {'place' | 'stamp' | 'convert' | 'done'} */
    this.phase = 'done';
    /** Markers placed so far of the raster under way. */
    this.placed = 0;
    this.dpr = 1;
    /** A premultiplied RGBA buffer, kept between rasters of the same size. */
    this.buf = new Float32Array(0);
    /** The rows of `buf` the last raster wrote to, [from, to): only those need clearing. */
    this.dirty = [0, 0];
    /** The device pixels the markers touch: only those are converted and drawn. */
    this.box = [0, 0, 0, 0];
    /** @type {OffscreenCanvas | null} */
    this.image = null;
    /** @type {Generator<unknown, void, undefined> | null} */
    this.work = null;
  }

  /** @param {readonly unknown[]} key */
  matches(key) {
    return this.key !== null && this.key.length === key.length && this.key.every((v, j) => v === key[j]);
  }

  /**
   * Sets out a new image; no work is done until `advance`. `draw` draws only a complete image,
   * and the canvas view does not redraw until `advance` says it is, so the last picture stays on
   * screen meanwhile.
   * @param {readonly unknown[]} key what the image shows, for `matches`
   * @param {number} w the canvas's CSS width
   * @param {number} h its CSS height
   * @param {number} dpr device pixels per CSS pixel
   * @param {MarkerSource} source the markers: users' then items' (drawn over the users)
   * @param {string} outline the squares' outline colour
   */
  start(key, w, h, dpr, source, outline) {
    this.key = key;
    this.phase = 'place';
    this.placed = 0;
    this.work = this.run(source, Math.round(w * dpr), Math.round(h * dpr), dpr, rgb(outline));
  }

  /**
   * Rasterises until `deadline` (a `performance.now()` time; at least one piece of work is done
   * whatever the deadline, so the image always gets nearer). True when the image is complete.
   * @param {number} deadline
   */
  advance(deadline) {
    while (this.work) {
      if (this.work.next().done) this.work = null;
      else if (performance.now() >= deadline) return false;
    }
    return true;
  }

  /**
   * The raster's steps, stopping (yielding) after each piece of work.
   * @param {MarkerSource} source @param {number} W @param {number} H @param {number} dpr
   * @param {[number, number, number]} outline
   */
  *run(source, W, H, dpr, outline) {
    /** @type {[Map<string, number[]>, Map<string, number[]>]} */
    let layers;
    for (;;) {
      const r = source.next();
      if (r.done) {
        layers = r.value;
        break;
      }
      yield;
    }
    let count = 0;
    for (const layer of layers) for (const at of layer.values()) count += at.length / 2;
    const x0 = new Int32Array(count);
    const y0 = new Int32Array(count);
    /** Each marker's mask and colour, two entries a marker. */
    const style = new Uint16Array(2 * count);
    /** @type {Mask[]} */
    const masks = [];
    /** @type {[number, number, number][]} */
    const colours = [];
    let [x1, y1, x2, y2] = [W, H, 0, 0];
    let m = 0;
    for (const [kind, layer] of /** @type {const} */ ([['user', layers[0]], ['item', layers[1]]])) {
      const mask = markerMask(kind, dpr);
      const half = mask.half;
      masks.push(mask);
      for (const [colour, at] of layer) {
        colours.push(rgb(colour));
        for (let j = 0; j < at.length; j += 2, m++) {
          const cx = Math.round(at[j] * dpr) - half;
          const cy = Math.round(at[j + 1] * dpr) - half;
          x0[m] = cx;
          y0[m] = cy;
          style[2 * m] = masks.length - 1;
          style[2 * m + 1] = colours.length - 1;
          if (cx < x1) x1 = cx;
          if (cy < y1) y1 = cy;
          if (cx + 2 * half > x2) x2 = cx + 2 * half;
          if (cy + 2 * half > y2) y2 = cy + 2 * half;
          if ((m + 1) % PLACE_CHUNK === 0) {
            this.placed = m + 1;
            yield;
          }
        }
      }
    }
    this.placed = count;
    const box = [Math.max(0, x1), Math.max(0, y1), Math.min(W, x2), Math.min(H, y2)];
    // The buffer: a new one (zeroed) for a new size, or the last raster's rows cleared.
    const buf = this.buf.length === W * H * 4 ? this.buf : new Float32Array(W * H * 4);
    if (buf === this.buf) {
      for (let y = this.dirty[0]; y < this.dirty[1]; y += CLEAR_ROWS) {
        buf.fill(0, 4 * y * W, 4 * Math.min(this.dirty[1], y + CLEAR_ROWS) * W);
        yield;
      }
    }
    this.buf = buf;
    this.dpr = dpr;
    this.dirty = [box[1], Math.max(box[1], box[3])];
    this.phase = 'stamp';
    const [ir, ig, ib] = outline;
    for (let from = 0; from < count; from += STAMP_CHUNK) {
      const end = Math.min(count, from + STAMP_CHUNK);
      for (let j = from; j < end; j++) {
        const [cr, cg, cb] = colours[style[2 * j + 1]];
        stamp(buf, W, H, x0[j], y0[j], masks[style[2 * j]], cr, cg, cb, ir, ig, ib);
      }
      yield;
    }
    this.phase = 'convert';
    const img = box[2] > box[0] && box[3] > box[1] ? new ImageData(box[2] - box[0], box[3] - box[1]) : null;
    if (img) {
      // Pixels no marker touches are transparent in the new image already: the ten markers of
      // a small example, spread over the map, touch a few percent of their box.
      const side = 2 * Math.max(...masks.map((k) => k.half));
      const perMarker = this.convert === 'markers' || (this.convert === 'auto' && count * side * side < img.width * img.height);
      if (perMarker) {
        for (let from = 0; from < count; from += STAMP_CHUNK) {
          const end = Math.min(count, from + STAMP_CHUNK);
          for (let j = from; j < end; j++) {
            const cx = x0[j] - box[0];
            const cy = y0[j] - box[1];
            unpremultiply(buf, W, box[0], box[1], img, Math.max(0, cx), Math.min(img.width, cx + side), Math.max(0, cy), Math.min(img.height, cy + side));
          }
          yield;
        }
      } else {
        for (let from = 0; from < img.height; from += ROW_CHUNK) {
          unpremultiply(buf, W, box[0], box[1], img, 0, img.width, from, Math.min(img.height, from + ROW_CHUNK));
          yield;
        }
      }
    }
    this.box = box;
    this.image = null;
    if (img) {
      this.image = new OffscreenCanvas(img.width, img.height);
      /** @type {OffscreenCanvasRenderingContext2D} */ (this.image.getContext('2d')).putImageData(img, 0, 0);
    }
    this.phase = 'done';
  }

  /**
   * Draws the complete image onto `ctx` (whose transform scales CSS pixels to device pixels).
   * @param {CanvasRenderingContext2D} ctx
   */
  draw(ctx) {
    if (this.phase !== 'done' || !this.image) return;
    const [x1, y1] = this.box;
    ctx.save();
    ctx.globalAlpha = 1;
    ctx.drawImage(this.image, x1 / this.dpr, y1 / this.dpr, this.image.width / this.dpr, this.image.height / this.dpr);
    ctx.restore();
  }
}

/**
 * Columns `x0` to `x1` of rows `y0` to `y1` of `img`, which shows the part of the premultiplied
 * buffer `buf` (rows of `W` pixels) from (bx, by), as straight RGBA bytes.
 * @param {Float32Array} buf @param {number} W @param {number} bx @param {number} by @param {ImageData} img
 * @param {number} x0 @param {number} x1 @param {number} y0 @param {number} y1
 */
function unpremultiply(buf, W, bx, by, img, x0, x1, y0, y1) {
  const px = img.data;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = 4 * ((by + y) * W + bx + x);
      const a = buf[i + 3];
      if (a <= 0) continue;
      const o = 4 * (y * img.width + x);
      px[o] = (255 * buf[i]) / a;
      px[o + 1] = (255 * buf[i + 1]) / a;
      px[o + 2] = (255 * buf[i + 2]) / a;
      px[o + 3] = 255 * a;
    }
  }
}
