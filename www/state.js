// One state object, subscribe(), and a table of props that drives URL (de)serialising.

import { NAME_PATTERN } from './algorithms.js';
import { LESSONS } from './lessons.js';

/**
 * @typedef {{
 *   dataset: string, family: string, layers: string, negatives: number,
 *   algorithm: string, loss: string, nFactors: number,
 *   learningRate: number, reg: number, nEpochs: number, batchSize: number, initStd: number,
 *   seed: number, biases: boolean, useFeatures: boolean, normalization: string, testFraction: number, split: string, speed: string,
 *   synUsers: number, synItems: number, synClusters: number, synDensity: number,
 *   synNoise: number, synImplicit: boolean, synSeed: number, panels: string,
 *   patience: number, threshold: number, lang: 'en' | 'zh',
 *   present: boolean, hide: string, lock: string, challenge: string, maxk: number, lesson: number,
 *   fileName: string, fingerprint: string,
 *   mapMethod: string, perplexity: number, neighbours: number, minDist: number,
 * }} Knobs
 */

/** Defaults tuned for the seed article's 10 x 10 example. */
export const DEFAULTS = /** @type {Knobs} */ ({
  dataset: 'seed-10x10',
  // The model family, its MLP tower and the 0s drawn per 1: the engine describes the families.
  family: 'mf',
  layers: '64,32,16,8',
  negatives: 0,
  algorithm: 'sgd',
  loss: 'logistic',
  nFactors: 2,
  learningRate: 0.1,
  reg: 0.01,
  nEpochs: 100,
  batchSize: 32,
  initStd: 0.1,
  seed: 42,
  biases: true,
  // Networks: the data's features as extra inputs (the hybrid family always reads them).
  useFeatures: false,
  normalization: 'none',
  testFraction: 0,
  // How the test part is held out (engine names: data/split.rs Holdout).
  split: 'random',
  speed: 'fast',
  synUsers: 60,
  synItems: 40,
  synClusters: 4,
  synDensity: 0.3,
  synNoise: 0.3,
  synImplicit: false,
  synSeed: 1,
  panels: 'all',
  patience: 0,
  threshold: 0,
  lang: 'en',
  // The classroom: presenter mode, a teacher's hidden and locked knobs and challenge, a lesson.
  present: false,
  hide: '',
  lock: '',
  challenge: '',
  maxk: 0,
  lesson: 0,
  // Your own file: its name and fingerprint (a shared link says which file reproduces its run).
  fileName: '',
  fingerprint: '',
  // The embeddings map's layout (PCA, t-SNE or UMAP) and the knobs of the last two.
  mapMethod: 'pca',
  perplexity: 30,
  neighbours: 15,
  minDist: 0.1,
});

/**
 * Knobs a data set sets when the user picks it: what suits its size and kind of feedback.
 * @type {Record<string, Partial<Knobs>>}
 */
export const DATASET_PRESETS = {
  'seed-10x10': { loss: 'logistic', algorithm: 'sgd', nFactors: 2, learningRate: 0.1, reg: 0.01, nEpochs: 100, testFraction: 0 },
  // The article's code: 5 factors, batches of 32, 10 epochs, every cell observed (no sampled 0s).
  'article-random': { loss: 'logistic', algorithm: 'sgd', nFactors: 5, learningRate: 0.05, reg: 0, nEpochs: 10, batchSize: 32, negatives: 0, testFraction: 0.2 },
  synthetic: { loss: 'squared', algorithm: 'sgd', nFactors: 4, learningRate: 0.02, reg: 0.05, nEpochs: 60, testFraction: 0.2 },
  movietweetings: { loss: 'squared', algorithm: 'sgd', nFactors: 8, learningRate: 0.005, reg: 0.1, nEpochs: 40, testFraction: 0.2 },
  file: { loss: 'squared', algorithm: 'sgd', nFactors: 10, learningRate: 0.01, reg: 0.05, nEpochs: 30, testFraction: 0.2 },
};

const SPEEDS = ['slow', 'medium', 'fast'];
/** An MLP tower as the page writes it: widths separated by commas (the engine checks the rest). */
export const WIDTHS = /^\d{1,5}(,\d{1,5}){0,15}$/;
/** How the test part is held out: a random share, one per user (the latest when timed), the latest share. */
export const HOLDOUTS = ['random', 'onePerUser', 'latest', 'coldItems', 'coldUsers'];
const NORMALIZATIONS = ['none', 'global-mean', 'user-mean', 'item-mean', 'user-z-score', 'min-max'];

/**
 * What changing a knob does, weakest first:
 * - `page`: the interface only (speed, panels, language, the classroom's settings);
 * - `epoch`: new hyper-parameters for the same model, from the next epoch on;
 * - `model`: a new model on the same data (factors, loss, seed, split...);
 * - `threshold`: the data shown as 0/1 (or back), and so a new model;
 * - `data`: the data reloaded, and so a new model.
 * @typedef {'page' | 'epoch' | 'model' | 'threshold' | 'data'} Effect
 */
