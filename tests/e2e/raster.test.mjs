// The charts' pixel work done a slice at a time (point-raster.js's MarkerRaster, heatmap.js's
// PixelImage) gives the same image as done in one go, however finely it is cut; and a scatter
// whose markers take many frames keeps showing its last complete picture, then the new one.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

test('markers and heatmap pixels rasterised in slices match the one-go image', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  const result = await page.evaluate(async () => {
    const { MarkerRaster } = await import('/www/charts/point-raster.js');
    const { placeMarkers } = await import('/www/charts/scatter.js');
    const { PixelImage, viridis } = await import('/www/charts/heatmap.js');
    /** Pixels of what `draw` puts on a fresh canvas. */
    const pixels = (/** @type {(ctx: CanvasRenderingContext2D) => void} */ draw, /** @type {number} */ w, /** @type {number} */ h, /** @type {number} */ dpr) => {
      const c = document.createElement('canvas');
      c.width = w * dpr;
      c.height = h * dpr;
      const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      draw(ctx);
      return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
    };
    // 3,000 markers, 12 CSS pixels apart so none overlaps, in two colours per layer; a few
    // more over the edges.
    const W = 1000;
    const H = 460;
    const colours = { '#E69F00': [230, 159, 0], '#0072B2': [0, 114, 178], '#009E73': [0, 158, 115], '#CC79A7': [204, 121, 167] };
    /** @type {Map<string, number[]>[]} */
    const [users, items] = [new Map([['#E69F00', []], ['#0072B2', []]]), new Map([['#009E73', []], ['#CC79A7', []]])];
    /** @type {[number, number, string][]} */
    const centres = [];
    for (let j = 0; j < 3000; j++) {
      const x = 8 + 12 * (j % 82);
      const y = 8 + 12 * Math.floor(j / 82);
      const layer = j % 2 ? items : users;
      const colour = [...layer.keys()][Math.floor(j / 2) % 2];
      layer.get(colour)?.push(x, y);
      centres.push([x, y, colour]);
    }
    users.get('#E69F00')?.push(-2, 100, W + 2, 50);
    // The markers' source may stop between pieces of its own work, as the scatter's does.
    /** @returns {Generator<unknown, [Map<string, number[]>, Map<string, number[]>], undefined>} */
    const given = function* (/** @type {number} */ stops) {
      for (let j = 0; j < stops; j++) yield;
      return [users, items];
    };
    const oneGo = new MarkerRaster();
    oneGo.start(['a'], W, H, 2, given(0), '#333333');
    const done = oneGo.advance(Infinity);
    const sliced = new MarkerRaster();
    sliced.start(['b'], W, H, 2, given(5), '#333333');
    let slices = 1;
    /** Markers placed when each slice ended, while placing. */
    const placing = [];
    while (!sliced.advance(0)) {
      slices++;
      if (sliced.phase === 'place') placing.push(sliced.placed);
    }
    // The same raster again into the buffer it leaves (cleared a slice at a time), over markers
    // moved 6 pixels left: what is left of the first picture must be cleared.
    const moved = new MarkerRaster();
    moved.start(['c'], W, H, 2, given(0), '#333333');
    moved.advance(Infinity);
    const shift = (/** @type {Map<string, number[]>} */ layer) => new Map([...layer].map(([c, at]) => [c, at.map((v, j) => (j % 2 ? v : v - 6))]));
    const [users2, items2] = [shift(users), shift(items)];
    moved.start(['d'], W, H, 2, (function* () { return /** @type {[Map<string, number[]>, Map<string, number[]>]} */ ([users2, items2]); })(), '#333333');
    while (!moved.advance(0));
    const fresh = new MarkerRaster();
    fresh.start(['e'], W, H, 2, (function* () { return /** @type {[Map<string, number[]>, Map<string, number[]>]} */ ([users2, items2]); })(), '#333333');
    fresh.advance(Infinity);
    // The finished buffer turned into the image row by row or marker by marker: the same.
    const byRows = new MarkerRaster({ convert: 'rows' });
    byRows.start(['f'], W, H, 2, given(0), '#333333');
    byRows.advance(Infinity);
    const byMarkers = new MarkerRaster({ convert: 'markers' });
    byMarkers.start(['g'], W, H, 2, given(0), '#333333');
    byMarkers.advance(Infinity);
    const rowsImage = pixels((ctx) => byRows.draw(ctx), W, H, 2);
    const markersImage = pixels((ctx) => byMarkers.draw(ctx), W, H, 2);
    const converted = rowsImage.every((v, j) => v === markersImage[j]) && rowsImage.some((v) => v > 0);
    const reused = pixels((ctx) => moved.draw(ctx), W, H, 2);
    const clean = pixels((ctx) => fresh.draw(ctx), W, H, 2);
    // The scatter's own step before the raster (its axes and the markers' places and colours)
    // stops many times on many points, and gives what it gives in one go.
    const many = Array.from({ length: 60000 }, (_, j) => ({ x: Math.cos(j) * j, y: Math.sin(j) * j, kind: /** @type {const} */ (j % 3 ? 'user' : 'item'), index: j, group: j % 5, label: '' }));
    const steps = placeMarkers(many, 600, 400, '#333333', { frame: null });
    let stops = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) stops++;
    const inOneGo = placeMarkers(many, 600, 400, '#333333', { frame: null });
    let w = inOneGo.next();
    while (!w.done) w = inOneGo.next();
    const layersSame = JSON.stringify(r.value.map((l) => [...l])) === JSON.stringify(w.value.map((l) => [...l]));
    const placedTotal = r.value.reduce((n, l) => n + [...l.values()].reduce((k, at) => k + at.length / 2, 0), 0);
    const a = pixels((ctx) => oneGo.draw(ctx), W, H, 2);
    const b = pixels((ctx) => sliced.draw(ctx), W, H, 2);
    // Each marker's centre has its colour at the markers' opacity.
    const wrong = centres.filter(([x, y, colour]) => {
      const o = 4 * (2 * y * 2 * W + 2 * x);
      const want = /** @type {any} */ (colours)[colour];
      return [0, 1, 2].some((c) => Math.abs(b[o + c] - want[c]) > 2) || Math.abs(b[o + 3] - 0.85 * 255) > 2;
    }).length;
    // A heatmap of 400 x 400 cells, some missing.
    const values = Float32Array.from({ length: 160000 }, (_, j) => (j % 97 === 0 ? NaN : 1 + (j % 5)));
    const m = { rows: 400, cols: 400, values, min: 1, max: 5 };
    const whole = new PixelImage();
    whole.start(m, viridis);
    const wholeDone = whole.advance(Infinity);
    const parts = new PixelImage();
    parts.start(m, viridis);
    let cellSlices = 1;
    while (!parts.advance(0)) cellSlices++;
    const c = pixels((ctx) => whole.draw(ctx, 400, 400), 400, 400, 1);
    const d = pixels((ctx) => parts.draw(ctx, 400, 400), 400, 400, 1);
    // Each cell is its value's colour.
    let wrongCells = 0;
    for (let j = 0; j < values.length; j++) {
      const want = Number.isNaN(values[j]) ? [200, 200, 200, 60] : [...viridis(Math.round(((values[j] - 1) / 4) * 255) / 255), 255];
      if (want.some((v, l) => Math.abs(d[4 * j + l] - v) > (l < 3 && want[3] < 255 ? 3 : 0))) wrongCells++;
    }
    return {
      done, slices, same: a.length === b.length && a.every((v, j) => v === b[j]), wrong, placing,
      converted, cleared: reused.length === clean.length && reused.every((v, j) => v === clean[j]), stops, layersSame, placedTotal,
      wholeDone, cellSlices, sameCells: c.every((v, j) => v === d[j]), wrongCells,
    };
  });
  assert.ok(result.done && result.wholeDone, 'with no deadline the work is done in one call');
  assert.ok(result.slices > 10, `cut into many slices (${result.slices})`);
  assert.equal(result.wrong, 0, 'markers without their colour at their centre');
  assert.ok(result.same, 'the sliced markers are the same pixels as the one-go ones');
  assert.ok(result.placing.length >= 5 && result.placing.some((n) => n > 0 && n < 3002), `placing the markers is sliced too: ${JSON.stringify(result.placing)}`);
  assert.ok(result.cleared, 'a raster into a used buffer is the same pixels as one into a new buffer');
  assert.ok(result.converted, 'converted row by row or marker by marker, the image is the same');
  assert.ok(result.stops > 50, `the scatter's step before the raster stops on many points (${result.stops} stops)`);
  assert.ok(result.layersSame, 'and gives the same markers as in one go');
  assert.equal(result.placedTotal, 60000);
  assert.ok(result.cellSlices > 10, `cut into many slices (${result.cellSlices})`);
  assert.ok(result.sameCells, 'the sliced heatmap is the same pixels as the one-go one');
  assert.equal(result.wrongCells, 0, 'cells not in their colour');
  assert.deepEqual(problems, []);
});

