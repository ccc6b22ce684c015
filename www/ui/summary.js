// The summary line under the toolbar: what is loaded and where training is, in words, and the
// last epoch's numbers (loss, train and test errors) with the engine's memory.

import { fmtMetric } from '../panels/training.js';
import { t, translate as tr } from '../i18n.js';
import { h, setText } from './dom.js';

export function createSummary() {
  const metric = (/** @type {string} */ name, /** @type {string} */ label) => {
    const dd = h('dd', { dataset: { metric: name }, text: '–' });
    return { dd, nodes: [h('dt', { text: t(label) }), dd] };
  };
  const metrics = {
    epoch: metric('epoch', 'Epoch'),
    loss: metric('train-loss', 'Train loss'),
    rmse: metric('train-rmse', 'Train RMSE'),
    testRmse: metric('test-rmse', 'Test RMSE'),
    testMae: metric('test-mae', 'Test MAE'),
    memory: metric('engine-memory', 'Engine memory'),
    threads: metric('threads', 'Threads'),
  };
  const statusText = h('p', { class: 'mfp-status', role: 'status', 'aria-live': 'polite' });

  /** @param {any} s */
  function render(s) {
    const last = s.history.at(-1);
    setText(metrics.epoch.dd, String(s.epoch));
    setText(metrics.loss.dd, last ? fmtMetric(last.loss) : '–');
    setText(metrics.rmse.dd, last ? fmtMetric(last.rmse) : '–');
    setText(metrics.testRmse.dd, last?.testRmse != null ? fmtMetric(last.testRmse) : '–');
    setText(metrics.testMae.dd, last?.testMae != null ? fmtMetric(last.testMae) : '–');
    setText(metrics.memory.dd, s.engineMemory ? tr('{mb} MB (peak)', { mb: (s.engineMemory / 2 ** 20).toFixed(1) }) : '–');
    setText(metrics.threads.dd, String(s.threads ?? 1));
    setText(statusText, describe(s));
  }

  return {
    element: h('div', { class: 'mfp-summary' }, [statusText, h('dl', { class: 'mfp-metrics' }, Object.values(metrics).flatMap((m) => m.nodes))]),
    render,
  };
}

/** The state in one sentence: the data, the epoch and the phase. @param {any} s */
export function describe(s) {
  if (s.status === 'loading') return tr('Loading the engine and the data…');
  if (!s.summary) {
    if (s.knobs.dataset !== 'file') return '';
    // A link made with a file that is too big to carry: say which file reproduces its run.
    if (s.knobs.fingerprint) {
      return tr('This link was made with {name} ({n} ratings): choose or drop that file in the Data section to reproduce its run.', {
        name: s.knobs.fileName || tr('a ratings file'), n: Number(s.knobs.fingerprint.split('-')[0]).toLocaleString('en'),
      });
    }
    return tr('Choose, drop or paste a ratings file in the Data section.');
  }
  const d = s.summary;
  const kind = d.feedback === 'implicit' ? tr('implicit 0/1') : tr('scale {min}–{max}', { min: +d.scale.min.toPrecision(3), max: +d.scale.max.toPrecision(3) });
  const data = tr('{users} users × {items} items, {ratings} ratings ({share}% known), {kind}', {
    users: d.nUsers, items: d.nItems, ratings: d.nRatings, share: (100 * d.density).toFixed(d.density < 0.1 ? 1 : 0), kind,
  });
  const phase = tr(s.status === 'training' ? 'training' : s.epoch === 0 ? 'ready to train' : s.epoch >= s.knobs.nEpochs ? 'trained' : 'paused');
  // Stepped past the target: say so, not "epoch 61 of 60".
  if (s.epoch > s.knobs.nEpochs) return tr('{data} · epoch {epoch}, {more} past the {total} set · {phase}', { data, epoch: s.epoch, more: s.epoch - s.knobs.nEpochs, total: s.knobs.nEpochs, phase });
  return tr('{data} · epoch {epoch} of {total} · {phase}', { data, epoch: s.epoch, total: s.knobs.nEpochs, phase });
}
