// The balance between model size, accuracy and compute: a sweep over model families (MF and the
// networks the engine describes), MLP towers, factors, regularisation and epochs, run point by
// point in the worker (progress, Cancel), drawn as test error against parameter count (the
// tower's included) and against training time with the Pareto fronts marked. Clicking a point,
// or its row's Load button, trains that model in the playground.

import { createXyChart } from '../charts/xy-chart.js';
import { h } from '../ui/dom.js';
import { chartExport, csvButton } from '../ui/export.js';
import { t, translate as tr } from '../i18n.js';
import { recruiter, shareOut } from '../pool.js';

/** A 32-bit float as the short decimal it was written as (0.05, not 0.05000000074505806). @param {number} v */
const short = (v) => String(+v.toPrecision(6));

/** @param {string} text @param {(s: string) => number} parse */
function list(text, parse) {
  return text.split(/[\s,;]+/).filter(Boolean).map(parse);
}

/**
 * @typedef {{ helpers: { request: (type: any, payload?: any) => Promise<any> }[], destroy: () => void }} Pool
 * @param {Pick<import('../protocol.js').EngineApi, 'sweepFronts' | 'sweepPoint' | 'sweepRecord' | 'sweepStart'>} engine the requests it makes
 * @param {{ base: () => { params: object, testFraction: number }, load: (p: any) => void,
 *   helpers?: () => number, startPool?: (n: number) => Promise<Pool> }} host `helpers`: how many
 *   extra workers a sweep may use beside the engine (see pool.js), `startPool` starts them
 */
