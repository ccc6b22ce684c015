// k-fold cross-validation from the page: one fold per request, so Cancel takes effect after
// the fold in progress; per-fold results, then the mean and standard deviation.

import { h } from '../ui/dom.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';
import { recruiter, shareOut } from '../pool.js';

/**
 * Extra engine workers for independent pieces: how many may be used, and starting them.
 * @typedef {{ helpers: () => number, startPool: (n: number) => Promise<{ helpers: { request: (type: any, payload?: any) => Promise<any> }[], destroy: () => void }> }} Pooling
 */

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'cvFold' | 'cvStart'>} engine the requests it makes
 * @param {() => object} params the engine parameters to validate
 * @param {Pooling} [pooling] where the engine trains on one thread, folds also go to extra
 *   workers with the same data, each fold trained where it lands to the same numbers
 */
export function createCrossValidation(engine, params, pooling) {
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
  /** The extra workers of the run under way, if any. @type {{ helpers: any[], destroy: () => void } | null} */
  let pool = null;

  run.addEventListener('click', () => (element.dataset.cv === 'running' ? cancel(tr('Cancelled.')) : go()));

  /** @param {string} message */
  function cancel(message) {
    ticket += 1;
    pool?.destroy();
    pool = null;
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
      const args = { params: params(), folds: k };
      await engine.cvStart(args);
      // Cancelled meanwhile: the status says so already.
      if (me !== ticket) return;
      const want = Math.min(pooling?.helpers() ?? 0, k - 1);
      element.dataset.workers = '1';
      // Where the folds are slow enough to pay for them, extra workers take folds too.
      const recruit = want > 0 && pooling
        ? recruiter(pooling.startPool, want, (e) => e.request('cvStart', args), () => me === ticket, (p) => { pool = p; }, (w) => { element.dataset.workers = String(w); })
        : null;
      status.textContent = tr('Training {k} folds…', { k });
      await shareOut(k, (f) => engine.cvFold({ fold: f }), recruit, (e, f) => e.request('cvFold', { fold: f }), (_f, r) => {
        results.push(r);
        results.sort((a, b) => a.fold - b.fold);
        progress.value = results.length;
        body.replaceChildren(...results.map((x) => h('tr', { dataset: { fold: String(x.fold + 1) } }, [
          h('td', { text: String(x.fold + 1) }),
          h('td', { text: fixed(x.trainRmse) }),
          h('td', { text: fixed(x.testRmse) }),
          h('td', { text: fixed(x.testMae) }),
          h('td', { text: x.millis.toFixed(0) }),
        ])));
      }, () => me === ticket);
      pool?.destroy();
      pool = null;
      if (me !== ticket) return;
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
