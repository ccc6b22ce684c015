// Labelled form controls for knobs, reporting changes as typed, validated values.

import { h, uniqueId } from './dom.js';
import { t, translate } from '../i18n.js';
import { WIDTHS } from '../state.js';

/**
 * @typedef {{ name: string, label: string, kind: 'select', options: [string, string][], title?: string }
 *   | { name: string, label: string, kind: 'number', min: number, max: number, step: number, integer?: boolean, title?: string }
 *   | { name: string, label: string, kind: 'checkbox', title?: string }
 *   | { name: string, label: string, kind: 'widths', title?: string }} KnobSpec
 */

/** The ways to hold out a test part (the split by time only for data with times). @type {[string, string][]} */
export const HOLDOUT_OPTIONS = [['random', 'Random share'], ['onePerUser', 'One per user'], ['latest', 'Latest share (by time)'], ['coldItems', 'New items (all their ratings)'], ['coldUsers', 'New users (all their ratings)']];

/** The training knobs, in toolbar order. @type {KnobSpec[]} */
export const TRAINING_KNOBS = [
  {
    name: 'dataset', label: 'Data', kind: 'select',
    options: [
      ['seed-10x10', 'Article example (10 × 10, 0/1)'],
      ['article-random', 'Article code\'s random 0/1 matrix (100 × 100)'],
      ['synthetic', 'Synthetic genres (known truth)'],
      ['movietweetings', 'MovieTweetings movies (300 × 150)'],
      ['file', 'Your file'],
    ],
  },
  // The engine describes the model families and the optimisers (algorithms.js): the widget
  // fills these menus.
  { name: 'family', label: 'Model', kind: 'select', options: [] },
  { name: 'layers', label: 'Tower (MLP)', kind: 'widths', title: 'The MLP\'s widths: the input (the user\'s and the item\'s embeddings side by side, half each), then each ReLU layer, e.g. 64,32,16,8' },
  { name: 'algorithm', label: 'Optimiser', kind: 'select', options: [] },
  { name: 'loss', label: 'Loss', kind: 'select', options: [] },
  { name: 'nFactors', label: 'Factors k', kind: 'number', min: 0, max: 256, step: 1, integer: true },
  { name: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.000001, max: 10, step: 0.001 },
  { name: 'reg', label: 'Regularisation λ', kind: 'number', min: 0, max: 10, step: 0.001 },
  { name: 'nEpochs', label: 'Epochs', kind: 'number', min: 1, max: 100000, step: 1, integer: true },
  { name: 'batchSize', label: 'Batch (Adam, RMSprop)', kind: 'number', min: 1, max: 65536, step: 1, integer: true },
  { name: 'negatives', label: 'Negatives per 1', kind: 'number', min: 0, max: 100, step: 1, integer: true, title: 'Logistic loss: unobserved items drawn as 0s for each observed 1, every epoch (He et al. use 4; 0: off). BPR: items drawn to rank below each observed one (at least 1)' },
  { name: 'initStd', label: 'Init std', kind: 'number', min: 0, max: 10, step: 0.01 },
  { name: 'seed', label: 'Seed', kind: 'number', min: 0, max: 4294967295, step: 1, integer: true },
  { name: 'testFraction', label: 'Test share', kind: 'number', min: 0, max: 0.9, step: 0.05, title: 'Share of the ratings held out to measure test error (0: train on all)' },
  {
    name: 'split', label: 'Test part', kind: 'select', options: HOLDOUT_OPTIONS,
    title: 'Which ratings are held out: a random share; one per user (the latest when the file has times, as Neural Collaborative Filtering tests); the latest share by time (train on the past, test on the future); or every rating of a share of the items or of the users, which the model then meets as new (cold start)',
  },
  { name: 'speed', label: 'Speed', kind: 'select', options: [['slow', 'Slow'], ['medium', 'Medium'], ['fast', 'Fast']] },
  { name: 'patience', label: 'Early stop', kind: 'number', min: 0, max: 100, step: 1, integer: true, title: 'Stop when the error on a validation part (10% of the training ratings) has not improved for this many epochs; 0: off' },
  { name: 'threshold', label: 'Ratings → 0/1 at', kind: 'number', min: 0, max: 1000, step: 0.5, title: 'Explicit data only: ratings at or above this become 1, the others 0, and the model fits them with logistic loss; 0: off' },
  { name: 'biases', label: 'Biases μ, b_u, b_i', kind: 'checkbox' },
  { name: 'useFeatures', label: 'Features as inputs', kind: 'checkbox', title: 'Networks: each user\'s and item\'s embeddings are the sum of their id\'s and their features\' (the data panel\'s Features), so new users and items get embeddings too' },
  {
    name: 'normalization', label: 'Normalise', kind: 'select',
    title: 'Ratings with squared loss: train on normalised ratings (means and spreads from the training part only); every prediction is mapped back to the data\'s scale',
    options: [
      ['none', 'None'], ['global-mean', 'Subtract the global mean'], ['user-mean', 'Subtract each user\'s mean'],
      ['item-mean', 'Subtract each item\'s mean'], ['user-z-score', 'User z-score'], ['min-max', 'Min-max to [0, 1]'],
    ],
  },
];

