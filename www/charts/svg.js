// Charts as SVG: a stand-in for CanvasRenderingContext2D that records what a chart draws and
// writes it out as SVG. Every chart draws through one function `draw(ctx, w, h)`, so the same
// function that paints the canvas also writes the SVG: the two never disagree.
//
// It supports what the charts use: paths (moveTo, lineTo, arc, rect), fill and stroke, fillRect
// and strokeRect, text with alignment and baseline, dashes, alpha, save/restore, translate,
// rotate, setTransform, and drawImage (a bitmap such as a heatmap's, embedded as a PNG).

/** @param {string} s */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** @param {number} v */
const n = (v) => (Number.isFinite(v) ? +v.toFixed(2) : 0);

export class SvgContext {
  /** @param {number} width @param {number} height */
  constructor(width, height) {
    this.width = width;
    this.height = height;
    /** @type {string[]} */
    this.out = [];
    this.path = '';
    /** The current transform [a, b, c, d, e, f]. */
    this.m = [1, 0, 0, 1, 0, 0];
    this.fillStyle = '#000';
    this.strokeStyle = '#000';
    this.lineWidth = 1;
    this.font = '10px sans-serif';
    this.textAlign = 'start';
    this.textBaseline = 'alphabetic';
    this.globalAlpha = 1;
    this.imageSmoothingEnabled = true;
    /** @type {number[]} */
    this.dash = [];
    /** @type {any[]} */
    this.stack = [];
  }

  /** @param {number} x @param {number} y */
  p(x, y) {
    const [a, b, c, d, e, f] = this.m;
    return [a * x + c * y + e, b * x + d * y + f];
  }

  scaleFactor() {
    const [a, b] = this.m;
    return Math.hypot(a, b);
  }

  save() {
    this.stack.push({ m: [...this.m], fillStyle: this.fillStyle, strokeStyle: this.strokeStyle, lineWidth: this.lineWidth, font: this.font, textAlign: this.textAlign, textBaseline: this.textBaseline, globalAlpha: this.globalAlpha, dash: [...this.dash] });
  }

  restore() {
    const s = this.stack.pop();
    if (s) Object.assign(this, s);
  }

  /** @param {number} a @param {number} b @param {number} c @param {number} d @param {number} e @param {number} f */
  setTransform(a, b, c, d, e, f) {
    this.m = [a, b, c, d, e, f];
  }

  /** @param {number} x @param {number} y */
  translate(x, y) {
    const [a, b, c, d, e, f] = this.m;
    this.m = [a, b, c, d, a * x + c * y + e, b * x + d * y + f];
  }

  /** @param {number} t */
  rotate(t) {
    const [a, b, c, d, e, f] = this.m;
    const [cos, sin] = [Math.cos(t), Math.sin(t)];
    this.m = [a * cos + c * sin, b * cos + d * sin, -a * sin + c * cos, -b * sin + d * cos, e, f];
  }

  /** @param {number[]} d */
  setLineDash(d) {
    this.dash = [...d];
  }

  clearRect() {}

  beginPath() {
    this.path = '';
  }

  closePath() {
    this.path += 'Z';
  }

  /** @param {number} x @param {number} y */
  moveTo(x, y) {
    const [X, Y] = this.p(x, y);
    this.path += `M${n(X)} ${n(Y)}`;
  }

  /** @param {number} x @param {number} y */
  lineTo(x, y) {
    const [X, Y] = this.p(x, y);
    this.path += `L${n(X)} ${n(Y)}`;
  }

  /** @param {number} x @param {number} y @param {number} w @param {number} h */
  rect(x, y, w, h) {
    this.moveTo(x, y);
    this.lineTo(x + w, y);
    this.lineTo(x + w, y + h);
    this.lineTo(x, y + h);
    this.closePath();
  }

  /** A full circle or an arc, with the transform's scale. @param {number} x @param {number} y @param {number} r @param {number} a0 @param {number} a1 */
  arc(x, y, r, a0, a1) {
    const [X, Y] = this.p(x, y);
    const R = r * this.scaleFactor();
    if (Math.abs(a1 - a0) >= 2 * Math.PI - 1e-9) {
      this.path += `M${n(X + R)} ${n(Y)}A${n(R)} ${n(R)} 0 1 1 ${n(X - R)} ${n(Y)}A${n(R)} ${n(R)} 0 1 1 ${n(X + R)} ${n(Y)}`;
      return;
    }
    const [sx, sy] = [X + R * Math.cos(a0), Y + R * Math.sin(a0)];
    const [ex, ey] = [X + R * Math.cos(a1), Y + R * Math.sin(a1)];
    const large = Math.abs(a1 - a0) > Math.PI ? 1 : 0;
    this.path += `${this.path ? 'L' : 'M'}${n(sx)} ${n(sy)}A${n(R)} ${n(R)} 0 ${large} 1 ${n(ex)} ${n(ey)}`;
  }

