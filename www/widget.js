// The playground widget: mount(root, options) -> { setState, destroy, play, pause, ... }.
// It touches nothing outside `root`; every class is prefixed `mfp-`; the worker and the wasm are
// resolved from this module's URL, so the widget works on any page under any sub-path.

import { createHeatmap } from './charts/heatmap.js';
import { createLineChart } from './charts/line-chart.js';
import { createEngineClient } from './engine-client.js';
import { createSession, STRUCTURAL } from './session.js';
import { createStore, DEFAULTS } from './state.js';
import { createControls } from './ui/controls.js';
import { h } from './ui/dom.js';

/** @typedef {import('./state.js').Knobs} Knobs */

/**
 * @param {HTMLElement} root
 * @param {{ knobs?: Partial<Knobs>, onKnobs?: (k: Knobs) => void }} [options]
 */
export function mount(root, options = {}) {
  const store = createStore({
    knobs: /** @type {Knobs} */ ({ ...DEFAULTS, ...options.knobs }),
    status: 'loading',
    generation: 0,
    epoch: 0,
    /** @type {any[]} */ history: [],
    /** @type {any} */ summary: null,
    /** @type {Float32Array | null} */ observed: null,
    /** @type {Float32Array | null} */ predicted: null,
    diverged: false,
    /** @type {{ code: string, message: string } | null} */ error: null,
    /** @type {string | null} */ invalid: null,
  });

  const emit = (/** @type {string} */ type, /** @type {any} */ detail) =>
    root.dispatchEvent(new CustomEvent(`mfp:${type}`, { detail }));
  const engine = createEngineClient(new URL('./engine.worker.js', import.meta.url));
  const session = createSession(engine, store, emit);

  const controls = createControls(
    store.get().knobs,
    (name, value) => {
      store.set({ knobs: { ...store.get().knobs, [name]: value }, invalid: null });
      options.onKnobs?.(store.get().knobs);
      session.changeKnob(name);
    },
    (_name, message) => store.set({ invalid: message }),
  );

  const btn = (/** @type {string} */ text, /** @type {string} */ cls, /** @type {() => void} */ onclick, /** @type {string} */ title) =>
    h('button', { type: 'button', class: `mfp-btn ${cls}`, text, title, onclick });
  const trainBtn = btn('Train', 'mfp-train mfp-primary', () => session.train(), 'Start again from epoch 0 and train for the chosen number of epochs');
  const pauseBtn = btn('Pause', 'mfp-pause', () => (session.isPlaying() ? session.pause() : session.play()), 'Pause or resume training');
  const stepBtn = btn('Step', 'mfp-step', () => session.step(), 'Train one more epoch');
  const resetBtn = btn('Reset', 'mfp-reset', () => session.reset(), 'New random initial model, epoch 0');

  const metric = (/** @type {string} */ name, /** @type {string} */ label) => {
    const dd = h('dd', { dataset: { metric: name }, text: '–' });
    return { dd, nodes: [h('dt', { text: label }), dd] };
  };
  const mEpoch = metric('epoch', 'Epoch');
  const mLoss = metric('train-loss', 'Train loss');
  const mRmse = metric('train-rmse', 'Train RMSE');
  const statusText = h('p', { class: 'mfp-status', role: 'status', 'aria-live': 'polite' });
  const errorBox = h('p', { class: 'mfp-error', role: 'alert', hidden: true });
  const tooltip = h('p', { class: 'mfp-hover', 'aria-live': 'off', text: 'Point at a cell to read it.' });

  const lossCanvas = h('canvas', { class: 'mfp-chart', role: 'img', 'aria-label': 'Training loss per epoch' });
  const observedCanvas = h('canvas', { class: 'mfp-heatmap', role: 'img', 'aria-label': 'Observed rating matrix' });
  const predictedCanvas = h('canvas', { class: 'mfp-heatmap', role: 'img', 'aria-label': 'Predicted rating matrix' });
  const panel = (/** @type {string} */ title, /** @type {string} */ note, /** @type {Node} */ body, /** @type {string} */ name) =>
    h('figure', { class: `mfp-panel mfp-panel-${name}` }, [
      h('figcaption', {}, [h('strong', { text: title }), h('span', { class: 'mfp-note', text: note })]),
      body,
    ]);

  root.classList.add('mfp');
  root.replaceChildren(
    h('div', { class: 'mfp-toolbar' }, [
      controls.element,
      h('div', { class: 'mfp-actions' }, [trainBtn, pauseBtn, stepBtn, resetBtn]),
    ]),
    h('div', { class: 'mfp-summary' }, [statusText, h('dl', { class: 'mfp-metrics' }, [...mEpoch.nodes, ...mLoss.nodes, ...mRmse.nodes])]),
    errorBox,
    h('div', { class: 'mfp-panels' }, [
      panel('Loss', 'mean training loss after each epoch', lossCanvas, 'loss'),
      panel('Observed', 'what users did (grey: unknown)', observedCanvas, 'observed'),
      panel('Predicted', 'μ + b_u + b_i + p_u·q_i, through the output function', predictedCanvas, 'predicted'),
    ]),
    tooltip,
  );

  const lossChart = createLineChart(lossCanvas, { xLabel: 'epoch', yLabel: 'loss' });
  const hover = (/** @type {{ row: number, col: number } | null} */ cell) => {
    const s = store.get();
    if (!cell || !s.summary) {
      tooltip.textContent = 'Point at a cell to read it.';
      return;
    }
    const k = cell.row * s.summary.nItems + cell.col;
    const obs = s.observed ? s.observed[k] : NaN;
    const pred = s.predicted ? s.predicted[k] : NaN;
    tooltip.textContent = `User ${s.summary.userIds[cell.row]}, item ${s.summary.itemLabels[cell.col]}: observed ${
      Number.isNaN(obs) ? 'unknown' : obs
    }, predicted ${Number.isNaN(pred) ? '–' : pred.toFixed(3)}`;
  };
  const observedMap = createHeatmap(observedCanvas, { onHover: hover });
  const predictedMap = createHeatmap(predictedCanvas, { onHover: hover });

  const unsubscribe = store.subscribe((s, prev) => render(s, prev));

  /** @param {ReturnType<typeof store.get>} s @param {ReturnType<typeof store.get>} prev */
  function render(s, prev) {
    root.dataset.status = s.status === 'loading' ? 'idle' : s.status;
    root.dataset.epoch = String(s.epoch);
    root.dataset.diverged = String(s.diverged);
    const last = s.history.at(-1);
    mEpoch.dd.textContent = String(s.epoch);
    mLoss.dd.textContent = last ? fmtMetric(last.loss) : '–';
    mRmse.dd.textContent = last ? fmtMetric(last.rmse) : '–';
    statusText.textContent = describe(s);
    const training = s.status === 'training';
    pauseBtn.textContent = training ? 'Pause' : 'Resume';
    pauseBtn.disabled = s.status === 'loading' || s.diverged || (!training && s.epoch >= s.knobs.nEpochs);
    stepBtn.disabled = training || s.status === 'loading' || s.diverged;
    trainBtn.disabled = s.status === 'loading' || s.invalid !== null;
    errorBox.hidden = !s.error && !s.invalid && !s.diverged;
    errorBox.textContent = s.invalid
      ? s.invalid
      : s.error
        ? `Error: ${s.error.message}`
        : s.diverged
          ? `Training diverged at epoch ${s.epoch}: the loss is no longer a finite number. Lower the learning rate and press Reset.`
          : '';
    if (s.history !== prev.history || s.epoch !== prev.epoch) {
      lossChart.setSeries([{ name: 'train loss', color: 'var(--mfp-series-1)', points: s.history.map((r) => r.loss) }].map(resolveColor));
    }
    if (s.summary && (s.observed !== prev.observed || s.summary !== prev.summary)) {
      observedMap.setData(matrix(s.summary, /** @type {Float32Array} */ (s.observed)));
    }
    if (s.summary && s.predicted && s.predicted !== prev.predicted) {
      predictedMap.setData(matrix(s.summary, s.predicted));
    }
  }

  /**
   * Series colours are CSS variables so themes can change them.
   * @template {{ color: string }} S
   * @param {S} series
   * @returns {S}
   */
  function resolveColor(series) {
    const m = /^var\((--[\w-]+)\)$/.exec(series.color);
    return m ? { ...series, color: getComputedStyle(root).getPropertyValue(m[1]).trim() || '#36c' } : series;
  }

  render(store.get(), store.get());
  session.load();

  return {
    /** @param {Partial<Knobs>} knobs */
    setState(knobs) {
      const changed = Object.keys(knobs).filter((k) => /** @type {any} */ (knobs)[k] !== /** @type {any} */ (store.get().knobs)[k]);
      store.set({ knobs: { ...store.get().knobs, ...knobs } });
      controls.setValues(store.get().knobs);
      if (changed.includes('dataset')) session.load();
      else if (changed.some((k) => STRUCTURAL.has(k))) session.reset();
      else if (changed.length) session.changeKnob(changed[0]);
    },
    play: () => session.play(),
    pause: () => session.pause(),
    step: () => session.step(),
    reset: () => session.reset(),
    train: () => session.train(),
    destroy() {
      unsubscribe();
      session.pause();
      engine.destroy();
      lossChart.destroy();
      observedMap.destroy();
      predictedMap.destroy();
      root.replaceChildren();
      root.classList.remove('mfp');
    },
  };
}

/** @param {any} summary @param {Float32Array} values */
function matrix(summary, values) {
  const feedback = summary.feedback;
  const [min, max] = feedback === 'implicit' ? [0, 1] : [summary.scale.min, summary.scale.max];
  return { rows: summary.nUsers, cols: summary.nItems, values, min, max };
}

/** @param {number} v */
function fmtMetric(v) {
  return Number.isFinite(v) ? v.toFixed(4) : 'not a number';
}

/** @param {any} s */
function describe(s) {
  if (s.status === 'loading') return 'Loading the engine and the data…';
  if (!s.summary) return '';
  const d = s.summary;
  const data = `${d.nUsers} users × ${d.nItems} items, ${d.nRatings} known cells (${(100 * d.density).toFixed(0)}%), ${
    d.feedback === 'implicit' ? 'implicit 0/1' : `ratings ${d.scale.min}–${d.scale.max}`
  }`;
  const phase = s.status === 'training' ? 'training' : s.epoch === 0 ? 'ready to train' : s.epoch >= s.knobs.nEpochs ? 'trained' : 'paused';
  return `${data} · epoch ${s.epoch} of ${s.knobs.nEpochs} · ${phase}`;
}