/** Knobs of the synthetic generator. @type {KnobSpec[]} */
export const SYNTHETIC_KNOBS = [
  { name: 'synUsers', label: 'Users', kind: 'number', min: 2, max: 2000, step: 1, integer: true },
  { name: 'synItems', label: 'Items', kind: 'number', min: 2, max: 2000, step: 1, integer: true },
  { name: 'synClusters', label: 'Genres', kind: 'number', min: 1, max: 8, step: 1, integer: true },
  { name: 'synDensity', label: 'Density', kind: 'number', min: 0.01, max: 1, step: 0.05 },
  { name: 'synNoise', label: 'Noise σ', kind: 'number', min: 0, max: 3, step: 0.05 },
  { name: 'synSeed', label: 'Data seed', kind: 'number', min: 0, max: 4294967295, step: 1, integer: true },
  { name: 'synImplicit', label: 'Implicit 0/1', kind: 'checkbox' },
];

/**
 * @param {KnobSpec[]} specs
 * @param {Record<string, any>} initial
 * @param {(name: string, value: any) => void} onChange called with a valid value only
 * @param {(name: string, message: string | null) => void} onInvalid
 */
export function createControls(specs, initial, onChange, onInvalid) {
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement>} */
  const inputs = {};
  /** @type {Record<string, HTMLElement>} */
  const fields = {};
  const els = specs.map((spec) => {
    const id = uniqueId('mfp-knob');
    let input;
    if (spec.kind === 'select') {
      input = h('select', { id, name: spec.name }, spec.options.map(([v, label]) => h('option', { value: v, text: t(label) })));
      input.value = String(initial[spec.name]);
    } else if (spec.kind === 'checkbox') {
      input = h('input', { id, name: spec.name, type: 'checkbox' });
      input.checked = Boolean(initial[spec.name]);
    } else if (spec.kind === 'widths') {
      input = h('input', { id, name: spec.name, type: 'text', inputmode: 'numeric', spellcheck: 'false', autocomplete: 'off' });
      input.value = String(initial[spec.name]);
    } else {
      input = h('input', {
        id, name: spec.name, type: 'number', min: spec.min, max: spec.max, step: spec.step,
        inputmode: spec.integer ? 'numeric' : 'decimal',
      });
      input.value = String(initial[spec.name]);
    }
    if (spec.title) {
      input.title = translate(spec.title);
      input.dataset.i18nAttrs = JSON.stringify({ title: { k: spec.title } });
    }
    inputs[spec.name] = input;
    input.addEventListener('change', () => {
      const v = readValue(spec, input);
      if ('invalid' in v) {
        input.setAttribute('aria-invalid', 'true');
        onInvalid(spec.name, v.invalid);
        return;
      }
      input.removeAttribute('aria-invalid');
      onInvalid(spec.name, null);
      onChange(spec.name, v.value);
    });
    const field = h('div', { class: `mfp-field mfp-field-${spec.kind}` }, [h('label', { for: id, text: t(spec.label) }), input]);
    fields[spec.name] = field;
    return field;
  });
  return {
    element: h('div', { class: 'mfp-knobs' }, els),
    /** @param {Record<string, any>} values */
    setValues(values) {
      for (const [name, input] of Object.entries(inputs)) {
        if (!(name in values)) continue;
        if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(values[name]);
        else input.value = String(values[name]);
        input.removeAttribute('aria-invalid');
      }
    },
    /**
     * Replaces a menu's options (value, English label) and selects `value`.
     * @param {string} name @param {[string, string][]} options @param {string} value
     */
    setOptions(name, options, value) {
      const input = inputs[name];
      if (!(input instanceof HTMLSelectElement)) return;
      input.replaceChildren(...options.map(([v, label]) => h('option', { value: v, text: t(label) })));
      input.value = value;
    },
    /** @param {string} name @param {boolean} on */
    setVisible(name, on) {
      if (fields[name]) fields[name].hidden = !on;
    },
    /** @param {string} name @param {boolean} on */
    setEnabled(name, on) {
      if (inputs[name]) inputs[name].disabled = !on;
      fields[name]?.classList.toggle('mfp-disabled', !on);
    },
  };
}

/**
 * The typed value of a control, or what is wrong with it.
 * @param {KnobSpec} spec
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @returns {{ value: any } | { invalid: string }}
 */
function readValue(spec, input) {
  if (spec.kind === 'checkbox') return { value: /** @type {HTMLInputElement} */ (input).checked };
  if (spec.kind === 'select') return { value: input.value };
  if (spec.kind === 'widths') {
    const v = input.value.replace(/\s+/g, '');
    return WIDTHS.test(v) ? { value: v } : { invalid: translate('{label}: write widths separated by commas, e.g. 64,32,16,8', { label: translate(spec.label) }) };
  }
  const n = Number(input.value);
  if (input.value.trim() === '' || !Number.isFinite(n)) return { invalid: `${spec.label} must be a number` };
  if (spec.integer && !Number.isInteger(n)) return { invalid: `${spec.label} must be a whole number` };
  if (n < spec.min || n > spec.max) return { invalid: `${spec.label} must be between ${spec.min} and ${spec.max}` };
  return { value: n };
}