export const EFFECTS = /** @type {Effect[]} */ (['page', 'epoch', 'model', 'threshold', 'data']);

/**
 * Each knob: what its change does (`on`, see {@link EFFECTS}), its key in the URL hash and which
 * values it accepts. A value outside these is ignored (the default stays), so a hand-edited link
 * can never break the page.
 * @type {Record<keyof Knobs, { on: Effect, key: string, parse: (s: string) => any }>}
 */
export const PROPS = {
  dataset: { on: 'data', key: 'data', parse: oneOf(['seed-10x10', 'article-random', 'synthetic', 'movietweetings', 'file']) },
  // Any well-formed name: the engine says which families and algorithms it has (session.js
  // checks the link's).
  family: { on: 'model', key: 'family', parse: (s) => (NAME_PATTERN.test(s) ? s : undefined) },
  layers: { on: 'model', key: 'layers', parse: (s) => (WIDTHS.test(s) ? s : undefined) },
  negatives: { on: 'epoch', key: 'neg', parse: intIn(0, 100) },
  algorithm: { on: 'epoch', key: 'algo', parse: (s) => (NAME_PATTERN.test(s) ? s : undefined) },
  loss: { on: 'model', key: 'loss', parse: (s) => (NAME_PATTERN.test(s) ? s : undefined) },
  nFactors: { on: 'model', key: 'k', parse: intIn(0, 256) },
  learningRate: { on: 'epoch', key: 'lr', parse: numIn(1e-6, 10) },
  reg: { on: 'epoch', key: 'reg', parse: numIn(0, 10) },
  nEpochs: { on: 'epoch', key: 'epochs', parse: intIn(1, 100000) },
  batchSize: { on: 'epoch', key: 'batch', parse: intIn(1, 65536) },
  initStd: { on: 'model', key: 'init', parse: numIn(0, 10) },
  seed: { on: 'model', key: 'seed', parse: intIn(0, 2 ** 32 - 1) },
  biases: { on: 'model', key: 'bias', parse: bool },
  useFeatures: { on: 'model', key: 'feat', parse: bool },
  normalization: { on: 'model', key: 'norm', parse: oneOf(NORMALIZATIONS) },
  testFraction: { on: 'model', key: 'test', parse: numIn(0, 0.9) },
  split: { on: 'model', key: 'split', parse: oneOf(HOLDOUTS) },
  speed: { on: 'page', key: 'speed', parse: oneOf(SPEEDS) },
  synUsers: { on: 'data', key: 'su', parse: intIn(2, 2000) },
  synItems: { on: 'data', key: 'si', parse: intIn(2, 2000) },
  synClusters: { on: 'data', key: 'sc', parse: intIn(1, 8) },
  synDensity: { on: 'data', key: 'sd', parse: numIn(0.01, 1) },
  synNoise: { on: 'data', key: 'sn', parse: numIn(0, 3) },
  synImplicit: { on: 'data', key: 'simp', parse: bool },
  synSeed: { on: 'data', key: 'sseed', parse: intIn(0, 2 ** 32 - 1) },
  patience: { on: 'model', key: 'stop', parse: intIn(0, 100) },
  lang: { on: 'page', key: 'lang', parse: oneOf(['en', 'zh']) },
  present: { on: 'page', key: 'present', parse: bool },
  hide: { on: 'page', key: 'hide', parse: (s) => (/^[a-z,]{0,200}$/.test(s) ? s : undefined) },
  lock: { on: 'page', key: 'lock', parse: (s) => (/^[a-z,]{0,200}$/.test(s) ? s : undefined) },
  challenge: { on: 'page', key: 'challenge', parse: (s) => (/^(test-rmse|test-mae|train-rmse):\d+(\.\d+)?$/.test(s) ? s : undefined) },
  maxk: { on: 'page', key: 'maxk', parse: intIn(0, 256) },
  lesson: { on: 'page', key: 'lesson', parse: intIn(0, LESSONS.length) },
  threshold: { on: 'threshold', key: 'thr', parse: numIn(0, 1000) },
  fileName: { on: 'page', key: 'file', parse: (s) => (/^[^/\\\u0000-\u001f]{1,200}$/.test(s) ? s : undefined) },
  fingerprint: { on: 'page', key: 'fp', parse: (s) => (/^\d{1,9}-[0-9a-f]{16}$/.test(s) ? s : undefined) },
  mapMethod: { on: 'page', key: 'map', parse: oneOf(['pca', 'tsne', 'umap']) },
  perplexity: { on: 'page', key: 'perp', parse: numIn(2, 100) },
  neighbours: { on: 'page', key: 'nn', parse: intIn(2, 100) },
  minDist: { on: 'page', key: 'md', parse: numIn(0, 1) },
  panels: { on: 'page', key: 'panels', parse: (s) => (/^[a-z,]{1,120}$/.test(s) ? s : undefined) },
};