test('a scatter whose points move every frame still shows them while they move', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  // 60,000 markers take more than one frame's budget to rasterise on any machine; new
  // coordinates every frame for 1.5 s (as in a glide) must not restart the raster each time.
  const shownWhileMoving = await page.evaluate(async () => {
    const { createScatter } = await import('/www/charts/scatter.js');
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position: fixed; left: 0; top: 0; width: 600px; height: 400px';
    document.body.append(canvas);
    const scatter = createScatter(canvas);
    const painted = () => {
      const data = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d')).getImageData(0, 0, canvas.width, canvas.height).data;
      for (let j = 3; j < data.length; j += 4) if (data[j] > 0) return true;
      return false;
    };
    const t0 = performance.now();
    let seen = false;
    for (let f = 0; performance.now() - t0 < 1500; f++) {
      const points = Array.from({ length: 60000 }, (_, j) => ({
        x: Math.cos(j + f / 10) * (j % 100), y: Math.sin(j + f / 10) * (j % 100), kind: /** @type {const} */ (j % 2 ? 'item' : 'user'), index: j, group: j % 4, label: String(j),
      }));
      scatter.setPoints(points);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      seen ||= painted();
    }
    scatter.destroy();
    return seen;
  });
  assert.ok(shownWhileMoving, 'the map was drawn while its points kept moving');
  assert.deepEqual(problems, []);
});

