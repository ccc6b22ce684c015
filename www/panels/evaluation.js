// Evaluation beyond one number: accuracy on the training and test parts, ranking quality at k,
// and what lies beyond accuracy (coverage, novelty, diversity, popularity), for the model and
// for the baselines it must beat, fitted on the same training part.

import { h } from '../ui/dom.js';
import { createCrossValidation } from './cross-validation.js';

const COLUMNS = [
  ['model', 'Model'], ['global-mean', 'Global mean'], ['bias-only', 'Bias only'], ['popularity', 'Popularity'], ['random', 'Random'],
];

/** Rows: label, metric name (for data-metric), how to read it from a row, how to format it. */
const ROWS = /** @type {[string, string, (r: any) => number | null | undefined, number][]} */ ([
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
]);

/**
 * @param {{ ask: (type: string, payload: any) => Promise<any> }} session
 * @param {() => object} params the engine parameters, for cross-validation
 */
export function createEvaluationPanel(session, params) {
  const cv = createCrossValidation(session, params);
  const k = h('input', { type: 'number', class: 'mfp-eval-k', min: 1, max: 100, step: 1, value: 10, 'aria-label': 'k' });
  const threshold = h('input', { type: 'number', class: 'mfp-eval-threshold', step: 'any', 'aria-label': 'Relevance threshold' });
  const note = h('p', { class: 'mfp-note mfp-eval-note' });
  const table = h('table', { class: 'mfp-eval-table' });
  const element = h('div', { class: 'mfp-evaluation' }, [
    h('div', { class: 'mfp-eval-controls' }, [
      h('label', {}, ['k = ', k]),
      h('label', { class: 'mfp-eval-threshold-label' }, ['relevant from ', threshold]),
    ]),
    note,
    h('div', { class: 'mfp-eval-scroll' }, [table]),
    cv.element,
  ]);
  /** @type {any} */
  let summary = null;
  let busy = false;
  let again = false;

  k.addEventListener('change', () => refresh(summary));
  threshold.addEventListener('change', () => refresh(summary));

  /** @param {any} s */
  async function refresh(s) {
    summary = s;
    if (!s) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const implicit = s.feedback === 'implicit';
      /** @type {HTMLElement} */ (threshold.parentElement).hidden = implicit;
      if (threshold.value === '') threshold.value = String(+(s.scale.min + 0.8 * (s.scale.max - s.scale.min)).toPrecision(3));
      const kv = Math.max(1, Math.min(100, Math.round(Number(k.value) || 10)));
      const e = await session.ask('evaluate', { k: kv, threshold: Number(threshold.value) });
      draw(e, kv, implicit);
    } catch {
      // no model yet
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
      e.trainRatingsUsed < e.trainRatings ? `training accuracy from ${e.trainRatingsUsed} of ${e.trainRatings} ratings` : '',
      e.testUsersUsed < e.testUsers ? `test figures from ${e.testUsersUsed} of ${e.testUsers} users` : '',
    ].filter(Boolean);
    note.textContent = (hasTest
      ? `Ranking: each test user's items they did not rate in training, ranked by score; ${implicit ? 'a test 1' : `a test rating ≥ ${threshold.value}`} is relevant. Baselines are fitted on the same training part.`
      : 'Set a test share above 0 to measure test error and ranking quality.') + (sampled.length ? ` Sampled for speed: ${sampled.join('; ')}.` : '');
    table.replaceChildren(
      h('thead', {}, [h('tr', {}, [h('th', { text: '' }), ...COLUMNS.map(([, label]) => h('th', { scope: 'col', text: label }))])]),
      h('tbody', {}, ROWS.filter(([, , get]) => hasTest || get(rows[0]) != null).map(([label, metric, get, digits]) =>
        h('tr', {}, [
          h('th', { scope: 'row', text: label.replace('@k', `@${kv}`) }),
          ...COLUMNS.map(([name]) => {
            const v = byName[name] ? get(byName[name]) : null;
            const text = v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits);
            return h('td', name === 'model' ? { dataset: { metric: `eval-${metric}` }, text } : { text });
          }),
        ]))),
    );
  }

  return { element, refresh, cancelCv: cv.cancel };
}
