// A scatter's markers rasterised in script: users' circles and items' outlined squares stamped
// into one pixel buffer through anti-aliased coverage masks, then drawn as one image. Ten thousand
// markers drawn as canvas paths cost a frame of about 50 ms without a GPU, most of it the
// browser rasterising the paths when the frame is committed; this takes a few milliseconds.

/** A marker's box, in CSS pixels: a circle of radius 3.5, or an 8-pixel square with a 1-pixel
 * outline centred on its edge (what the canvas paths of the SVG export draw). */
const BOX = 10;
/** Samples per pixel side for a mask's coverage. */
const SAMPLES = 4;
/** Markers are drawn at this opacity, as the paths are. */
const ALPHA = 0.85;

/** @typedef {{ half: number, fill: Float32Array, ring: Float32Array | null }} Mask */
/** @type {Map<string, Mask>} */
const MASKS = new Map();

/**
 * The coverage of each device pixel of a marker's box, `half` pixels either side of its centre.
 * @param {'user' | 'item'} kind @param {number} dpr device pixels per CSS pixel
 * @returns {Mask}
 */
export function markerMask(kind, dpr) {
  const key = `${kind} ${dpr}`;
  let mask = MASKS.get(key);
  if (mask) return mask;
  const half = Math.ceil((BOX / 2) * dpr);
  const size = 2 * half;
  const fill = new Float32Array(size * size);
  const ring = kind === 'item' ? new Float32Array(size * size) : null;
  const share = 1 / (SAMPLES * SAMPLES);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES - half) / dpr;
          const y = (py + (sy + 0.5) / SAMPLES - half) / dpr;
          if (kind === 'user') {
            if (x * x + y * y <= 3.5 * 3.5) fill[py * size + px] += share;
            continue;
          }
          const edge = Math.max(Math.abs(x), Math.abs(y));
          if (edge <= 4) fill[py * size + px] += share;
          if (ring && edge >= 3.5 && edge <= 4.5) ring[py * size + px] += share;
        }
      }
    }
  }
  mask = { half, fill, ring };
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
export function rgb(colour) {
  resolver ??= /** @type {OffscreenCanvasRenderingContext2D} */ (new OffscreenCanvas(1, 1).getContext('2d'));
  resolver.fillStyle = '#000000';
  resolver.fillStyle = colour;
  const s = String(resolver.fillStyle);
  const hex = (/** @type {number} */ j) => parseInt(s.slice(j, j + 2), 16) / 255;
  if (s.startsWith('#')) return [hex(1), hex(3), hex(5)];
  const [r, g, b] = (s.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
  return [r / 255, g / 255, b / 255];
}

/** A premultiplied RGBA buffer kept between draws of the same size. @type {Float32Array} */
let buffer = new Float32Array(0);

/**
 * Draws the markers onto `ctx` (whose transform scales CSS pixels to device pixels), users'
 * circles first, then items' squares with their outline in `outline`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w the canvas's CSS width
 * @param {number} h its CSS height
 * @param {Map<string, number[]>} users colour -> flat [x, y, x, y, ...] centres in CSS pixels
 * @param {Map<string, number[]>} items the same for items
 * @param {string} outline the squares' outline colour
 */
export function drawMarkers(ctx, w, h, users, items, outline) {
  const dpr = ctx.getTransform().a || 1;
  const W = Math.round(w * dpr);
  const H = Math.round(h * dpr);
  if (W <= 0 || H <= 0) return;
  if (buffer.length !== W * H * 4) buffer = new Float32Array(W * H * 4);
  else buffer.fill(0);
  const buf = buffer;
  /** Source-over of colour `c` at alpha `a` onto pixel (x, y). */
  const over = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number[]} */ c, /** @type {number} */ a) => {
    const i = 4 * (y * W + x);
    const k = 1 - a;
    buf[i] = c[0] * a + buf[i] * k;
    buf[i + 1] = c[1] * a + buf[i + 1] * k;
    buf[i + 2] = c[2] * a + buf[i + 2] * k;
    buf[i + 3] = a + buf[i + 3] * k;
  };
  const ink = rgb(outline);
  for (const [kind, layer] of /** @type {const} */ ([['user', users], ['item', items]])) {
    const { half, fill, ring } = markerMask(kind, dpr);
    const size = 2 * half;
    for (const [colour, at] of layer) {
      const c = rgb(colour);
      for (let j = 0; j < at.length; j += 2) {
        const x0 = Math.round(at[j] * dpr) - half;
        const y0 = Math.round(at[j + 1] * dpr) - half;
        for (let py = Math.max(0, -y0); py < size && y0 + py < H; py++) {
          for (let px = Math.max(0, -x0); px < size && x0 + px < W; px++) {
            const m = py * size + px;
            if (fill[m] > 0) over(x0 + px, y0 + py, c, ALPHA * fill[m]);
            if (ring && ring[m] > 0) over(x0 + px, y0 + py, ink, ALPHA * ring[m]);
          }
        }
      }
    }
  }
  const img = new ImageData(W, H);
  const px = img.data;
  for (let i = 0; i < buf.length; i += 4) {
    const a = buf[i + 3];
    if (a <= 0) continue;
    px[i] = (255 * buf[i]) / a;
    px[i + 1] = (255 * buf[i + 1]) / a;
    px[i + 2] = (255 * buf[i + 2]) / a;
    px[i + 3] = 255 * a;
  }
  const off = new OffscreenCanvas(W, H);
  /** @type {OffscreenCanvasRenderingContext2D} */ (off.getContext('2d')).putImageData(img, 0, 0);
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.drawImage(off, 0, 0, w, h);
  ctx.restore();
}
