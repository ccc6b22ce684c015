// k-fold cross-validation from the page: one fold per request, so Cancel takes effect after
// the fold in progress; per-fold results, then the mean and standard deviation.

import { h } from '../ui/dom.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'cvFold' | 'cvStart'>} engine the requests it makes
 * @param {() => object} params the engine parameters to validate
 */
export function createCrossValidation(engine, params) {
  const folds = h('input', { type: 'number', class: 'mfp-cv-folds', min: 2, max: 10, step: 1, value: 5, 'aria-label': t('Folds') });
  const run = h('button', { type: 'button', class: 'mfp-btn mfp-cv-run', text: t('Cross-validate') });
  const progress = h('progress', { class: 'mfp-cv-progress', max: 1, value: 0, hidden: true, 'aria-label': t('Cross-validation progress') });
  const status = h('p', { class: 'mfp-note mfp-cv-status', role: 'status' });
  const table = h('table', { class: 'mfp-eval-table mfp-cv-table' });
  const element = h('div', { class: 'mfp-cv', dataset: { cv: 'idle' } }, [
    h('h4', { text: t('k-fold cross-validation') }),
    h('div', { class: 'mfp-eval-controls' }, [h('label', {}, [t('folds'), ' ', folds]), run, progress]),
    status,
    table,
  ]);
  let ticket = 0;

  run.addEventListener('click', () => (element.dataset.cv === 'running' ? cancel(tr('Cancelled.')) : go()));

  /** @param {string} message */
  function cancel(message) {
    ticket += 1;
    element.dataset.cv = 'idle';
    run.textContent = tr('Cross-validate');
    progress.hidden = true;
    status.textContent = message;
  }

  async function go() {
    const me = ++ticket;
    const k = Math.max(2, Math.min(10, Math.round(Number(folds.value) || 5)));
    element.dataset.cv = 'running';
    run.textContent = tr('Cancel');
    progress.hidden = false;
    progress.max = k;
    progress.value = 0;
    table.replaceChildren(h('thead', {}, [h('tr', {}, [t('Fold'), t('Train RMSE'), t('Test RMSE'), t('Test MAE'), 'ms'].map((x) => h('th', { text: x })))]));
    const body = h('tbody');
    table.append(body);
    /** @type {any[]} */
    const results = [];
    try {
      await engine.cvStart({ params: params(), folds: k });
      for (let f = 0; f < k; f++) {
        if (me !== ticket) return;
        status.textContent = tr('Training fold {f} of {k}…', { f: f + 1, k });
        const r = await engine.cvFold({ fold: f });
        if (me !== ticket) return;
        results.push(r);
        progress.value = f + 1;
        body.append(h('tr', { dataset: { fold: String(f + 1) } }, [
          h('td', { text: String(f + 1) }),
          h('td', { text: fixed(r.trainRmse) }),
          h('td', { text: fixed(r.testRmse) }),
          h('td', { text: fixed(r.testMae) }),
          h('td', { text: r.millis.toFixed(0) }),
        ]));
      }
      const [mr, sr] = meanStd(results.map((r) => r.testRmse));
      const [mm, sm] = meanStd(results.map((r) => r.testMae));
      body.append(h('tr', { class: 'mfp-cv-summary' }, [
        h('th', { scope: 'row', text: t('mean ± sd') }),
        h('td', { text: '' }),
        h('td', { dataset: { metric: 'cv-test-rmse' }, text: `${fixed(mr)} ± ${fixed(sr)}` }),
        h('td', { dataset: { metric: 'cv-test-mae' }, text: `${fixed(mm)} ± ${fixed(sm)}` }),
        h('td', { text: '' }),
      ]));
      cancel(tr('{k} folds: each trained on {a}/{k} of the ratings and tested on the rest.', { k, a: k - 1 }));
      element.dataset.cv = 'done';
    } catch (err) {
      cancel(String(/** @type {any} */ (err).message ?? err));
    }
  }

  /** Other data: a run in progress stops (saying why); finished results, which describe the
   * old data, go. */
  function dataChanged() {
    if (element.dataset.cv === 'running') cancel(tr('Cancelled: the data changed.'));
    else if (element.dataset.cv === 'done') {
      table.replaceChildren();
      cancel('');
    }
  }

  return { element, dataChanged };
}

/** @param {number} v */
function fixed(v) {
  return Number.isFinite(v) ? v.toFixed(4) : tr('diverged');
}

/** Mean and sample standard deviation. @param {number[]} xs */
export function meanStd(xs) {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return [mean, sd];
}