test('a new picture under a still pointer asks again what the pointer is over', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await page.evaluate(async () => {
    const { createScatter } = await import('/www/charts/scatter.js');
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position: fixed; left: 0; top: 0; width: 600px; height: 400px; z-index: 100';
    document.body.append(canvas);
    const w = /** @type {any} */ (window);
    w.__hovers = [];
    const point = (/** @type {number} */ x, /** @type {number} */ y, /** @type {string} */ label) => ({ x, y, kind: /** @type {const} */ ('item'), index: 0, group: 0, label });
    // Two corners fix the axes; the third point is in the middle of the plot (300, 200).
    const corners = [point(0, 0, 'a'), point(1, 1, 'b')];
    w.__scatter = createScatter(canvas, { onHover: (/** @type {any} */ p) => w.__hovers.push(p ? p.label : null) });
    w.__corners = corners;
    w.__point = point;
    w.__scatter.setPoints([...corners, point(0.5, 0.5, 'middle')]);
  });
  await page.waitForSelector('canvas[data-shown="3"]');
  await page.mouse.move(300, 200);
  await page.waitForFunction(() => /** @type {any} */ (window).__hovers.at(-1) === 'middle');
  // The middle point moves away while the pointer stays: the hover is no longer on it.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__scatter.setPoints([...w.__corners, w.__point(0.9, 0.1, 'middle')]);
  });
  await page.waitForFunction(() => /** @type {any} */ (window).__hovers.at(-1) === null);
  // And the pointer leaving the map leaves nothing hovered.
  await page.mouse.move(300, 200);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__scatter.setPoints([...w.__corners, w.__point(0.5, 0.5, 'middle')]);
  });
  await page.waitForFunction(() => /** @type {any} */ (window).__hovers.at(-1) === 'middle');
  await page.mouse.move(700, 600);
  await page.waitForFunction(() => /** @type {any} */ (window).__hovers.at(-1) === null);
  assert.deepEqual(problems, []);
});
