// The engine's algorithms and model families, as it describes them (the `describe` request,
// src/train/registry.rs and src/train/family.rs), and the rules the page derives from that
// description. No rule about a particular algorithm or family is written in JavaScript: a new
// optimiser registered in the engine reaches the menu, the enabled knobs and the race from here.

/**
 * @typedef {{
 *   name: string, label: string, summary: string, losses: string[], uses: string[],
 *   biases: boolean, implicit: boolean, normalizes: boolean, race: boolean,
 * }} AlgorithmInfo
 */

/**
 * @typedef {{
 *   name: string, label: string, summary: string, optimizers: string[] | null, uses: string[],
 *   dataPresets: boolean, race: boolean,
 *   defaults: { algorithm: string, nFactors: number, learningRate: number, reg: number,
 *     initStd: number, negatives: number, layers: string },
 * }} FamilyInfo
 */

/**
 * A loss (src/train/loss.rs): `samples` when an epoch draws items the user has no value for
 * (the negatives knob applies).
 * @typedef {{ name: string, label: string, samples: boolean }} LossInfo
 */

/**
 * The family called `name`, or null. @param {FamilyInfo[]} families @param {string} name
 * @returns {FamilyInfo | null}
 */
export function familyOf(families, name) {
  return families.find((f) => f.name === name) ?? null;
}

/**
 * The algorithms that train a family: those it names, or every one when it names none.
 * @param {AlgorithmInfo[]} algorithms @param {FamilyInfo | null} family
 */
export function optimizersOf(algorithms, family) {
  const names = family?.optimizers;
  return names ? algorithms.filter((a) => names.includes(a.name)) : algorithms;
}

/**
 * The knobs a change of family sets (those its defaults name): a network's own defaults, or,
 * for a family the data sets' presets suit (matrix factorisation and its hybrid), the data set's
 * preset values.
 * @param {FamilyInfo | null} family @param {Record<string, any>} preset the data set's knobs
 * @returns {Record<string, any>}
 */
export function familyKnobs(family, preset) {
  if (!family) return {};
  if (!family.dataPresets) return { ...family.defaults };
  return Object.fromEntries(Object.keys(family.defaults).filter((k) => k in preset).map((k) => [k, preset[k]]));
}

/**
 * Whether a family's model is made with the data's features (so new features need a new model):
 * the hybrid's always, a network's when it takes them as inputs (the knob `useFeatures`).
 * @param {FamilyInfo | null} family @param {boolean} [asInputs] the knob's value
 */
export function usesFeatures(family, asInputs = false) {
  return Boolean(family?.uses.includes('features') || (asInputs && family?.uses.includes('useFeatures')));
}

/** A name the link may give: the engine checks that it names an algorithm. */
export const NAME_PATTERN = /^[a-z0-9-]{1,40}$/;

/**
 * The algorithm called `name`, or null. @param {AlgorithmInfo[]} algorithms @param {string} name
 * @returns {AlgorithmInfo | null}
 */
export function infoOf(algorithms, name) {
  return algorithms.find((a) => a.name === name) ?? null;
}

/**
 * The loss the engine fits: the knob's, if the algorithm fits it, else the algorithm's own.
 * @param {AlgorithmInfo | null} info @param {string} loss
 */
export function lossOf(info, loss) {
  return !info || info.losses.includes(loss) ? loss : info.losses[0];
}

/**
 * Whether the normalisation knob applies: an algorithm that takes normalised ratings, fitting
 * squared error. @param {AlgorithmInfo | null} info @param {string} loss
 */
export function normalizes(info, loss) {
  return Boolean(info?.normalizes) && lossOf(info, loss) === 'squared';
}

/**
 * Whether the algorithm reads a knob beyond those every algorithm reads (`learningRate`,
 * `batchSize`...). @param {AlgorithmInfo | null} info @param {string} knob
 */
export function uses(info, knob) {
  return Boolean(info?.uses.includes(knob));
}

/**
 * Whether the negatives knob applies: the loss the engine fits draws items for it.
 * @param {LossInfo[]} losses @param {AlgorithmInfo | null} info @param {string} loss
 */
export function samples(losses, info, loss) {
  const fitted = lossOf(info, loss);
  return Boolean(losses.find((l) => l.name === fitted)?.samples);
}

/** Whether the loss knob has a choice to make. @param {AlgorithmInfo | null} info */
export function choosesLoss(info) {
  return !info || info.losses.length > 1;
}
