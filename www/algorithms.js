// The engine's algorithms, as its registry describes them (the `describe` request,
// src/train/registry.rs), and the rules the page derives from that description. No rule about
// a particular algorithm is written in JavaScript: a new optimiser registered in the engine
// reaches the menu, the enabled knobs and the race from here.

/**
 * @typedef {{
 *   name: string, label: string, summary: string, losses: string[], uses: string[],
 *   biases: boolean, implicit: boolean, normalizes: boolean, race: boolean,
 * }} AlgorithmInfo
 */

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

/** Whether the loss knob has a choice to make. @param {AlgorithmInfo | null} info */
export function choosesLoss(info) {
  return !info || info.losses.length > 1;
}
