// Models from elsewhere taken onto the loaded data: a model file, a Spark ALS folder, a kept
// run. Each becomes the engine's model, its parameters the knobs, its figures (a run's curves)
// the start of the training chart.

import { translate as tr } from './i18n.js';
import { engineParams, paramKnobs } from './params.js';
import { modelKnobs } from './state.js';

/**
 * @param {{
 *   engine: ReturnType<typeof import('./engine-client.js').createEngineClient>,
 *   store: ReturnType<typeof import('./state.js').createStore<any>>,
 *   pause: () => void,
 *   sendHoldout: () => Promise<void>,
 *   train: () => Promise<void>,
 *   adopted: (params: any) => number,
 * }} session what it needs of the session: the engine, the store, pausing, the hold-out sent,
 *   training anew, and `adopted`, told the new model's parameters, which returns its generation
 */
export function createAdoption({ engine, store, pause, sendHoldout, train, adopted }) {
/**
 * Takes a model file back onto the loaded data: its parameters become the knobs, training
 * continues from its epoch.
 * @param {string} text the model file's JSON
 */
async function importModel(text) {
  return adopt('importModel', { json: text });
}

/**
 * Opens a model Spark MLlib's ALS saved (the folder's files) on the loaded data, whose ids it
 * was trained on, as a model file is taken back; returns what the conversion said.
 * @param {import('./spark-folder.js').FolderFile[]} files
 * @param {boolean} [implicit] trained with implicitPrefs (else as the data's feedback says)
 * @returns {Promise<string[]>}
 */
async function importSpark(files, implicit) {
  const res = await adopt('importSpark', { files, implicit });
  return res.notes;
}

/**
 * Opens a kept run on the loaded data: its model's knobs, then its model and its curves, as
 * they were. A run that kept no model is trained again from its knobs (seeded, so to the same
 * numbers). Returns what to tell the user.
 * @param {string} json the run @param {{ knobs?: object, model?: object | null }} run the run, read
 * @returns {Promise<string[]>}
 */
async function openRun(json, run) {
  pause();
  const before = store.get().knobs;
  const knobs = { ...before, ...modelKnobs(run.knobs ?? {}) };
  if (!run.model) {
    // Trained again: the engine checks nothing here, so the knobs go through the page's own
    // path (a new model, then training to the run's epochs).
    store.set({ knobs });
    await train();
    return [tr('This run kept no model (it was too large): it was trained again from its knobs.')];
  }
  store.set({ knobs });
  let res;
  try {
    res = await adopt('openRun', { json });
  } catch (err) {
    store.set({ knobs: before });
    throw err;
  }
  const history = res.curves.map((/** @type {any} */ c) => ({ epoch: c.epoch, loss: c.loss ?? NaN, rmse: c.trainRmse ?? NaN, testRmse: c.testRmse, millis: c.seconds * 1000, diverged: false }));
  if (history.length && history.at(-1).epoch === res.epoch) history[history.length - 1] = { ...history.at(-1), ...res.report };
  store.set({ history: history.length ? history : [res.report] });
  return res.notes;
}

/**
 * A model from elsewhere becomes the engine's: its parameters the knobs, its figures the
 * start of the curves.
 * @param {'importModel' | 'importSpark' | 'openRun'} type
 * @param {object} payload
 */
async function adopt(type, payload) {
  pause();
  const k = store.get().knobs;
  await sendHoldout();
  const res = await engine.request(type, { ...payload, testFraction: k.testFraction });
  const knobs = { ...k, ...paramKnobs(res.params), nEpochs: Math.max(k.nEpochs, res.epoch + 1), patience: 0 };
  // Only now is the engine's model the imported one: epochs of the old one are ignored.
  const gen = adopted(engineParams(knobs, store.get().algorithms));
  store.set({
    // The imported model's figures at its epoch: the metrics and the curves start from them.
    knobs, generation: gen, epoch: res.epoch, inEpoch: false, history: [res.report], predicted: res.predicted, residual: res.residual, testMask: res.testMask,
    diverged: false, stopped: null, status: 'idle', error: null, modelVersion: store.get().modelVersion + 1,
  });
  return res;
}

  return { importModel, importSpark, openRun };
}
