// One state object, subscribe(), and a table of props that drives URL (de)serialising.

/**
 * @typedef {{
 *   dataset: string, loss: 'logistic' | 'squared', nFactors: number, learningRate: number,
 *   reg: number, nEpochs: number, seed: number, biases: boolean,
 * }} Knobs
 */

/** Defaults tuned for the seed article's 10 x 10 example. */
export const DEFAULTS = /** @type {Knobs} */ ({
  dataset: 'seed-10x10',
  loss: 'logistic',
  nFactors: 2,
  learningRate: 0.1,
  reg: 0.01,
  nEpochs: 100,
  seed: 42,
  biases: true,
});

/**
 * How each knob appears in the URL hash and which values it accepts. A value outside these is
 * ignored (the default stays), so a hand-edited link can never break the page.
 * @type {Record<keyof Knobs, { key: string, parse: (s: string) => any }>}
 */
export const PROPS = {
  dataset: { key: 'data', parse: (s) => (/^[a-z0-9-]{1,40}$/.test(s) ? s : undefined) },
  loss: { key: 'loss', parse: (s) => (s === 'logistic' || s === 'squared' ? s : undefined) },
  nFactors: { key: 'k', parse: intIn(0, 256) },
  learningRate: { key: 'lr', parse: numIn(1e-6, 10) },
  reg: { key: 'reg', parse: numIn(0, 10) },
  nEpochs: { key: 'epochs', parse: intIn(1, 100000) },
  seed: { key: 'seed', parse: intIn(0, 2 ** 32 - 1) },
  biases: { key: 'bias', parse: (s) => (s === '1' ? true : s === '0' ? false : undefined) },
};

function intIn(lo, hi) {
  return (/** @type {string} */ s) => {
    if (!/^\d+$/.test(s)) return undefined;
    const n = Number(s);
    return n >= lo && n <= hi ? n : undefined;
  };
}

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
  for (const [name, prop] of Object.entries(PROPS)) {
    const raw = params.get(prop.key);
    if (raw === null) continue;
    const v = prop.parse(raw);
    if (v !== undefined) /** @type {any} */ (knobs)[name] = v;
  }
  return knobs;
}

/**
 * Writes the knobs that differ from the defaults as a hash.
 * @param {Knobs} knobs
 */
export function knobsToHash(knobs) {
  const params = new URLSearchParams();
  for (const [name, prop] of Object.entries(PROPS)) {
    const v = /** @type {any} */ (knobs)[name];
    if (v === /** @type {any} */ (DEFAULTS)[name]) continue;
    params.set(prop.key, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const s = params.toString();
  return s ? `#${s}` : '';
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
