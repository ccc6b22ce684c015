// The page's side of a training session: loads data, builds models and drives training one
// request at a time (pull-based: while playing, ask for a chunk of epochs and ask again; pausing
// just stops asking).

import { familyOf, infoOf, optimizersOf, usesFeatures } from './algorithms.js';
import { engineParams } from './params.js';
import { translate as tr } from './i18n.js';
import { decodeInline } from './inline.js';
import { createApi } from './protocol.js';
import { DATASET_PRESETS, DEFAULTS, effectOf } from './state.js';
import { createAdoption } from './adopt.js';

/** @typedef {import('./state.js').Knobs} Knobs */

const TARGET_CHUNK_MS = 50;
const MAX_CHUNK = 1000;
/** Pause between requests for each speed: slow shows every epoch, fast trains flat out. */
const SPEED = /** @type {Record<string, { chunk: number, delay: number }>} */ ({
  slow: { chunk: 1, delay: 150 },
  medium: { chunk: 1, delay: 20 },
  fast: { chunk: 0, delay: 0 },
});

/** Early stopping holds out this share of the training ratings for validation. */
export const VALIDATION_SHARE = 0.1;

/** @param {Knobs} k */
function syntheticParams(k) {
  return {
    nUsers: k.synUsers,
    nItems: k.synItems,
    nClusters: k.synClusters,
    rank: Math.max(2, k.synClusters),
    density: k.synDensity,
    noise: k.synNoise,
    implicit: k.synImplicit,
    round: false,
    seed: k.synSeed,
  };
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {ReturnType<typeof import('./engine-client.js').createEngineClient>} engine
 * @param {ReturnType<typeof import('./state.js').createStore<any>>} store
 * @param {(type: string, detail: any) => void} emit
 */
export function createSession(engine, store, emit) {
  /** The training run going on, and one paused while its request was out. @typedef {{ cancelled: boolean, waiting: boolean }} Run */
  /** @type {Run | null} */
  let run = null;
  /** @type {Run | null} */
  let stopping = null;
  let generation = 0;
  /** The parameters of the last reset: a knob change that moves the normalisation needs another. @type {any} */
  let configured = null;
  /**
   * Evaluation after epochs while training (see the worker's `train`): what to ask for, and who
   * takes the answers. Set by the evaluation panel.
   * @type {{ want: () => ({ k: number, threshold: number } | null), take: (e: any) => void } | null}
   */
  let epochEvaluation = null;

  /**
   * What the engine has (its algorithms), asked once at the start: everything that builds a
   * model waits for it. A link that names an algorithm the engine does not have falls back to
   * the default, saying so.
   */
  const described = engine.request('describe').then((/** @type {{ algorithms: any[], families: any[], losses: any[], tools?: { name: string, label: string }[], threads?: number }} */ d) => {
    const k = store.get().knobs;
    const family = familyOf(d.families, k.family);
    const known = optimizersOf(d.algorithms, family).some((a) => a.name === k.algorithm);
    const loss = d.losses.some((l) => l.name === k.loss);
    const fixed = {
      ...(family ? {} : { family: DEFAULTS.family }),
      ...(known ? {} : { algorithm: family?.defaults.algorithm ?? DEFAULTS.algorithm }),
      ...(loss ? {} : { loss: DEFAULTS.loss }),
    };
    store.set({ algorithms: d.algorithms, families: d.families, losses: d.losses, tools: d.tools ?? [], threads: d.threads ?? 1, knobs: { ...k, ...fixed } });
    if (!loss) notice = { code: 'invalid_param', message: `the link names the loss "${k.loss}", which the engine does not have: using ${DEFAULTS.loss}` };
    else if (!family) notice = { code: 'invalid_param', message: `the link names the model "${k.family}", which the engine does not have: using ${DEFAULTS.family}` };
    else if (!known) {
      const why = infoOf(d.algorithms, k.algorithm) ? `which does not train ${k.family}` : 'which the engine does not have';
      notice = { code: 'invalid_param', message: `the link names the optimiser "${k.algorithm}", ${why}: using ${fixed.algorithm}` };
    }
  });
  /** A message for the user once the next model is ready (loading clears earlier ones). @type {{ code: string, message: string } | null} */
  let notice = null;
  /** How the engine holds out the test part of the loaded data (the `split` knob, once sent). */
  let holdout = 'random';
  /** Opened on a link made with a file (not carried in it): that file is awaited. */
  let awaitingFile = store.get().knobs.dataset === 'file' && store.get().knobs.fingerprint !== '';

  /** The engine's parameters for the current knobs. */
  const params = () => engineParams(store.get().knobs, store.get().algorithms);

  engine.onEvent((type, payload) => {
    if (type === 'progress') {
      store.set({ progress: payload });
      return;
    }
    if (type === 'memory') {
      store.set({ engineMemory: payload.bytes });
      return;
    }
    if (type === 'restored') {
      restored(payload);
      return;
    }
    if (type === 'evaluation') {
      if (store.get().generation === generation) epochEvaluation?.take({ ...payload, generation });
      return;
    }
    if (type !== 'epoch') return;
    const s = store.get();
    if (s.generation !== generation) return;
    s.history.push(payload);
    store.set({ epoch: payload.epoch, history: s.history, diverged: payload.diverged });
    emit('epoch', payload);
  });

  /**
   * Takes a reply's model views, when it has them, and with `changed` marks the model as
   * changed (views that follow the model refresh on that).
   * @param {any} res @param {boolean} changed
   */
  function takeModel(res, changed) {
    /** @type {Record<string, any>} */
    const patch = res.predicted ? { predicted: res.predicted, residual: res.residual, testMask: res.testMask } : {};
    if (changed) patch.modelVersion = store.get().modelVersion + 1;
    if ('inEpoch' in res) patch.inEpoch = res.inEpoch;
    store.set(patch);
  }

  /** Fetches the model views (after an interrupted run answered without them). */
  async function refreshViews() {
    const gen = generation;
    const res = await engine.request('views');
    if (gen === generation) takeModel(res, false);
  }

  /**
   * The engine failed and a new one was brought back to the state (engine-client.js): say so,
   * and show the restored model.
   * @param {{ code: string, message: string, restored: boolean, hasModel: boolean, epoch: number }} r
   */
  function restored(r) {
    if (run) run.cancelled = true;
    run = null;
    const s = store.get();
    const message = r.restored
      ? `${r.message}. A new engine was started and your data${r.hasModel ? ` and model (epoch ${r.epoch})` : ''} restored.`
      : `${r.message}. A new engine was started, but restoring the data failed again: load a data set to go on.`;
    const error = { code: r.code, message };
    store.set({
      status: 'idle', error, diverged: false, inEpoch: false,
      ...(r.hasModel ? { epoch: r.epoch, history: s.history.filter((h) => h.epoch <= r.epoch) } : {}),
    });
    emit('error', error);
    if (r.hasModel) refreshViews().catch(fail);
    else if (!r.restored) load();
  }

  /** @param {unknown} err */
  function fail(err) {
    const e = /** @type {any} */ (err);
    if (e && e.code === 'cancelled') return;
    const error = { code: e?.code ?? 'internal', message: String(e?.message ?? e) };
    store.set({ status: 'error', error });
    emit('error', error);
  }

  /** Applies a reply that carries new data. @param {any} res */
  function takeData(res) {
    store.set({ summary: res.summary, observed: res.observed, view: res.view, truth: res.truth ?? null, selected: null, edited: false });
    emit('data', res.summary);
  }

  async function load() {
    pause();
    const knobs = store.get().knobs;
    if (knobs.dataset === 'file') {
      // A file comes in through preview and commit; there is nothing to reload. A page opened
      // on a link made with a file waits for it, ready (it says which file).
      if (!store.get().summary) store.set({ status: 'idle' });
      return;
    }
    store.set({ status: 'loading', error: null });
    try {
      await described;
      const res = await engine.request('loadData', { source: knobs.dataset, synthetic: syntheticParams(knobs) });
      store.set({ testFile: null });
      holdout = 'random';
      takeData(res);
      store.set({ binarised: false });
      if (!(knobs.threshold > 0 && (await applyThreshold(true)))) await reset();
    } catch (err) {
      fail(err);
    }
  }

  async function reset() {
    pause();
    generation += 1;
    const gen = generation;
    try {
      await described;
      await sendHoldout();
      const k = store.get().knobs;
      const early = k.patience > 0 ? { validation: VALIDATION_SHARE, patience: k.patience } : undefined;
      configured = params();
      const res = await engine.request('configure', { params: configured, testFraction: k.testFraction, early });
      if (gen !== generation) return;
      store.set({
        generation: gen, epoch: 0, inEpoch: false, history: [], predicted: res.predicted, residual: res.residual, testMask: res.testMask,
        diverged: false, stopped: null, status: 'idle', error: notice, modelVersion: (store.get().modelVersion ?? 0) + 1,
      });
      if (notice) emit('error', notice);
      notice = null;
    } catch (err) {
      fail(err);
    }
  }

  /**
   * Tells the engine how to hold out the test part when the `split` knob differs from what it
   * has. Data without times refuses the split by time: the knob goes back and the page says why.
   */
  async function sendHoldout() {
    const want = store.get().knobs.split;
    if (want === holdout) return;
    try {
      await engine.request('setHoldout', { holdout: want });
      holdout = want;
    } catch (err) {
      const e = /** @type {any} */ (err);
      notice = { code: e?.code ?? 'invalid_param', message: String(e?.message ?? e) };
      store.set({ knobs: { ...store.get().knobs, split: holdout } });
    }
  }

  /** Trains until the epoch target, a pause, a reset or divergence. */
  async function play() {
    if (run || store.get().status === 'loading' || store.get().diverged || store.get().stopped) return;
    const me = { cancelled: false, waiting: false };
    run = me;
    const gen = generation;
    // The run's first slice starts an epoch (the worker's replies then say where it stands), so
    // a Pause before the first reply still leaves something to resume.
    store.set({ status: 'training', error: null, inEpoch: true });
    let chunk = 1;
    // Paused while a request was out: idle once its last epochs have come in, unless something
    // else took over meanwhile.
    const settle = () => {
      if (stopping !== me) return;
      stopping = null;
      if (gen === generation && !run && store.get().status === 'training') store.set({ status: 'idle' });
    };
    try {
      while (!me.cancelled && gen === generation) {
        const s = store.get();
        const left = s.knobs.nEpochs - s.epoch;
        if (left <= 0 || s.diverged) break;
        const pace = SPEED[s.knobs.speed] ?? SPEED.fast;
        const n = Math.min(pace.chunk || chunk, left);
        const t0 = performance.now();
        me.waiting = true;
        const res = await engine.request('train', { epochs: n, evaluate: epochEvaluation?.want() ?? null }).finally(() => { me.waiting = false; });
        if (gen !== generation) return;
        takeModel(res, true);
        const stop = res.reports.find((/** @type {any} */ r) => r.stop);
        if (stop) {
          store.set({ stopped: { epoch: stop.epoch, best: stop.bestEpoch } });
          break;
        }
        const dt = Math.max(1, performance.now() - t0);
        chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round((n * TARGET_CHUNK_MS) / dt)));
        if (pace.delay) await sleep(pace.delay);
      }
      if (gen === generation && run === me) {
        const s = store.get();
        store.set({ status: 'idle' });
        emit('trained', { epoch: s.epoch, report: s.history.at(-1) ?? null });
      }
      settle();
      // A paused run's last reply came without views: fetch them now.
      if (me.cancelled && gen === generation) await refreshViews();
    } catch (err) {
      fail(err);
    } finally {
      if (run === me) run = null;
      settle();
    }
  }

  /**
   * Stops training. A request already out still reports the epochs it trained before the
   * worker saw the interrupt (within a slice, ~15 ms): the page stays 'training' until that
   * reply, so idle means the epoch shown is the model's and stays so.
   */
  function pause() {
    if (run) {
      run.cancelled = true;
      // Stops the slice loop in the worker within ~15 ms, even mid-epoch.
      engine.request('interrupt').catch(() => {});
      if (run.waiting) stopping = run;
    }
    run = null;
    if (!stopping && store.get().status === 'training') store.set({ status: 'idle' });
  }

  async function step() {
    if (run || store.get().diverged) return;
    const gen = generation;
    if (store.get().error) store.set({ error: null, status: 'idle' });
    try {
      const res = await engine.request('train', { epochs: 1, evaluate: epochEvaluation?.want() ?? null });
      if (gen === generation) takeModel(res, true);
    } catch (err) {
      fail(err);
    }
  }

  // Models from elsewhere (a model file, a Spark folder, a kept run): adopt.js.
  const { importModel, importSpark, openRun } = createAdoption({
    engine, store, pause, sendHoldout, train: () => train(),
    adopted: (params) => {
      generation += 1;
      configured = params;
      return generation;
    },
  });

  /** Goes back to the best model early stopping kept. */
  async function restoreBest() {
    pause();
    try {
      const res = await engine.request('restoreBest');
      const s = store.get();
      store.set({ epoch: res.epoch, inEpoch: false, history: s.history.filter((/** @type {any} */ r) => r.epoch <= res.epoch), stopped: null });
      takeModel(res, true);
    } catch (err) {
      fail(err);
    }
  }

  /**
   * Shows explicit ratings as 0/1 at the `threshold` knob (0: the ratings as they are), fits
   * them with the matching loss and starts a fresh model.
   * @param {boolean} [quiet] on a load, when the data may not be explicit: do nothing then
   */
  async function applyThreshold(quiet = false) {
    const k = store.get().knobs;
    const summary = store.get().summary;
    const binarised = store.get().binarised;
    if (!summary || (summary.feedback === 'implicit' && !binarised)) {
      if (!quiet && k.threshold > 0) fail({ code: 'invalid_param', message: 'the data is already 0/1: the threshold applies to ratings' });
      return false;
    }
    if (k.threshold === 0 && !binarised) return false;
    pause();
    try {
      const res = await engine.request('setThreshold', { threshold: k.threshold > 0 ? k.threshold : null });
      takeData(res);
      store.set({ binarised: k.threshold > 0, knobs: { ...store.get().knobs, loss: k.threshold > 0 ? 'logistic' : 'squared' } });
      await reset();
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  /**
   * Applies a change of these knobs (already in the store) by the strongest of their effects
   * (state.js's table): the data reloads, the threshold applies, a new model starts, or the
   * model takes its new hyper-parameters from the next epoch.
   * @param {string[]} names
   */
  async function changeKnobs(names) {
    let effect = effectOf(names);
    if (effect === 'data') return load();
    if (effect === 'threshold') {
      // A threshold that changed nothing (0 on ratings, or refused) leaves the other knobs' effect.
      if (await applyThreshold()) return;
      effect = effectOf(names.filter((n) => n !== 'threshold'));
    }
    if (effect === 'model') return reset();
    if (effect !== 'epoch') return;
    const next = params();
    // A new optimiser or loss can switch the normalisation on or off: that is a new model.
    if (configured && next.normalization !== configured.normalization) return reset();
    try {
      await engine.request('setParams', { params: next });
    } catch (err) {
      fail(err);
    }
  }

  /**
   * Reads a file in the worker and returns what it found, leaving the current data and model
   * as they are.
   * @param {Blob | Uint8Array} data a file (read in the worker: the page's thread never copies
   *   it) or bytes (copied: the engine client keeps them to restore the data if the engine ever
   *   has to be restarted)
   * @param {object} [options]
   * @param {Uint8Array | null} [titles] an optional item-titles file (u.item, movies.dat, id,title)
   */
  async function previewFile(data, options, titles = null) {
    store.set({ progress: { task: 'parse', fraction: 0 } });
    try {
      const payload = { ...(data instanceof Blob ? { file: data } : { bytes: data }), options, ...(titles ? { titles: titles.slice() } : {}) };
      const { preview } = await engine.request('previewFile', payload);
      return preview;
    } finally {
      store.set({ progress: null });
    }
  }

  /**
   * Loads the previewed file as the data set and starts a fresh model. A new file brings the
   * file preset's knobs; data from a shared link keeps the link's, and so does the file a link
   * was made with when it is given (then its fingerprint is compared with the link's). Returns
   * what to tell the user about that comparison, if anything.
   * @param {{ keepKnobs?: boolean, name?: string }} [opts]
   * @returns {Promise<string | undefined>}
   */
  async function commitPreview(opts = {}) {
    pause();
    // The file a shared link was made with, given now: its knobs are the link's.
    const linked = awaitingFile ? store.get().knobs : null;
    // Loading until the new model is configured: the page shows it, and a knob set meanwhile is
    // not overwritten unseen by the file's preset.
    store.set({ status: 'loading', error: null });
    let res;
    try {
      res = await engine.request('commitPreview');
    } catch (err) {
      store.set({ status: 'idle' }); // the data and model in place are kept
      throw err;
    }
    const implicit = res.summary.feedback === 'implicit';
    const file = { fileName: opts.name ?? store.get().knobs.fileName, fingerprint: res.summary.fingerprint };
    const knobs = opts.keepKnobs || linked
      ? { ...store.get().knobs, dataset: 'file', ...file }
      : { ...store.get().knobs, ...DATASET_PRESETS.file, dataset: 'file', loss: implicit ? 'logistic' : 'squared', ...file };
    awaitingFile = false;
    holdout = 'random';
    store.set({ knobs, edited: false, binarised: false, testFile: null });
    takeData(res);
    if (linked && linked.fingerprint !== file.fingerprint) {
      notice = { code: 'other_data', message: `this is not the file the link was made with (${linked.fileName || 'a file'}, fingerprint ${linked.fingerprint}; this one is ${file.fingerprint}): the link's knobs are kept, but the numbers will differ` };
    }
    if (!(knobs.threshold > 0 && (await applyThreshold(true)))) await reset();
    if (linked && linked.fingerprint === file.fingerprint) return tr('The same file the link was made with: training reproduces its run.');
    return undefined;
  }

  /**
   * Gives the loaded data an item-titles file (titles and genres; the model stays). Returns the
   * new summary, or null when no data is loaded yet (the titles then wait for the next file).
   * @param {Uint8Array} titles
   */
  async function applyTitles(titles) {
    if (!store.get().summary) return null;
    const res = await engine.request('setTitles', { bytes: titles.slice() });
    store.set({ summary: res.summary });
    emit('data', res.summary);
    return res.summary;
  }

  /**
   * Gives the loaded data's users or items features (null bytes: takes them away). A model made
   * with features is made again with the new ones; any other stays. Returns what the engine
   * read, or null when no data is loaded.
   * @param {'user' | 'item'} side @param {Uint8Array | null} bytes
   */
  async function setFeatures(side, bytes) {
    if (!store.get().summary) return null;
    const res = await engine.request('setFeatures', bytes ? { side, bytes: bytes.slice() } : { side });
    store.set({ summary: res.summary });
    emit('data', res.summary);
    const s = store.get();
    if (usesFeatures(familyOf(s.families, s.knobs.family), s.knobs.useFeatures)) {
      pause();
      await reset();
    }
    return res;
  }

  /**
   * Gives the loaded data a separate test file, or with null bytes goes back to a random test
   * share, and starts a new model tested on it. Null when no data is loaded.
   * @param {Uint8Array | null} bytes @param {string} name
   */
  async function setTestFile(bytes, name) {
    if (!store.get().summary) return null;
    pause();
    const res = await engine.request('setTestFile', bytes ? { bytes: bytes.slice() } : {});
    store.set({ testFile: res.test ? { name, ...res.test } : null });
    await reset();
    return res.test;
  }

  /** Loads ratings carried in a shared link. @param {string} encoded */
  async function loadInline(encoded) {
    awaitingFile = false;
    store.set({ status: 'loading', error: null });
    try {
      const bytes = await decodeInline(encoded);
      await engine.request('previewFile', { bytes });
      await commitPreview({ keepKnobs: true });
    } catch (err) {
      fail({ code: 'parse_error', message: `the data in this link cannot be read (${/** @type {any} */ (err).message ?? err})` });
    }
  }

  /**
   * Sets (or with NaN removes) one rating and keeps training on the edited data.
   * @param {number} user @param {number} item @param {number} value
   */
  async function setRating(user, item, value) {
    try {
      const res = await engine.request('setRating', { user, item, value });
      store.set({ summary: res.summary, observed: res.observed, view: res.view, edited: true });
      takeModel(res, Boolean(res.predicted));
    } catch (err) {
      fail(err);
    }
  }

  /** Restarts from epoch 0 and trains to the epoch target. */
  async function train() {
    await reset();
    await play();
  }

  return {
    load,
    reset,
    play,
    pause,
    step,
    changeKnobs,
    params,
    applyTitles,
    setFeatures,
    setTestFile,
    previewFile,
    commitPreview,
    loadInline,
    setRating,
    restoreBest,
    importModel,
    importSpark,
    /** One function per engine request (generated from the engine's table, www/protocol.js). */
    api: createApi(engine.request),
    /** Which model the page shows: bumped by every reset and import. */
    generation: () => generation,
    /**
     * Asks for evaluations after epochs while training. @param {() => ({ k: number, threshold: number } | null)} want
     * the evaluation's settings, or null for none @param {(e: { epoch: number, k: number, threshold: number,
     * evaluation: any, generation: number }) => void} take
     */
    evaluateEpochs(want, take) {
      epochEvaluation = { want, take };
    },

    /** Restarts from epoch 0 and trains to the epoch target. */
    train,
    openRun,
    isPlaying: () => run !== null,
  };
}
