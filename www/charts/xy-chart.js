// A scatter of points over a logarithmic x axis, with a marked Pareto front: the balance
// sweep's test error against model size or training time. Points answer hover and click.

import { createCanvasView, cssVar, drawYAxis, fmt } from './canvas.js';

/** @typedef {{ id: number, x: number, y: number, front: boolean, label: string }} XyPoint */

const PAD = { l: 56, r: 12, t: 10, b: 36 };

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ xLabel: string, yLabel: string, onHover?: (p: XyPoint | null) => void, onPick?: (p: XyPoint) => void }} opts
 */
export function createXyChart(canvas, opts) {
  /** @type {XyPoint[]} */
  let points = [];
  /** @type {number | null} */
  let highlighted = null;
  /** Screen positions of the points, from the last draw. @type {{ p: XyPoint, sx: number, sy: number }[]} */
  let placed = [];
  const view = createCanvasView(canvas, (ctx, w, h) => {
    placed = draw(ctx, w, h);
  });

  /** @param {CanvasRenderingContext2D} ctx @param {number} w @param {number} h */
  function draw(ctx, w, h) {
    const fg = cssVar(canvas, '--mfp-fg');
    const grid = cssVar(canvas, '--mfp-grid');
    const accent = cssVar(canvas, '--mfp-series-2');
    const muted = cssVar(canvas, '--mfp-muted');
    const pw = w - PAD.l - PAD.r;
    const ph = h - PAD.t - PAD.b;
    const ok = points.filter((p) => p.x > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
    const lx = ok.map((p) => Math.log10(p.x));
    let [x0, x1] = lx.length ? [Math.min(...lx), Math.max(...lx)] : [0, 1];
    if (x1 - x0 < 1e-9) [x0, x1] = [x0 - 0.5, x1 + 0.5];
    const ys = ok.map((p) => p.y);
    let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
    if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.05, y1 + 0.05];
    const pad = (y1 - y0) * 0.08;
    [y0, y1] = [y0 - pad, y1 + pad];
    const sx = (/** @type {number} */ v) => PAD.l + ((Math.log10(v) - x0) / (x1 - x0)) * pw;
    const sy = (/** @type {number} */ v) => PAD.t + ph - ((v - y0) / (y1 - y0)) * ph;

    drawYAxis(ctx, { lo: y0, hi: y1, y: sy, left: PAD.l, width: pw, top: PAD.t, height: ph, title: opts.yLabel, fg, grid });
    ctx.strokeStyle = grid;
    for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
      const v = 10 ** e;
      ctx.beginPath();
      ctx.moveTo(sx(v), PAD.t);
      ctx.lineTo(sx(v), PAD.t + ph);
      ctx.stroke();
      ctx.fillText(fmt(v), sx(v), PAD.t + ph + 4);
    }
    ctx.fillText(opts.xLabel, PAD.l + pw / 2, PAD.t + ph + 20);

    // The front, joined in order of cost.
    const front = ok.filter((p) => p.front).sort((a, b) => a.x - b.x);
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    front.forEach((p, k) => (k ? ctx.lineTo(sx(p.x), sy(p.y)) : ctx.moveTo(sx(p.x), sy(p.y))));
    ctx.stroke();
    const out = [];
    for (const p of ok) {
      const [X, Y] = [sx(p.x), sy(p.y)];
      ctx.fillStyle = p.front ? accent : muted;
      ctx.beginPath();
      ctx.arc(X, Y, p.front ? 4.5 : 3, 0, 2 * Math.PI);
      ctx.fill();
      if (p.id === highlighted) {
        ctx.strokeStyle = fg;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(X, Y, 7, 0, 2 * Math.PI);
        ctx.stroke();
      }
      out.push({ p, sx: X, sy: Y });
    }
    return out;
  }

  /** The point within 10 px of an event, nearest first. @param {MouseEvent} ev */
  function hit(ev) {
    const r = canvas.getBoundingClientRect();
    const [mx, my] = [ev.clientX - r.left, ev.clientY - r.top];
    let best = null;
    let bestD = 100;
    for (const q of placed) {
      const d = (q.sx - mx) ** 2 + (q.sy - my) ** 2;
      if (d < bestD) [best, bestD] = [q.p, d];
    }
    return best;
  }
  const onMove = (/** @type {MouseEvent} */ ev) => {
    const p = hit(ev);
    canvas.style.cursor = p ? 'pointer' : '';
    opts.onHover?.(p);
  };
  const onClick = (/** @type {MouseEvent} */ ev) => {
    const p = hit(ev);
    if (p) opts.onPick?.(p);
  };
  canvas.addEventListener('mousemove', onMove);
  canvas.addEventListener('click', onClick);

  return {
    /** @param {XyPoint[]} p */
    setPoints(p) {
      points = p;
      view.invalidate();
    },
    /** @param {number | null} id */
    highlight(id) {
      highlighted = id;
      view.invalidate();
    },
    /** Screen position of a point (for tests and keyboard focus), or null. @param {number} id */
    position(id) {
      const q = placed.find((x) => x.p.id === id);
      return q ? { x: q.sx, y: q.sy } : null;
    },
    toSvg: view.toSvg,
    toPng: view.toPng,
    destroy() {
      canvas.removeEventListener('mousemove', onMove);
      canvas.removeEventListener('click', onClick);
      view.destroy();
    },
  };
}