/**
 * What a change of these knobs does together: the strongest of their effects (a new data set
 * makes a new model too), or null when no knob changed.
 * @param {string[]} names knob names
 * @returns {Effect | null}
 */
export function effectOf(names) {
  let best = -1;
  for (const n of names) {
    const on = /** @type {any} */ (PROPS)[n]?.on;
    best = Math.max(best, EFFECTS.indexOf(on ?? 'page'));
  }
  return best < 0 ? null : EFFECTS[best];
}

/**
 * The knobs of `knobs` that make or train a model (their change makes a new model or applies
 * from the next epoch): what a run keeps, and sets again when it is opened.
 * @param {Partial<Knobs>} knobs
 * @returns {Partial<Knobs>}
 */
export function modelKnobs(knobs) {
  return Object.fromEntries(Object.entries(knobs).filter(([name]) => ['model', 'epoch'].includes(/** @type {any} */ (PROPS)[name]?.on)));
}

/** A knob's name by its key in the link (`k` -> `nFactors`). */
const NAME_OF_KEY = Object.fromEntries(Object.entries(PROPS).map(([name, p]) => [p.key, name]));

/**
 * Knob names from a comma list of link keys or names ("k,lr" or "nFactors"), as the teacher's
 * hide/lock and the embeds' controls give them.
 * @param {string} list
 */
export function knobNames(list) {
  return list.split(',').map((c) => c.trim()).filter(Boolean).map((c) => NAME_OF_KEY[c] ?? c);
}

/** @param {string[]} values */
function oneOf(values) {
  return (/** @type {string} */ s) => (values.includes(s) ? s : undefined);
}

/** @param {string} s */
function bool(s) {
  return s === '1' ? true : s === '0' ? false : undefined;
}

/** @param {number} lo @param {number} hi */
function intIn(lo, hi) {
  return (/** @type {string} */ s) => {
    if (!/^\d+$/.test(s)) return undefined;
    const n = Number(s);
    return n >= lo && n <= hi ? n : undefined;
  };
}

/** @param {number} lo @param {number} hi */
function numIn(lo, hi) {
  return (/** @type {string} */ s) => {
    const n = Number(s);
    return s.trim() !== '' && Number.isFinite(n) && n >= lo && n <= hi ? n : undefined;
  };
}

/**
 * Reads knobs from a hash such as `#data=seed-10x10&k=2`, falling back to defaults.
 * @param {string} hash
 * @returns {Knobs}
 */
export function knobsFromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const knobs = { ...DEFAULTS };
  // A lesson brings its preset (and its data set's), under whatever else the link says.
  const lesson = LESSONS[(PROPS.lesson.parse(params.get('lesson') ?? '') ?? 0) - 1]?.preset ?? {};
  const dataset = PROPS.dataset.parse(params.get('data') ?? '') ?? lesson.dataset;
  if (dataset) Object.assign(knobs, DATASET_PRESETS[dataset]);
  Object.assign(knobs, lesson);
  for (const [name, prop] of Object.entries(PROPS)) {
    const raw = params.get(prop.key);
    if (raw === null) continue;
    const v = prop.parse(raw);
    if (v !== undefined) /** @type {any} */ (knobs)[name] = v;
  }
  return knobs;
}

/**
 * Writes the knobs as a hash, leaving out those equal to what the data set's preset and the
 * defaults would give anyway.
 * @param {Knobs} knobs
 */
export function knobsToHash(knobs) {
  const base = { ...DEFAULTS, ...DATASET_PRESETS[knobs.dataset] };
  const params = new URLSearchParams();
  params.set(PROPS.dataset.key, knobs.dataset);
  for (const [name, prop] of Object.entries(PROPS)) {
    if (name === 'dataset') continue;
    // Which file, only when the data is a file.
    if ((name === 'fileName' || name === 'fingerprint') && knobs.dataset !== 'file') continue;
    const v = /** @type {any} */ (knobs)[name];
    if (v === /** @type {any} */ (base)[name]) continue;
    params.set(prop.key, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return `#${params.toString()}`;
}

/**
 * A tiny store: get(), set(patch) and subscribe(fn) -> unsubscribe.
 * @template T
 * @param {T} initial
 */
export function createStore(initial) {
  let state = initial;
  /** @type {Set<(s: T, prev: T) => void>} */
  const subs = new Set();
  return {
    get: () => state,
    /** @param {Partial<T>} patch */
    set(patch) {
      const prev = state;
      state = { ...state, ...patch };
      for (const fn of subs) fn(state, prev);
    },
    /** @param {(s: T, prev: T) => void} fn */
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
