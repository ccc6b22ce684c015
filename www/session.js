// The page's side of a training session: loads data, builds models and drives training one
// request at a time (pull-based: while playing, ask for a chunk of epochs sized to take about
// 50 ms, and ask again; pausing just stops asking).

/** @typedef {import('./state.js').Knobs} Knobs */
/** @typedef {{ epoch: number, loss: number, rmse: number, millis: number, diverged: boolean }} EpochReport */

const TARGET_CHUNK_MS = 50;
const MAX_CHUNK = 1000;

/**
 * The engine's TrainParams for a set of knobs.
 * @param {Knobs} k
 */
export function engineParams(k) {
  return {
    nFactors: k.nFactors,
    nEpochs: k.nEpochs,
    learningRate: k.learningRate,
    regBias: k.reg,
    regFactor: k.reg,
    seed: k.seed,
    loss: k.loss,
    optimizer: 'sgd',
    useGlobalMean: k.biases,
    useUserBias: k.biases,
    useItemBias: k.biases,
  };
}

/** Knobs whose change makes a different model: they need a reset. */
export const STRUCTURAL = new Set(['nFactors', 'loss', 'seed', 'biases']);

/**
 * @param {ReturnType<typeof import('./engine-client.js').createEngineClient>} engine
 * @param {ReturnType<typeof import('./state.js').createStore<any>>} store
 * @param {(type: string, detail: any) => void} emit
 */
export function createSession(engine, store, emit) {
  /** @type {{ cancelled: boolean } | null} */
  let run = null;
  let generation = 0;

  engine.onEvent((type, payload) => {
    if (type !== 'epoch') return;
    const s = store.get();
    if (s.generation !== generation) return;
    s.history.push(payload);
    store.set({ epoch: payload.epoch, history: s.history, diverged: payload.diverged });
    emit('epoch', payload);
  });

  /** @param {unknown} err */
  function fail(err) {
    const e = /** @type {any} */ (err);
    if (e && e.code === 'cancelled') return;
    const error = { code: e?.code ?? 'internal', message: String(e?.message ?? e) };
    store.set({ status: 'error', error });
    emit('error', error);
  }

  async function load() {
    pause();
    const knobs = store.get().knobs;
    store.set({ status: 'loading', error: null });
    try {
      const { summary, observed } = await engine.request('loadBuiltin', { name: knobs.dataset });
      store.set({ summary, observed });
      await reset();
    } catch (err) {
      fail(err);
    }
  }

  async function reset() {
    pause();
    generation += 1;
    const gen = generation;
    try {
      const { predicted } = await engine.request('configure', { params: engineParams(store.get().knobs) });
      if (gen !== generation) return;
      store.set({ generation: gen, epoch: 0, history: [], predicted, diverged: false, status: 'idle', error: null });
    } catch (err) {
      fail(err);
    }
  }

  /** Trains until the epoch target, a pause, a reset or divergence. */
  async function play() {
    if (run || store.get().status === 'loading' || store.get().diverged) return;
    const me = { cancelled: false };
    run = me;
    const gen = generation;
    store.set({ status: 'training', error: null });
    let chunk = 1;
    try {
      while (!me.cancelled && gen === generation) {
        const s = store.get();
        const left = s.knobs.nEpochs - s.epoch;
        if (left <= 0 || s.diverged) break;
        const n = Math.min(chunk, left);
        const t0 = performance.now();
        const res = await engine.request('train', { epochs: n });
        if (gen !== generation) return;
        store.set({ predicted: res.predicted });
        const dt = Math.max(1, performance.now() - t0);
        chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round((n * TARGET_CHUNK_MS) / dt)));
      }
      if (gen === generation && run === me) {
        const s = store.get();
        store.set({ status: 'idle' });
        emit('trained', { epoch: s.epoch, report: s.history.at(-1) ?? null });
      }
    } catch (err) {
      fail(err);
    } finally {
      if (run === me) run = null;
    }
  }

  function pause() {
    if (run) run.cancelled = true;
    run = null;
    if (store.get().status === 'training') store.set({ status: 'idle' });
  }

  async function step() {
    if (run || store.get().diverged) return;
    const gen = generation;
    try {
      const res = await engine.request('train', { epochs: 1 });
      if (gen === generation) store.set({ predicted: res.predicted });
    } catch (err) {
      fail(err);
    }
  }

  /** Applies a knob change: a new data set reloads, a structural knob resets, others apply from the next epoch. */
  async function changeKnob(/** @type {string} */ name) {
    if (name === 'dataset') return load();
    if (STRUCTURAL.has(name)) return reset();
    try {
      await engine.request('setParams', { params: engineParams(store.get().knobs) });
    } catch (err) {
      fail(err);
    }
  }

  return {
    load,
    reset,
    play,
    pause,
    step,
    changeKnob,
    /** Restarts from epoch 0 and trains to the epoch target. */
    async train() {
      await reset();
      await play();
    },
    isPlaying: () => run !== null,
  };
}
