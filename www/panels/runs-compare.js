// Runs side by side: their figures in one table with the differences, their curves overlaid,
// whether B's difference from A is real (the engine's paired bootstrap interval and Wilcoxon
// test on the same test users), and each run's per-user figures as an ECDF or a histogram.

import { createLineChart } from '../charts/line-chart.js';
import { t, translate as tr, errorMessage } from '../i18n.js';
import { h, setChildren, swatch } from '../ui/dom.js';
import { chartExport, csvButton } from '../ui/export.js';
import { createRunsMaps } from './runs-maps.js';
import { pValue, signed } from '../ui/format.js';

/** Okabe-Ito colours, one per run in the order they were chosen. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** The figures a run keeps, as rows: label, key (`{k}`: the run's cut-off), digits, which way is
 * better, and a factor to show it in (seconds as milliseconds). */
const FIGURES = /** @type {[string, string, number, 'lower' | 'higher' | null, number?][]} */ ([
  ['Test RMSE', 'test_rmse', 4, 'lower'],
  ['Test MAE', 'test_mae', 4, 'lower'],
  ['Train RMSE', 'train_rmse', 4, 'lower'],
  ['Precision@k', 'precision_at_{k}', 3, 'higher'],
  ['Recall@k', 'recall_at_{k}', 3, 'higher'],
  ['NDCG@k', 'ndcg_at_{k}', 3, 'higher'],
  ['MAP@k', 'map_at_{k}', 3, 'higher'],
  ['AUC', 'auc', 3, 'higher'],
  ['Coverage', 'coverage', 3, 'higher'],
  ['Popularity', 'popularity', 1, null],
  ['NDCG@k, least active third of users', 'ndcg_at_{k}_cold_users', 3, 'higher'],
  ['NDCG@k, middle third', 'ndcg_at_{k}_medium_users', 3, 'higher'],
  ['NDCG@k, most active third', 'ndcg_at_{k}_heavy_users', 3, 'higher'],
  ['Recall@k of head items', 'recall_at_{k}_head_items', 3, 'higher'],
  ['Recall@k of long-tail items', 'recall_at_{k}_tail_items', 3, 'higher'],
  ['Long-tail share of the lists', 'tail_share', 3, null],
  ['Parameters', 'parameters', 0, null],
  ['Training time (ms)', 'seconds', 1, 'lower', 1000],
]);

/** A run's figure `key` (`{k}` read as its cut-off), or null. @param {any} run @param {string} key */
export function figureOf(run, key) {
  const v = run.metrics[key.replace('{k}', String(run.perUser.k))];
  return typeof v === 'number' ? v : null;
}

/** The per-user figures a run keeps: label, field of `perUser`, which way is better. */
const PER_USER = /** @type {[string, string, string][]} */ ([
  ['NDCG@k', 'ndcg', 'higher'], ['Recall@k', 'recall', 'higher'], ['RMSE', 'rmse', 'lower'],
]);

/** The curves a run keeps: label, field. */
const CURVES = /** @type {[string, string][]} */ ([['Test RMSE', 'testRmse'], ['Train RMSE', 'trainRmse'], ['Training loss', 'loss']]);

/**
 * The empirical distribution of `values`: the share of users at or below each value, as the
 * corners of a step line.
 * @param {number[]} values
 */
export function ecdf(values) {
  const v = values.slice().sort((a, b) => a - b);
  const xs = [];
  const ys = [];
  for (let j = 0; j < v.length; j += 1) {
    xs.push(v[j], v[j]);
    ys.push(j / v.length, (j + 1) / v.length);
  }
  return { xs, ys };
}

/**
 * A histogram of `values` over `bins` equal bins from `lo` to `hi`: the share of users in each,
 * as the outline of its bars.
 * @param {number[]} values @param {number} lo @param {number} hi @param {number} bins
 */
