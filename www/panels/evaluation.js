// Evaluation beyond one number: accuracy on the training and test parts, ranking quality at k,
// and what lies beyond accuracy (coverage, novelty, diversity, popularity), for the model and
// for the baselines it must beat, fitted on the same training part.

import { createLineChart } from '../charts/line-chart.js';
import { h, setChildren, swatch } from '../ui/dom.js';
import { chartExport, csvButton } from '../ui/export.js';
import { createCrossValidation } from './cross-validation.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';
import { pValue, signed } from '../ui/format.js';

/** Okabe-Ito colours for the model and the baselines (safe for colour-blind viewers). */
const COLOURS = /** @type {Record<string, string>} */ ({
  model: '#0072B2', 'global-mean': '#777777', 'bias-only': '#E69F00', popularity: '#D55E00', random: '#CC79A7',
});

export const COLUMNS = [
  ['model', 'Model'], ['global-mean', 'Global mean'], ['bias-only', 'Bias only'], ['popularity', 'Popularity'], ['random', 'Random'],
];

/** Rows: label, metric name (for data-metric), how to read it from a row, how to format it. */
export const ROWS = /** @type {[string, string, (r: any) => number | null | undefined, number][]} */ ([
  ['Test RMSE', 'test-rmse', (r) => r.testRmse, 4],
  ['Test MAE', 'test-mae', (r) => r.testMae, 4],
  ['Train RMSE', 'train-rmse', (r) => r.trainRmse, 4],
  ['Precision@k', 'precision-at-k', (r) => r.ranking?.precision, 3],
  ['Recall@k', 'recall-at-k', (r) => r.ranking?.recall, 3],
  ['F1@k', 'f1-at-k', (r) => r.ranking?.f1, 3],
  ['NDCG@k', 'ndcg-at-k', (r) => r.ranking?.ndcg, 3],
  ['MAP@k', 'map-at-k', (r) => r.ranking?.map, 3],
  ['AUC', 'auc', (r) => r.ranking?.auc, 3],
  ['Coverage', 'coverage', (r) => r.ranking?.coverage, 3],
  ['Novelty (bits)', 'novelty', (r) => r.ranking?.novelty, 2],
  ['Diversity', 'diversity', (r) => r.ranking?.diversity, 3],
  ['Popularity', 'popularity', (r) => r.ranking?.popularity, 1],
  ['NDCG@k, least active third of users', 'ndcg-cold', (r) => r.ranking?.ndcgCold, 3],
  ['NDCG@k, middle third', 'ndcg-medium', (r) => r.ranking?.ndcgMedium, 3],
  ['NDCG@k, most active third', 'ndcg-heavy', (r) => r.ranking?.ndcgHeavy, 3],
  ['Recall@k of head items', 'recall-head', (r) => r.ranking?.recallHead, 3],
  ['Recall@k of long-tail items', 'recall-tail', (r) => r.ranking?.recallTail, 3],
  ['Long-tail share of the lists', 'tail-share', (r) => r.ranking?.tailShare, 3],
  ['HR@k, 99 sampled (NCF)', 'hr-sampled', (r) => r.sampled?.hitRatio, 3],
  ['NDCG@k, 99 sampled (NCF)', 'ndcg-sampled', (r) => r.sampled?.ndcg, 3],
]);

/** Live evaluation (after every epoch the worker can afford, and the live refreshes) only while
 * ratings x factors is at most this; larger data is evaluated when training stops. */
const LIVE_EVALUATION_MAX = 2e6;

/** Whether data of this summary is evaluated while a model with `nFactors` trains.
 * @param {any} summary @param {number} nFactors */