export function createBalancePanel(engine, host) {
  const field = (/** @type {string} */ cls, /** @type {string} */ label, /** @type {string} */ value) => {
    const input = h('input', { type: 'text', class: `mfp-sweep-${cls}`, value, spellcheck: 'false' });
    return { input, label: h('label', {}, [t(label), ' ', input]) };
  };
  const factors = field('factors', 'Factors', '1, 2, 4, 8, 16, 32, 64, 128, 256');
  const regs = field('regs', 'λ', '0.02, 0.1');
  const epochs = field('epochs', 'Epochs', '10, 30');
  const towers = field('towers', 'Towers (MLP)', '64,32,16,8');
  const towersTitle = 'One or more MLP towers, separated by semicolons, e.g. 16,8; 64,32,16,8';
  towers.input.title = tr(towersTitle);
  towers.input.dataset.i18nAttrs = JSON.stringify({ title: { k: towersTitle } });
  /** The families to sweep: one box each, as the engine describes them (setFamilies). */
  const familyBoxes = h('span', { class: 'mfp-sweep-families', role: 'group', 'aria-label': t('Models') });
  const runBtn = h('button', { type: 'button', class: 'mfp-btn mfp-primary mfp-sweep-run', text: t('Run the sweep') });
  const cancelBtn = h('button', { type: 'button', class: 'mfp-btn mfp-sweep-cancel', text: t('Cancel'), disabled: true });
  const progress = h('progress', { class: 'mfp-sweep-progress', max: 1, value: 0, 'aria-label': t('Sweep progress'), hidden: true });
  const status = h('p', { class: 'mfp-note mfp-sweep-status', role: 'status', 'aria-live': 'polite' });
  const hover = h('p', { class: 'mfp-note mfp-sweep-hover', text: t('Point at a dot to read it; click it to train that model.') });
  const sizeCanvas = h('canvas', { class: 'mfp-chart mfp-sweep-size', role: 'img', 'aria-label': t('Test RMSE against parameters') });
  const timeCanvas = h('canvas', { class: 'mfp-chart mfp-sweep-time', role: 'img', 'aria-label': t('Test RMSE against training time') });
  const table = h('table', { class: 'mfp-sweep-table' });
  /** @type {any[]} */
  let points = [];
  let fronts = { bySize: /** @type {boolean[]} */ ([]), byTime: /** @type {boolean[]} */ ([]) };
  let run = 0;
  /** The extra workers of the sweep under way, if any. @type {Pool | null} */
  let pool = null;

  /** Family labels by name, from the engine's description. @type {Record<string, string>} */
  let labels = {};
  const model = (/** @type {any} */ p) => `${tr(labels[p.family] ?? p.family)}${p.layers?.length ? ` ${p.layers.join(',')}` : ''}`;
  /** What a point is weighed by: its test RMSE, or for 0/1 data its HR@10 (higher is better). */
  const metric = (/** @type {any} */ p) => (p.testHr != null ? { name: 'HR@10', value: p.testHr } : { name: 'test RMSE', value: p.testRmse });
  const describe = (/** @type {any} */ p) =>
    tr('{model}, k = {k}, λ = {reg}, {epochs} epochs: {metric} {v}, {params} parameters, {ms} ms', { model: model(p), k: p.nFactors, reg: short(p.reg), epochs: p.epochs, metric: tr(metric(p).name), v: metric(p).value.toFixed(4), params: p.parameters.toLocaleString('en'), ms: p.millis.toFixed(1) });
  const pick = (/** @type {any} */ q) => {
    const p = points.find((x) => x.index === q.id);
    if (p) load(p);
  };
  const onHover = (/** @type {any} */ q) => {
    const p = q && points.find((x) => x.index === q.id);
    hover.textContent = p ? `${describe(p)}${q.front ? tr(' (on the front)') : ''}. ${tr('Click to train it.')}` : tr('Point at a dot to read it; click it to train that model.');
    size.highlight(q ? q.id : null);
    time.highlight(q ? q.id : null);
  };
  // The y axis: test RMSE, or for 0/1 data HR@10 (the charts read the label when they draw).
  const sizeAxes = { xLabel: tr('parameters (log scale)'), yLabel: tr('test RMSE'), onHover, onPick: pick };
  const timeAxes = { xLabel: tr('training time, ms (log scale)'), yLabel: tr('test RMSE'), onHover, onPick: pick };
  const size = createXyChart(sizeCanvas, sizeAxes);
  const time = createXyChart(timeCanvas, timeAxes);

  const csv = () => [
    ['family', 'layers', 'factors', 'reg', 'epochs', 'parameters', 'train_rmse', 'test_rmse', 'test_mae', 'test_hr_at_10', 'milliseconds', 'front_size', 'front_time'],
    ...points.map((p, k) => [p.family, p.layers.join(' '), p.nFactors, short(p.reg), p.epochs, p.parameters, p.trainRmse, p.testRmse, p.testMae, p.testHr ?? '', p.millis, fronts.bySize[k] ? 1 : 0, fronts.byTime[k] ? 1 : 0]),
  ];
  const element = h('div', { class: 'mfp-sweep', dataset: { sweep: 'idle' } }, [
    h('p', { class: 'mfp-note', text: t('Every combination is trained from the same seed on the same training part and tested on the same test part (the knobs above give the rest). A point on the front (orange) is one no other beats on both error and cost.') }),
    h('div', { class: 'mfp-lab-controls' }, [familyBoxes, towers.label, factors.label, regs.label, epochs.label]),
    h('div', { class: 'mfp-actions' }, [runBtn, cancelBtn, progress]),
    status,
    h('div', { class: 'mfp-lab-charts' }, [
      h('figure', { class: 'mfp-lab-figure' }, [h('figcaption', { text: t('Test error against model size') }), sizeCanvas, h('div', { class: 'mfp-chart-tools' }, [chartExport(size, 'sweep-size', 'test error against model size')])]),
      h('figure', { class: 'mfp-lab-figure' }, [h('figcaption', { text: t('Test error against training time') }), timeCanvas, h('div', { class: 'mfp-chart-tools' }, [chartExport(time, 'sweep-time', 'test error against training time')])]),
    ]),
    hover,
    h('div', { class: 'mfp-eval-scroll' }, [table]),
    h('div', { class: 'mfp-chart-tools' }, [csvButton(csv, 'sweep', t('Sweep CSV'))]),
  ]);

  function draw() {
    const hits = points.some((p) => p.testHr != null);
    sizeAxes.yLabel = timeAxes.yLabel = tr(hits ? 'test HR@10, 99 sampled (higher is better)' : 'test RMSE');
    const xy = (/** @type {(p: any) => number} */ cost, /** @type {boolean[]} */ front) =>
      points.map((p, k) => ({ id: p.index, x: cost(p), y: metric(p).value, front: Boolean(front[k]), label: describe(p) }));
    size.setPoints(xy((p) => p.parameters, fronts.bySize));
    time.setPoints(xy((p) => Math.max(p.millis, 0.01), fronts.byTime));
    const onSize = points.filter((_, k) => fronts.bySize[k]);
    sizeCanvas.setAttribute('aria-label', tr(hits ? 'Test HR@10 against parameters, {n} points; on the front: {front}' : 'Test RMSE against parameters, {n} points; on the front: {front}', { n: points.length, front: onSize.map(describe).join('; ') || tr('none yet') }));
    const onTime = points.filter((_, k) => fronts.byTime[k]);
    timeCanvas.setAttribute('aria-label', tr(hits ? 'Test HR@10 against training time, {n} points; on the front: {front}' : 'Test RMSE against training time, {n} points; on the front: {front}', { n: points.length, front: onTime.map(describe).join('; ') || tr('none yet') }));
    table.replaceChildren(
      h('thead', {}, [h('tr', {}, [t('Model'), 'k', 'λ', t('Epochs'), t('Parameters'), t('Test RMSE'), ...(hits ? ['HR@10'] : []), t('Train RMSE'), 'ms', t('Front'), ''].map((x) => h('th', { scope: 'col', text: x })))]),
      h('tbody', {}, points.map((p, k) => {
        const load1 = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-sweep-load', text: t('Load'), 'aria-label': `Train the model with ${describe(p)}` });
        load1.addEventListener('click', () => load(p));
        const front = [fronts.bySize[k] ? tr('size') : '', fronts.byTime[k] ? tr('time') : ''].filter(Boolean).join(', ');
        return h('tr', { dataset: { front: front ? 'yes' : 'no' } }, [
          h('td', { text: model(p) }), h('td', { text: String(p.nFactors) }), h('td', { text: short(p.reg) }), h('td', { text: String(p.epochs) }),
          h('td', { text: p.parameters.toLocaleString('en') }), h('td', { text: p.testRmse.toFixed(4) }),
          ...(hits ? [h('td', { text: p.testHr?.toFixed(4) ?? '–' })] : []), h('td', { text: p.trainRmse.toFixed(4) }),
          h('td', { text: p.millis.toFixed(1) }), h('td', { text: front || '–' }), h('td', {}, [load1]),
        ]);
      })),
    );
  }

  /** @param {any} p */
  function load(p) {
    element.dataset.loaded = 'yes';
    status.textContent = tr('Training the model with {what}…', { what: describe(p) });
    host.load(p);
  }

  async function go() {
    const me = ++run;
    /** @type {{ factors: number[], regs: number[], epochs: number[], families: string[], towers: number[][] }} */
    let grid;
    try {
      const numbers = { factors: list(factors.input.value, (s) => Number(s)), regs: list(regs.input.value, Number), epochs: list(epochs.input.value, Number) };
      const families = [...familyBoxes.querySelectorAll('input:checked')].map((b) => /** @type {HTMLInputElement} */ (b).value);
      const tower = towers.input.value.split(';').map((x) => x.trim()).filter(Boolean);
      if (tower.some((x) => !/^\d+(\s*,\s*\d+)+$/.test(x))) throw new Error(tr('Towers: widths separated by commas, towers by semicolons, e.g. 16,8; 64,32,16,8'));
      grid = { ...numbers, families, towers: tower.map((x) => x.split(',').map(Number)) };
      if (familyBoxes.children.length && families.length === 0) throw new Error(tr('Tick at least one model to sweep.'));
      for (const [name, xs] of Object.entries(numbers)) {
        if (xs.length === 0 || xs.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(tr('{name}: write numbers separated by commas', { name }));
        if (name !== 'regs' && xs.some((v) => !Number.isInteger(v))) throw new Error(tr('{name}: whole numbers only', { name }));
      }
    } catch (err) {
      status.textContent = String(/** @type {any} */ (err).message ?? err);
      return;
    }
    points = [];
    fronts = { bySize: [], byTime: [] };
    delete element.dataset.loaded;
    delete element.dataset.families;
    draw();
    runBtn.disabled = true;
    cancelBtn.disabled = false;
    element.dataset.sweep = 'running';
    const t0 = performance.now();
    try {
      const base = host.base();
      const args = { params: base.params, grid, testFraction: base.testFraction };
      const { points: n } = await engine.sweepStart(args);
      progress.hidden = false;
      progress.max = n;
      // Points are independent: where the engine trains on one thread and the points are slow
      // enough to pay for them, extra workers with the same data and sweep take points too,
      // each point trained where it lands to the same numbers. A pool that cannot start leaves
      // the engine to do them all.
      const want = Math.min(host.helpers?.() ?? 0, n - 1);
      element.dataset.workers = '1';
      const recruit = want > 0 && host.startPool
        ? recruiter(host.startPool, want, (e) => e.request('sweepStart', args), () => me === run, (p) => { pool = p; }, (w) => { element.dataset.workers = String(w); })
        : null;
      await shareOut(n, (i) => engine.sweepPoint({ index: i }), recruit, (e, i) => e.request('sweepPoint', { index: i }), async (_i, p, elsewhere) => {
        if (elsewhere) await engine.sweepRecord({ point: p });
        if (me !== run) return;
        points.push(p);
        points.sort((a, b) => a.index - b.index);
        progress.value = points.length;
        status.textContent = tr('Point {i} of {n}: {what}.', { i: points.length, n, what: describe(p) });
        // The point is in the table at once, so the table always holds every point taken (a
        // Cancel while the fronts are asked for then counts it, and nothing is added after).
        draw();
        const latest = await engine.sweepFronts();
        if (me !== run) return;
        // The fronts of the points taken when asked, in index order as the table's.
        if (latest.points.length === points.length) fronts = latest;
        draw();
      }, () => me === run);
      if (me === run) {
        fronts = await engine.sweepFronts();
        draw();
      }
      if (me === run) {
        element.dataset.families = grid.families.join(',');
        const w = Number(element.dataset.workers);
        const workers = w > 1 ? tr(' on {w} workers', { w }) : '';
        status.textContent = tr('Done: {n} points in {s} s{workers}. {a} on the size front, {b} on the time front.', { n, s: ((performance.now() - t0) / 1000).toFixed(1), workers, a: fronts.bySize.filter(Boolean).length, b: fronts.byTime.filter(Boolean).length });
        element.dataset.sweep = 'done';
      } else {
        status.textContent = tr('Cancelled after {n} points.', { n: points.length });
        element.dataset.sweep = 'cancelled';
      }
    } catch (err) {
      status.textContent = String(/** @type {any} */ (err).message ?? err);
      element.dataset.sweep = 'idle';
    } finally {
      pool?.destroy();
      pool = null;
      if (me === run || element.dataset.sweep === 'cancelled') {
        runBtn.disabled = false;
        cancelBtn.disabled = true;
        progress.hidden = true;
      }
    }
  }

  runBtn.addEventListener('click', () => go());
  cancelBtn.addEventListener('click', () => {
    run += 1;
    // The helpers stop at once; the engine finishes the point it is on.
    pool?.destroy();
    pool = null;
    element.dataset.sweep = 'cancelled';
    status.textContent = tr('Cancelled after {n} points.', { n: points.length });
    runBtn.disabled = false;
    cancelBtn.disabled = true;
    progress.hidden = true;
  });

  return {
    element,
    /**
     * The families the engine has, one box each, the current one ticked; the tower box starts at
     * the current tower. @param {import('../algorithms.js').FamilyInfo[]} families
     * @param {string} current @param {string} tower
     */
    setFamilies(families, current, tower) {
      labels = Object.fromEntries(families.map((f) => [f.name, f.label]));
      familyBoxes.replaceChildren(...families.map((f) => {
        const box = h('input', { type: 'checkbox', value: f.name, name: `sweep-family-${f.name}` });
        box.checked = f.name === current;
        return h('label', {}, [box, ' ', tr(f.label)]);
      }));
      towers.input.value = tower.split(',').join(',');
    },
    /** Forgets the sweep (the data changed). */
    reset() {
      run += 1;
      points = [];
      fronts = { bySize: [], byTime: [] };
      status.textContent = '';
      element.dataset.sweep = 'idle';
      runBtn.disabled = false;
      cancelBtn.disabled = true;
      progress.hidden = true;
      draw();
    },
    destroy() {
      run += 1;
      size.destroy();
      time.destroy();
    },
  };
}