export function histogram(values, lo, hi, bins) {
  const counts = new Array(bins).fill(0);
  const w = (hi - lo) / bins || 1;
  for (const x of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / w)))] += 1;
  const xs = [lo];
  const ys = [0];
  counts.forEach((c, b) => {
    const share = c / Math.max(1, values.length);
    xs.push(lo + b * w, lo + (b + 1) * w);
    ys.push(share, share);
  });
  xs.push(lo + bins * w);
  ys.push(0);
  return { xs, ys };
}

/** @param {Pick<import('../protocol.js').EngineApi, 'compareRuns' | 'compareMaps'>} engine */
export function createRunsCompare(engine) {
  const maps = createRunsMaps(engine);
  const figures = h('table', { class: 'mfp-runs-figures' });
  const curve = h('select', { class: 'mfp-runs-curve', 'aria-label': t('Curve') }, CURVES.map(([label, name]) => h('option', { value: name, text: t(label) })));
  const curveCanvas = h('canvas', { class: 'mfp-chart mfp-runs-curves', role: 'img', 'aria-label': t('Curves of the runs') });
  const curveAxes = { xLabel: String(t('epoch')), yLabel: '' };
  const curves = createLineChart(curveCanvas, curveAxes);
  const curveLegend = h('p', { class: 'mfp-legend' });
  const verdictNote = h('p', { class: 'mfp-note mfp-runs-verdict-note' });
  const verdicts = h('div', { class: 'mfp-runs-verdicts' });
  const figure = h('select', { class: 'mfp-runs-figure', 'aria-label': t('Per-user figure') }, PER_USER.map(([label, name]) => h('option', { value: name, text: t(label) })));
  const shape = h('select', { class: 'mfp-runs-shape', 'aria-label': t('Drawn as') }, [
    h('option', { value: 'ecdf', text: t('ECDF (share of users at or below)') }),
    h('option', { value: 'histogram', text: t('Histogram (share of users per bin)') }),
  ]);
  const distCanvas = h('canvas', { class: 'mfp-chart mfp-runs-distribution', role: 'img', 'aria-label': t('Per-user distribution') });
  const distAxes = { xLabel: '', yLabel: String(t('share of users')), continuous: true };
  const dist = createLineChart(distCanvas, distAxes);
  const distLegend = h('p', { class: 'mfp-legend' });
  const distNote = h('p', { class: 'mfp-note mfp-runs-dist-note' });
  const element = h('div', { class: 'mfp-runs-compare', hidden: true }, [
    h('h4', { text: t('Runs side by side') }),
    h('div', { class: 'mfp-eval-scroll' }, [figures]),
    h('div', { class: 'mfp-chart-tools' }, [csvButton(() => figuresCsv(), 'runs', t('Table CSV'))]),
    h('h4', { text: t('Is the difference real?') }),
    verdictNote,
    verdicts,
    h('div', { class: 'mfp-runs-charts' }, [
      h('div', {}, [
        h('h4', { text: t('Curves') }),
        h('div', { class: 'mfp-eval-controls' }, [h('label', {}, [t('Per epoch:'), ' ', curve])]),
        curveCanvas,
        curveLegend,
        h('div', { class: 'mfp-chart-tools' }, [chartExport(curves, 'runs-curves', 'the curves of the runs')]),
      ]),
      h('div', {}, [
        h('h4', { text: t('Each user, not only the mean') }),
        h('div', { class: 'mfp-eval-controls' }, [h('label', {}, [t('Per-user figure:'), ' ', figure]), h('label', {}, [t('Drawn as:'), ' ', shape])]),
        distCanvas,
        distLegend,
        distNote,
        h('div', { class: 'mfp-chart-tools' }, [chartExport(dist, 'runs-per-user', 'the per-user distribution')]),
      ]),
    ]),
    maps.element,
  ]);
  /** @type {import('../runs.js').WholeRun[]} */
  let shown = [];
  /** Which pairs are being compared (the last asked for wins). */
  let asked = 0;
  curve.addEventListener('change', drawCurves);
  figure.addEventListener('change', drawDistribution);
  shape.addEventListener('change', drawDistribution);

  /** The letter of the `j`th run chosen: A, B, C... @param {number} j */
  const letter = (j) => String.fromCharCode(65 + j);
  const label = (/** @type {import('../runs.js').WholeRun} */ r, /** @type {number} */ j) => `${letter(j)}: ${r.id}. ${r.run.name}`;

  function figuresCsv() {
    return [['figure', ...shown.map((r, j) => label(r, j))], ...FIGURES.map(([name, key]) => [name, ...shown.map((r) => figureOf(r.run, key))])];
  }

  /** @param {import('../runs.js').WholeRun[]} runs the chosen runs, A first */
  function show(runs) {
    shown = runs;
    element.hidden = runs.length < 2;
    if (runs.length < 2) {
      asked += 1;
      maps.hide();
      delete element.dataset.verdict;
      return;
    }
    drawFigures();
    drawCurves();
    drawDistribution();
    drawVerdicts();
    maps.show(runs[0], runs[1]);
  }

  function drawFigures() {
    const rows = FIGURES.filter(([, key]) => shown.some((r) => figureOf(r.run, key) != null));
    figures.replaceChildren(
      h('thead', {}, [h('tr', {}, [h('th', { text: '' }), ...shown.map((r, j) => h('th', { scope: 'col' }, [swatch(label(r, j), COLOURS[j % COLOURS.length])]))])]),
      h('tbody', {}, rows.map(([name, key, digits, better, scale = 1]) => {
        const of = (/** @type {any} */ run) => {
          const v = figureOf(run, key);
          return v == null ? null : v * scale;
        };
        const a = of(shown[0].run);
        return h('tr', { dataset: { figure: key } }, [
          h('th', { scope: 'row', text: tr(name) }),
          ...shown.map((r, j) => {
            const v = of(r.run);
            if (v == null) return h('td', { text: '–' });
            const diff = j > 0 && a != null ? v - a : null;
            const good = diff == null || Math.abs(diff) < 0.5 * 10 ** -digits || better == null ? '' : (diff < 0) === (better === 'lower') ? 'mfp-better' : 'mfp-worse';
            return h('td', { class: good || undefined }, [v.toFixed(digits), diff == null ? '' : ` (${signed(diff, digits)})`]);
          }),
        ]);
      })),
    );
  }

  function drawCurves() {
    const [name, field] = CURVES.find(([, f]) => f === curve.value) ?? CURVES[0];
    curveAxes.yLabel = String(tr(name));
    const series = shown.map((r, j) => ({
      name: label(r, j),
      color: COLOURS[j % COLOURS.length],
      xs: r.run.curves.map((/** @type {any} */ c) => c.epoch),
      points: r.run.curves.map((/** @type {any} */ c) => c[field] ?? NaN),
      dots: r.run.curves.length <= 40,
    }));
    curves.setSeries(series);
    setChildren(curveLegend, series.map((s) => s.name), (text, j) => swatch(text, series[j].color));
  }

  function drawDistribution() {
    const [name, field, better] = PER_USER.find(([, f]) => f === figure.value) ?? PER_USER[0];
    const k = shown[0].run.perUser.k;
    const title = tr(name).replace('@k', `@${k}`);
    distAxes.xLabel = tr('{figure} of each test user', { figure: title });
    const values = shown.map((r) => r.run.perUser[field].filter((/** @type {any} */ v) => v != null && Number.isFinite(v)));
    const all = values.flat();
    const lo = Math.min(0, ...all);
    const hi = Math.max(field === 'rmse' ? 0 : 1, ...all);
    const series = shown.map((r, j) => {
      const line = shape.value === 'ecdf' ? ecdf(values[j]) : histogram(values[j], lo, hi, 20);
      return { name: label(r, j), color: COLOURS[j % COLOURS.length], xs: line.xs, points: line.ys };
    });
    dist.setSeries(series.filter((s) => s.points.length));
    setChildren(distLegend, series.map((s, j) => `${s.name} (${tr('{n} users', { n: values[j].length })})`), (text, j) => swatch(text, series[j].color));
    const median = (/** @type {number[]} */ v) => {
      const s = v.slice().sort((a, b) => a - b);
      return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
    };
    const zero = (/** @type {number[]} */ v) => v.filter((x) => x === 0).length / Math.max(1, v.length);
    distNote.textContent = [
      shape.value === 'ecdf'
        ? tr('Each line rises by one user at that user\'s figure: where a line lies {side}, its run does better for more users.', { side: better === 'lower' ? tr('to the left (lower)') : tr('to the right (higher)') })
        : tr('The share of users in each of 20 bins.'),
      ...shown.map((r, j) => field === 'rmse'
        ? tr('{run}: median {m}.', { run: letter(j), m: median(values[j]).toFixed(3) })
        : tr('{run}: median {m}; {z}% of users get 0 (no relevant item in the top {k}).', { run: letter(j), m: median(values[j]).toFixed(3), z: (100 * zero(values[j])).toFixed(0), k })),
    ].join(' ');
  }

  async function drawVerdicts() {
    const me = ++asked;
    const pairs = shown.slice(1).map((b) => [shown[0], b]);
    verdictNote.textContent = tr('Each run against A on the same test users: the mean of B − A over the users, the range 95% of 2000 resamples of the users put that mean in, and the Wilcoxon signed-rank p-value. When the interval excludes 0, users like these would most likely see the same sign again; when it holds 0, the difference may be chance. The p-value is how often differences at least this one-sided would come up if neither run were better for a user (small: unlikely by chance). Lower RMSE is better; higher NDCG and recall are.');
    const out = [];
    for (const [a, b] of pairs) {
      const j = shown.indexOf(b);
      try {
        const c = await engine.compareRuns({ a: a.json, b: b.json });
        out.push(verdictTable(c, j));
      } catch (err) {
        out.push(h('p', { class: 'mfp-error-text mfp-runs-refused', text: tr('{b} against A: {why}', { b: letter(j), why: errorMessage(err) }) }));
      }
    }
    if (me !== asked) return;
    verdicts.replaceChildren(...out);
    // A comparison the engine made (not refused): what a lesson's check looks for.
    element.dataset.verdict = out.some((x) => x.tagName === 'TABLE') ? 'yes' : 'no';
  }

  /** @param {any} c the engine's comparison @param {number} j which run is B */
  function verdictTable(c, j) {
    const b = letter(j);
    return h('table', { class: 'mfp-runs-verdict', dataset: { against: b } }, [
      h('caption', { text: tr('{b} against A', { b }) }),
      h('thead', {}, [h('tr', {}, [t('Per user'), t('Users'), 'A', b, `${b} − A`, t('95% interval'), t('Wilcoxon p')].map((x) => h('th', { scope: 'col', text: x })))]),
      h('tbody', {}, c.metrics.map((/** @type {[string, any]} */ [name, m]) => h('tr', { dataset: { metric: name } }, [
        h('th', { scope: 'row', text: name.replace(/^rmse$/, 'RMSE').replace(/^ndcg/, 'NDCG').replace(/^recall/, 'Recall') }),
        h('td', { text: String(m.n) }),
        h('td', { text: m.meanA.toFixed(4) }),
        h('td', { text: m.meanB.toFixed(4) }),
        h('td', { dataset: { diff: '' }, text: signed(m.meanDiff, 4) }),
        h('td', { dataset: { interval: '' }, text: `[${signed(m.ciLow, 4)}, ${signed(m.ciHigh, 4)}]` }),
        h('td', { dataset: { p: '' }, text: pValue(m.pValue) }),
      ]))),
    ]);
  }

  return { element, show, destroy: () => { curves.destroy(); dist.destroy(); maps.destroy(); } };
}