export function evaluatesLive(summary, nFactors) {
  return (summary?.nRatings ?? 0) * Math.max(1, nFactors) <= LIVE_EVALUATION_MAX;
}
/** The most epochs the chart over epochs keeps: past it, every other one is dropped. */
const MAX_POINTS = 2000;

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'evaluate' | 'cvStart' | 'cvFold'> & { generation: () => number,
 *   evaluateEpochs: (want: () => ({ k: number, threshold: number } | null), take: (e: any) => void) => void }} engine
 *   the requests it makes (and cross-validation's), and the session's evaluations after epochs
 * @param {() => { nFactors: number }} params the engine parameters, for cross-validation
 * @param {import('./cross-validation.js').Pooling} [pooling] extra workers for the folds
 */
export function createEvaluationPanel(engine, params, pooling) {
  const cv = createCrossValidation(engine, params, pooling);
  const k = h('input', { type: 'number', class: 'mfp-eval-k', min: 1, max: 100, step: 1, value: 10, 'aria-label': t('k') });
  const threshold = h('input', { type: 'number', class: 'mfp-eval-threshold', step: 'any', 'aria-label': t('Relevance threshold') });
  const note = h('p', { class: 'mfp-note mfp-eval-note' });
  /** Says, while a large data set trains, that the table waits for training to stop. */
  const when = h('p', { class: 'mfp-note mfp-eval-when', role: 'status', hidden: true });
  const table = h('table', { class: 'mfp-eval-table' });
  /** Is the model really better than each baseline? Per-user NDCG, paired. */
  const versus = h('table', { class: 'mfp-eval-versus', hidden: true });
  const versusNote = h('p', { class: 'mfp-note mfp-eval-versus-note', hidden: true });
  const metric = h('select', { class: 'mfp-eval-metric', 'aria-label': t('Metric over epochs') },
    ROWS.map(([label, name]) => h('option', { value: name, text: t(label) })));
  const canvas = h('canvas', { class: 'mfp-chart mfp-eval-chart', role: 'img', 'aria-label': t('Metric over epochs') });
  const axes = { xLabel: String(t('epoch')), yLabel: '', empty: () => tr('Train: the metric of each evaluated epoch is drawn here.') };
  const chart = createLineChart(canvas, axes);
  const legend = h('p', { class: 'mfp-legend mfp-eval-legend' });
  /** The table at each evaluated epoch of the current model (of `historyOf`, the session's
   * generation), in epoch order, with the k and relevance threshold its ranking metrics are for.
   * @type {{ epoch: number, rows: any[], k: number, threshold: number }[]} */
  let history = [];
  let historyOf = -1;
  /** @type {{ rows: any[], kv: number, threshold: number, epoch: number } | null} */
  let latest = null;
  const tableCsv = () => {
    if (!latest) return [['no evaluation yet']];
    const byName = Object.fromEntries(latest.rows.map((/** @type {any} */ r) => [r.name, r]));
    return [
      ['metric', ...COLUMNS.map(([name]) => name)],
      ...ROWS.map(([label, , get]) => [label.replace('@k', `@${latest?.kv}`), ...COLUMNS.map(([name]) => (byName[name] ? get(byName[name]) : null))]),
    ];
  };
  /** The model's every metric at each evaluated epoch. */
  const epochsCsv = () => [
    ['epoch', ...ROWS.map(([label]) => label.replace('@k', `@${latest?.kv ?? ''}`))],
    ...history.map((x) => [x.epoch, ...ROWS.map(([, name, get]) => (counts(x, name) ? get(x.rows[0]) ?? null : null))]),
  ];
  const element = h('div', { class: 'mfp-evaluation' }, [
    h('div', { class: 'mfp-eval-controls' }, [
      h('label', {}, ['k = ', k]),
      h('label', { class: 'mfp-eval-threshold-label' }, [t('relevant from'), ' ', threshold]),
    ]),
    note,
    when,
    h('div', { class: 'mfp-eval-scroll' }, [table]),
    h('div', { class: 'mfp-chart-tools' }, [csvButton(tableCsv, 'evaluation', t('Table CSV'))]),
    versusNote,
    h('div', { class: 'mfp-eval-scroll' }, [versus]),
    h('div', { class: 'mfp-eval-controls' }, [h('label', {}, [t('Over epochs:'), ' ', metric])]),
    canvas,
    legend,
    h('div', { class: 'mfp-chart-tools mfp-eval-epochs-tools' }, [
      chartExport(chart, 'evaluation-over-epochs', 'the metric over epochs'),
      csvButton(epochsCsv, 'evaluation-over-epochs', t('Epochs CSV')),
    ]),
    cv.element,
  ]);
  /** The metric the user chose for the chart; shown whenever the data has it (with no test part
   * only the training error is there, and the chart shows that). */
  let chosen = metric.value;
  metric.addEventListener('change', () => {
    chosen = metric.value;
    drawChart();
  });
  /** Offers the metrics the model's row has, and shows the chosen one if it is among them. @param {any} row */
  function offerMetrics(row) {
    for (const option of metric.options) {
      const spec = ROWS.find(([, name]) => name === option.value);
      option.disabled = !spec || spec[2](row) == null;
    }
    const usable = [...metric.options].find((o) => o.value === chosen && !o.disabled);
    metric.value = usable ? chosen : 'train-rmse';
  }
  /** @type {any} */
  let summary = null;
  let busy = false;
  let again = false;

  k.addEventListener('change', () => refresh(summary));
  threshold.addEventListener('change', () => refresh(summary));

  let epoch = 0;
  /** The kind and scale of the data the relevance threshold was set for. */
  let scaleKey = '';
  /**
   * Forgets what describes other data, as soon as other data is loaded (on large data the first
   * evaluation waits until the model is still): the old table and cross-validation would describe
   * what is no longer loaded, and a threshold chosen for 0/1 data would call every star rating
   * relevant.
   * @param {any} s the loaded data's summary
   */
  function track(s) {
    if (s === summary) return;
    history = [];
    table.replaceChildren();
    delete table.dataset.epoch;
    note.textContent = s ? tr('Evaluating…') : '';
    latest = null;
    const key = s ? `${s.feedback} ${s.scale.min} ${s.scale.max}` : '';
    if (key !== scaleKey) {
      scaleKey = key;
      threshold.value = '';
    }
    summary = s;
    when.hidden = true;
    drawChart();
    cv.dataChanged();
  }
  /** Training on data too large to evaluate after every epoch (the table waits until the model
   * is still): says so, and which epoch the table shows, so a table that does not move while
   * training is not taken for a stuck one. */
  function deferred() {
    if (!latest) note.textContent = '';
    when.textContent = latest
      ? tr('The table is of epoch {epoch}: on data this large it is refreshed when training stops.', { epoch: latest.epoch })
      : tr('On data this large the table is filled in when training stops.');
    when.hidden = false;
  }
  /** The k and relevance threshold the table is for (the threshold set from the data's scale
   * when empty). @param {any} s the data's summary */
  function settings(s) {
    if (threshold.value === '') threshold.value = String(+s.relevanceThreshold.toPrecision(3));
    return { k: Math.max(1, Math.min(100, Math.round(Number(k.value) || 10))), threshold: Number(threshold.value) };
  }
  /** The table of the model `generation` at `epoch` (its ranking metrics at `k` and `threshold`),
   * into the chart's history. @param {number} generation @param {number} at @param {any[]} rows
   * @param {{ k: number, threshold: number }} settings */
  function addPoint(generation, at, rows, { k: kv, threshold: thr }) {
    if (generation < historyOf) return; // answered for a model since replaced
    if (generation !== historyOf) {
      history = [];
      historyOf = generation;
    }
    history = history.filter((x) => x.epoch !== at);
    const j = history.findIndex((x) => x.epoch > at);
    history.splice(j < 0 ? history.length : j, 0, { epoch: at, rows, k: kv, threshold: thr });
    if (history.length > MAX_POINTS) history = history.filter((_, n) => n % 2 === 0 || n === history.length - 1);
  }
  let chartQueued = false;
  /** Redraws the chart once a frame at most, however fast epochs are evaluated. */
  function queueChart() {
    if (chartQueued) return;
    chartQueued = true;
    requestAnimationFrame(() => {
      chartQueued = false;
      drawChart();
    });
  }
  // While training, the worker evaluates after epochs (as often as it can afford) for the chart
  // over epochs: without this it would only have the epochs the live refreshes happened to see.
  engine.evaluateEpochs(
    () => (summary && !element.closest('[hidden]') && evaluatesLive(summary, params().nFactors) ? settings(summary) : null),
    (e) => {
      if (!summary) return;
      const now = settings(summary);
      if (e.k !== now.k || e.threshold !== now.threshold) return; // asked for before a change of k or threshold
      addPoint(e.generation, e.epoch, e.evaluation.rows, e);
      if (latest) queueChart();
    },
  );

  /** @param {any} s @param {number} [atEpoch] the model's epoch */
  async function refresh(s, atEpoch = epoch) {
    if (atEpoch < epoch) history = [];
    track(s);
    epoch = atEpoch;
    if (!s) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const implicit = s.feedback === 'implicit';
      /** @type {HTMLElement} */ (threshold.parentElement).hidden = implicit;
      const { k: kv, threshold: thr } = settings(s);
      const generation = engine.generation();
      const e = await engine.evaluate({ k: kv, threshold: thr });
      draw(e, kv, implicit);
      offerMetrics(e.rows[0]);
      // The epoch the engine evaluated, which training may have moved past the one asked about.
      latest = { rows: e.rows, kv, threshold: thr, epoch: e.epoch };
      table.dataset.epoch = String(e.epoch);
      when.hidden = true;
      // A model caught inside an epoch belongs to no epoch of the chart.
      if (!e.inEpoch) addPoint(generation, e.epoch, e.rows, { k: kv, threshold: thr });
      drawChart();
    } catch {
      // No model yet: say what would fill the table.
      if (!latest) note.textContent = tr('Train a model to evaluate it.');
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh(summary);
      }
    }
  }

  /** @param {any} e @param {number} kv @param {boolean} implicit */
  function draw(e, kv, implicit) {
    const rows = e.rows;
    const byName = Object.fromEntries(rows.map((/** @type {any} */ r) => [r.name, r]));
    const hasTest = rows[0].testRmse != null;
    const sampled = [
      e.trainRatingsUsed < e.trainRatings ? tr('training accuracy from {a} of {b} ratings', { a: e.trainRatingsUsed, b: e.trainRatings }) : '',
      e.testUsersUsed < e.testUsers ? tr('test figures from {a} of {b} users', { a: e.testUsersUsed, b: e.testUsers }) : '',
    ].filter(Boolean);
    note.textContent = (hasTest
      ? tr("Ranking: each test user's items they did not rate in training, ranked by score; {what} is relevant. Baselines are fitted on the same training part; Random ranks in a random order and predicts the global mean, so its errors are that column's.", { what: implicit ? tr('a test 1') : tr('a test rating ≥ {v}', { v: threshold.value }) })
      : tr('Set a test share above 0 to measure test error and ranking quality.'))
      + (hasTest ? ` ${tr('HR and NDCG "99 sampled" are Neural Collaborative Filtering\'s protocol: each relevant test rating ranked among 99 items the user never had (with one held-out item per user, exactly theirs); sampled figures can order models differently from the full ranking above (Krichene and Rendle 2020).')}` : '')
      + (hasTest && !implicit ? ` ${tr('Popularity can rank better than the model while its rating errors are worse: ranking asks which unseen items a user rates highly, and what many people rated is a strong guess; RMSE asks how close each predicted rating is, which popularity does not try.')}` : '')
      + (rows[0].ranking?.scope === 'newItems' ? ` ${tr('The test part holds out new items: they are ranked among themselves, the question a shelf of new arrivals asks (whether they beat the favourites of the catalogue, a model that never saw them cannot know). Popularity has nothing to go on there.')}` : '')
      + (e.testSince != null ? ` ${tr('Split by time: the model trained on the earlier ratings and is tested on the latest, from {when} on, as a recommender meets the future.', { when: utcTime(e.testSince) })}` : '')
      + (hasTest ? ` ${tr('Slices: users split into thirds by how many training ratings they have; head items are the most rated ones that together hold a fifth of the training ratings, the long tail the rest. A model that serves the heavy users and the head well can still fail the cold users and the tail.')}` : '')
      + (sampled.length ? ` ${tr('Sampled for speed: {what}.', { what: sampled.join('; ') })}` : '');
    table.replaceChildren(
      h('thead', {}, [h('tr', {}, [h('th', { text: '' }), ...COLUMNS.map(([, label]) => h('th', { scope: 'col', text: t(label) }))])]),
      h('tbody', {}, ROWS.filter(([, , get]) => hasTest || get(rows[0]) != null).map(([label, metric, get, digits]) =>
        h('tr', {}, [
          h('th', { scope: 'row', text: tr(label).replace('@k', `@${kv}`) }),
          ...COLUMNS.map(([name]) => {
            const v = byName[name] ? get(byName[name]) : null;
            const text = v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits);
            return h('td', name === 'model' ? { dataset: { metric: `eval-${metric}` }, text } : { text });
          }),
        ]))),
    );
    drawVersus(e.versus ?? [], kv);
  }

  /**
   * The model against each baseline user by user: NDCG@k, model − baseline, its 95% bootstrap
   * interval and the Wilcoxon signed-rank p. @param {any[]} rows @param {number} kv
   */
  function drawVersus(rows, kv) {
    versus.hidden = versusNote.hidden = rows.length === 0;
    if (!rows.length) return;
    const n = rows[0].paired.n;
    versusNote.textContent = tr('Is the model really better? NDCG@{k} user by user, on the same {n} test users: the mean of model − baseline, the range 95% of {rounds} resamples of the users put that mean in, and the Wilcoxon signed-rank p-value (how often differences this one-sided would come up if neither were better for a user). An interval above 0 with a small p: the gain is unlikely to be chance.', { k: kv, n, rounds: rows[0].paired.bootstrapRounds });
    versus.replaceChildren(
      h('thead', {}, [h('tr', {}, [t('Model against'), t('Model − baseline'), t('95% interval'), t('Wilcoxon p')].map((x) => h('th', { scope: 'col', text: x })))]),
      h('tbody', {}, rows.map((/** @type {any} */ r) => h('tr', { dataset: { versus: r.name } }, [
        h('th', { scope: 'row', text: t(COLUMNS.find(([name]) => name === r.name)?.[1] ?? r.name) }),
        h('td', { dataset: { metric: `versus-${r.name}-diff` }, text: signed(r.paired.meanDiff) }),
        h('td', { dataset: { metric: `versus-${r.name}-interval` }, text: `[${signed(r.paired.ciLow)}, ${signed(r.paired.ciHigh)}]` }),
        h('td', { dataset: { metric: `versus-${r.name}-p` }, text: pValue(r.paired.pValue) }),
      ]))),
    );
  }

  /** Whether a point's `metric` is the table's: errors always are; ranking metrics only at the
   * table's k and threshold (after a change of either, earlier epochs' are left out).
   * @param {{ k: number, threshold: number }} x @param {string} metricName */
  function counts(x, metricName) {
    return ['test-rmse', 'test-mae', 'train-rmse'].includes(metricName) || (x.k === latest?.kv && x.threshold === latest?.threshold);
  }

  /** The chosen metric of the model over the evaluated epochs, the baselines as level lines. */
  function drawChart() {
    const spec = ROWS.find(([, name]) => name === metric.value) ?? ROWS[0];
    const [label, , get, digits] = spec;
    axes.yLabel = tr(label).replace('@k', `@${latest?.kv ?? ''}`);
    if (!latest || history.length === 0) {
      chart.setSeries([]);
      legend.replaceChildren();
      return;
    }
    const xs = history.map((x) => x.epoch);
    const first = xs[0];
    const last = xs.at(-1) ?? first;
    /** @type {import('../charts/line-chart.js').Series[]} */
    const series = [];
    for (const [name, title] of COLUMNS) {
      if (name === 'model') {
        series.push({ name: tr(title), color: COLOURS[name], xs, points: history.map((x) => (counts(x, spec[1]) ? get(x.rows[0]) ?? NaN : NaN)), dots: history.length <= 40 });
        continue;
      }
      const row = latest.rows.find((/** @type {any} */ r) => r.name === name);
      const v = row ? get(row) : null;
      if (v == null || !Number.isFinite(v)) continue;
      series.push({ name: tr(title), color: COLOURS[name], xs: [Math.min(1, first), Math.max(last, 2)], points: [v, v], dash: [6, 4] });
    }
    chart.setSeries(series);
    const names = series.map((x) => (x.dash ? tr('{name} (baseline)', { name: x.name }) : x.name));
    setChildren(legend, names, (text, j) => swatch(text, series[j].color));
    const now = series.map((x) => `${x.name} ${Number.isFinite(x.points.at(-1)) ? /** @type {number} */ (x.points.at(-1)).toFixed(digits) : '–'}`);
    canvas.setAttribute('aria-label', tr('{metric} over epochs {first} to {last}: {values}', { metric: tr(label).replace('@k', `@${latest.kv}`), first, last, values: now.join(', ') }));
  }

  return { element, refresh, track, deferred, settings: () => (summary ? settings(summary) : null) };
}

/** Seconds since 1970 as a UTC date, with the time of day when it is not midnight. @param {number} s */
export function utcTime(s) {
  const iso = new Date(s * 1000).toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time} UTC`;
}
