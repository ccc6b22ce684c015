// The one table between the page's knobs and the engine's training parameters, both ways.

import { infoOf, lossOf, normalizes } from './algorithms.js';

/** @typedef {import('./state.js').Knobs} Knobs */

/**
 * Each engine parameter (TrainParams, camelCase) and the knob it is read from, with the
 * conversions both ways where they differ: the one table for knobs -> parameters (configure)
 * and parameters -> knobs (an imported model).
 * @type {[string, keyof Knobs, ((v: any) => any)?, ((v: any) => any)?][]}
 */
const PARAM_KNOBS = [
  ['family', 'family'],
  ['layers', 'layers', (v) => v.split(',').map(Number), (v) => v.join(',')],
  ['negatives', 'negatives'],
  ['nFactors', 'nFactors'],
  ['nEpochs', 'nEpochs'],
  ['learningRate', 'learningRate'],
  ['regBias', 'reg'],
  ['regFactor', 'reg'],
  ['initStd', 'initStd'],
  ['seed', 'seed'],
  ['optimizer', 'algorithm'],
  ['useGlobalMean', 'biases'],
  ['useUserBias', 'biases'],
  ['useItemBias', 'biases'],
  ['useFeatures', 'useFeatures'],
  ['batchSize', 'batchSize'],
  ['loss', 'loss'],
  ['normalization', 'normalization'],
];

/**
 * The engine's TrainParams for a set of knobs: the loss the algorithm fits, no normalisation
 * where it does not apply.
 * @param {Knobs} k
 * @param {import('./algorithms.js').AlgorithmInfo[]} algorithms the engine's (see algorithms.js)
 * @returns {Record<string, any> & { nFactors: number }}
 */
export function engineParams(k, algorithms) {
  const info = infoOf(algorithms, k.algorithm);
  const params = Object.fromEntries(PARAM_KNOBS.map(([param, knob, toParam]) => [param, toParam ? toParam(k[knob]) : k[knob]]));
  return { ...params, nFactors: k.nFactors, loss: lossOf(info, k.loss), normalization: normalizes(info, k.loss) ? k.normalization : 'none' };
}

/**
 * The knobs an engine's TrainParams (an imported model's) set. @param {Record<string, any>} p
 * @returns {Partial<Knobs>}
 */
export function paramKnobs(p) {
  // The engine keeps rates as 32-bit floats: 0.005 arrives as 0.004999999888241291. Seven
  // significant digits (a float's own precision) give the decimal it was written as.
  const short = (/** @type {any} */ v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v);
  return Object.fromEntries(PARAM_KNOBS.map(([param, knob, , toKnob]) => [knob, short(toKnob ? toKnob(p[param]) : p[param])]));
}