  style(kind) {
    const alpha = this.globalAlpha < 1 ? ` opacity="${n(this.globalAlpha)}"` : '';
    if (kind === 'fill') return `fill="${esc(String(this.fillStyle))}" stroke="none"${alpha}`;
    const dash = this.dash.length ? ` stroke-dasharray="${this.dash.map((d) => n(d * this.scaleFactor())).join(' ')}"` : '';
    return `fill="none" stroke="${esc(String(this.strokeStyle))}" stroke-width="${n(this.lineWidth * this.scaleFactor())}"${dash}${alpha}`;
  }

  stroke() {
    if (this.path) this.out.push(`<path d="${this.path}" ${this.style('stroke')}/>`);
  }

  fill() {
    if (this.path) this.out.push(`<path d="${this.path}" ${this.style('fill')}/>`);
  }

  /** @param {number} x @param {number} y @param {number} w @param {number} h */
  fillRect(x, y, w, h) {
    const saved = this.path;
    this.beginPath();
    this.rect(x, y, w, h);
    this.fill();
    this.path = saved;
  }

  /** @param {number} x @param {number} y @param {number} w @param {number} h */
  strokeRect(x, y, w, h) {
    const saved = this.path;
    this.beginPath();
    this.rect(x, y, w, h);
    this.stroke();
    this.path = saved;
  }

  /** @param {string} text */
  measureText(text) {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(this.font)?.[1] ?? 10);
    return { width: 0.55 * size * text.length };
  }

  /** @param {string} text @param {number} x @param {number} y */
  fillText(text, x, y) {
    const anchor = { center: 'middle', right: 'end', end: 'end' }[this.textAlign] ?? 'start';
    const base = { middle: 'central', top: 'hanging', bottom: 'text-after-edge' }[this.textBaseline] ?? 'alphabetic';
    const size = /(\d+(?:\.\d+)?)px/.exec(this.font)?.[1] ?? '10';
    const family = this.font.replace(/.*px\s*/, '') || 'sans-serif';
    const weight = /\bbold\b|\b[6-9]00\b/.test(this.font) ? ' font-weight="bold"' : '';
    const [a, b, c, d, e, f] = this.m;
    const alpha = this.globalAlpha < 1 ? ` opacity="${n(this.globalAlpha)}"` : '';
    this.out.push(
      `<text transform="matrix(${[a, b, c, d, e, f].map(n).join(' ')})" x="${n(x)}" y="${n(y)}" font-size="${size}" font-family="${esc(family)}"${weight} text-anchor="${anchor}" dominant-baseline="${base}" fill="${esc(String(this.fillStyle))}"${alpha}>${esc(String(text))}</text>`,
    );
  }

  /** @param {CanvasImageSource} img @param {number} x @param {number} y @param {number} w @param {number} h */
  drawImage(img, x, y, w, h) {
    const src = /** @type {any} */ (img);
    const href = typeof src.toDataURL === 'function' ? src.toDataURL('image/png') : '';
    if (!href) return;
    const [X, Y] = this.p(x, y);
    const s = this.scaleFactor();
    const smooth = this.imageSmoothingEnabled ? '' : ' style="image-rendering:pixelated"';
    this.out.push(`<image x="${n(X)}" y="${n(Y)}" width="${n(w * s)}" height="${n(h * s)}" preserveAspectRatio="none" href="${href}"${smooth}/>`);
  }

  /** The SVG document. @param {string} [background] */
  toString(background) {
    const bg = background ? `<rect width="100%" height="100%" fill="${esc(background)}"/>` : '';
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(this.width)}" height="${n(this.height)}" viewBox="0 0 ${n(this.width)} ${n(this.height)}">${bg}${this.out.join('')}</svg>\n`;
  }
}

/**
 * Offers a file to the user as a download.
 * @param {Blob} blob @param {string} name
 */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
