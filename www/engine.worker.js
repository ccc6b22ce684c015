// The engine worker: loads the wasm package, answers requests, streams one event per epoch.
// Everything is resolved from this module's own URL, so the widget works under any sub-path.

import * as plain from './pkg/mf_playground.js';

/** The single-file build puts the wasm and the built-in data inside the worker's own source. */
const inlined = /** @type {{ __mfpWasm?: Uint8Array, __mfpFiles?: Record<string, Uint8Array> }} */ (/** @type {any} */ (self));

/**
 * The engine: the threaded package (tools/build.sh, www/pkg-threads/) where the page is
 * cross-origin isolated, so that its memory can be shared with the threads' workers; its
 * threads are rayon's, as many as the machine's cores (at most 16). Elsewhere (file://, the
 * single file, a host without the COOP/COEP headers, a build without the threaded package) the
 * plain package on this one thread. Both train to the same numbers.
 * @returns {Promise<{ pkg: typeof plain, memory: WebAssembly.Memory }>}
 */
async function start() {
  if (!inlined.__mfpWasm && self.crossOriginIsolated) {
    try {
      // A computed specifier: the package exists only where tools/build.sh could make it.
      const url = new URL('./pkg-threads/mf_playground.js', import.meta.url).href;
      const threaded = /** @type {typeof plain & { initThreadPool: (n: number) => Promise<void> }} */ (await import(url));
      const out = await threaded.default({ module_or_path: new URL('./pkg-threads/mf_playground_bg.wasm', import.meta.url) });
      await threaded.initThreadPool(Math.max(1, Math.min(16, navigator.hardwareConcurrency || 1)));
      return { pkg: threaded, memory: out.memory };
    } catch (err) {
      // No threaded package here, or threads refused: one thread it is.
      console.info(`mf-playground: training on one thread (${String(/** @type {any} */ (err)?.message ?? err)})`);
    }
  }
  const out = await plain.default({ module_or_path: inlined.__mfpWasm ?? new URL('./pkg/mf_playground_bg.wasm', import.meta.url) });
  return { pkg: plain, memory: out.memory };
}
/** The package in use and its Session class (the plain package's until started). */
let pkg = plain;
let Session = plain.Session;
const ready = start().then((e) => {
  pkg = e.pkg;
  Session = e.pkg.Session;
  return e;
});
/** Set once the module has trapped: nothing more can be asked of it. */
let broken = false;

/**
 * A Spark ALSModel folder's parts: the metadata's first part (an ALS model's, or the engine's
 * message says what it is), each side's Parquet parts in name order, and the id maps' text when
 * the folder has them, as the engine's rule picks them (model_file/spark/layout.rs); throws the
 * engine's message naming what is missing.
 * @param {import('./spark-folder.js').FolderFile[]} files paths relative to anything above the model's folder
 */
function sparkParts(files) {
  // Which file is which is the engine's rule (the command line reads folders by it too): the
  // metadata first, checked to be an ALS model's, then the factor tables.
  const folder = files[0]?.path.split('/')[0] ?? 'the folder';
  const paths = files.map((f) => f.path);
  const metadata = files[Session.sparkLayout(paths, folder, false).metadata];
  Session.sparkMetadata(new TextDecoder().decode(metadata.bytes), metadata.path);
  const at = Session.sparkLayout(paths, folder, true);
  const decode = (/** @type {number | undefined} */ k) => (k == null ? undefined : new TextDecoder().decode(files[k].bytes));
  return {
    metadata: files[at.metadata],
    users: at.users.map((/** @type {number} */ k) => files[k]),
    items: at.items.map((/** @type {number} */ k) => files[k]),
    userMap: decode(at.userMap),
    itemMap: decode(at.itemMap),
  };
}

/**
 * The Parquet reader for Spark models (crates/spark-parquet, built into www/pkg-spark/): a
 * package of its own, about as large as the engine, so it is fetched only when a Spark model is
 * opened, and once.
 * @type {Promise<{ readFactors: (bytes: Uint8Array, rank: number) => { ids: Int32Array, values: Float32Array } }> | null}
 */
let sparkReader = null;
function parquetReader() {
  sparkReader ??= (async () => {
    try {
      const url = new URL('./pkg-spark/spark_parquet.js', import.meta.url).href;
      const m = /** @type {any} */ (await import(url));
      await m.default({ module_or_path: new URL('./pkg-spark/spark_parquet_bg.wasm', import.meta.url) });
      return m;
    } catch (err) {
      sparkReader = null;
      throw Object.assign(new Error(`the Parquet reader for Spark models could not be loaded (${String(/** @type {any} */ (err)?.message ?? err)}): the single-file page does not carry it; use the served playground, or mfp import-spark`), { code: 'not_ready' });
    }
  })();
  return sparkReader;
}

/**
 * What a WebAssembly trap means, in words: the panic's own message when there was a panic,
 * running out of memory when the memory is near wasm32's 4 GiB, else the trap itself.
 * @param {WebAssembly.RuntimeError} e
 */
async function describeTrap(e) {
  const panic = Session.lastPanic();
  if (panic) return `the engine panicked: ${panic}`;
  const bytes = (await ready).memory.buffer.byteLength;
  if (bytes > 3.5 * 2 ** 30) return `the engine ran out of memory (${(bytes / 2 ** 30).toFixed(1)} GiB in use)`;
  return `the engine stopped: ${e.message}`;
}

/** @type {plain.Session | null} */
let session = null;
/** Bumped whenever the model is replaced, so a running `train` stops touching it. */
let modelGen = 0;
let interrupted = false;
/** Rating updates per training slice, adapted to the machine and the data. */
let budget = 4096;
/**
 * Evaluating after epochs (see `train`'s `evaluate`) may take a quarter of the training time plus
 * 2 ms an epoch: an evaluation is made once the epochs since the last have earned its cost, the
 * least of the last four (one slow one, a pause of the machine, does not leave a gap). So a small
 * model is evaluated after every epoch and a larger one every few. A model's first two
 * evaluations are not counted: they run code the engine has not fully compiled yet, and took up
 * to four times as long as later ones.
 */
const EVAL_SHARE = 0.25;
const EVAL_FREE_MS = 2;
const EVAL_WARMUP = 2;
/** @type {{ gen: number, trainMs: number, epochs: number, since: number, recent: number[], warmup: number }} */
let evalCost = { gen: -1, trainMs: 0, epochs: 0, since: 0, recent: [], warmup: EVAL_WARMUP };

function current() {
  if (!session) session = new Session();
  return session;
}

/**
 * Evaluates the model after its epoch `epoch` while the evaluations' time is within budget.
 * @param {plain.Session} s @param {number} epoch @param {{ k: number, threshold: number }} want
 */
function evaluateEpoch(s, epoch, want) {
  const c = evalCost;
  if (epoch > 0) {
    c.epochs += 1;
    c.since += 1;
  }
  const earned = c.since * (EVAL_SHARE * (c.trainMs / c.epochs) + EVAL_FREE_MS);
  if (c.recent.length > 0 && Math.min(...c.recent) > earned) return;
  const t0 = performance.now();
  let evaluation;
  try {
    evaluation = s.evaluate(want.k, want.threshold);
  } catch {
    return; // a model that cannot be evaluated: the panel's own request says why
  } finally {
    if (c.warmup > 0) c.warmup -= 1;
    else c.recent = [...c.recent.slice(-3), performance.now() - t0];
    c.since = 0;
  }
  postMessage({ type: 'evaluation', payload: { epoch, k: want.k, threshold: want.threshold, evaluation } });
}

let reportedMemory = 0;
/**
 * Tells the page how much memory the engine holds. A WebAssembly memory only grows, so this is
 * also the peak. Sent as an event, only when it changed.
 * @param {{ memory: WebAssembly.Memory }} exports
 */
function reportMemory(exports) {
  const bytes = exports.memory.buffer.byteLength;
  if (bytes !== reportedMemory) {
    reportedMemory = bytes;
    postMessage({ type: 'memory', payload: { bytes } });
  }
}

/** @param {string} path */
async function fetchBytes(path) {
  const inline = inlined.__mfpFiles?.[path];
  if (inline) return inline;
  const res = await fetch(new URL(path, import.meta.url));
  if (!res.ok) throw Object.assign(new Error(`could not load ${path}: HTTP ${res.status}`), { code: 'load_error' });
  return new Uint8Array(await res.arrayBuffer());
}

/** The data views that change when the data changes. */
function dataViews() {
  const s = current();
  const observed = s.observedMatrix();
  return { observed, view: s.viewShape() };
}

/** The views that change when the model changes. */
function modelViews() {
  const s = current();
  const predicted = s.predictedMatrix();
  const residual = s.residualMatrix();
  const testMask = s.testMask();
  return { predicted, residual, testMask };
}

/** @param {any} obj @returns {Transferable[]} */
function buffers(obj) {
  return Object.values(obj)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => /** @type {ArrayBufferView} */ (v).buffer);
}

/**
 * Each handler returns a payload; typed arrays in its top level are transferred. One handler for
 * each request the engine defines, no more (the type comes from the engine's table through
 * www/protocol.js, and the start-up check below compares with the engine itself).
 * @type {Record<import('./protocol.js').RequestType, (p: any) => any>}
 */
const handlers = {
  /** What the engine has: its algorithms, for the menus and the enabling rules. */
  describe() {
    return { ...Session.describe(), threads: pkg.engineThreads() };
  },
  /** @param {{ source: string, synthetic?: object }} p */
  async loadData(p) {
    modelGen += 1;
    const s = current();
    let summary;
    if (p.source === 'synthetic') {
      summary = s.generate(p.synthetic);
    } else if (p.source === 'movietweetings') {
      const [ratings, movies] = await Promise.all([
        fetchBytes('./data/movietweetings/ratings.dat'),
        fetchBytes('./data/movietweetings/movies.dat'),
      ]);
      summary = s.loadBytes(ratings, undefined, movies);
    } else {
      summary = s.loadBuiltin(p.source);
    }
    const views = dataViews();
    return { summary, ...views, truth: summary.hasTruth ? s.truthMatrix() : null };
  },
  /**
   * Reads a file (a File or Blob, read here so the page's thread never copies it, or bytes) and
   * returns what it found, with the file's bytes handed back (transferred, not copied) for the
   * engine client to keep: they restore the data if the engine is ever restarted.
   * @param {{ file?: Blob, bytes?: Uint8Array, options?: object, titles?: Uint8Array }} p
   */
  async previewFile(p) {
    let last = 0;
    const progress = (/** @type {number} */ f) => {
      if (f - last >= 0.05 || f === 1) {
        last = f;
        postMessage({ type: 'progress', payload: { task: 'parse', fraction: f } });
      }
    };
    const bytes = p.file ? new Uint8Array(await p.file.arrayBuffer()) : /** @type {Uint8Array} */ (p.bytes);
    const preview = current().previewBytes(bytes, p.options, p.titles, progress);
    return p.file ? { preview, bytes } : { preview };
  },
  commitPreview() {
    modelGen += 1;
    const summary = current().commitPreview();
    return { summary, ...dataViews(), truth: null };
  },
  /**
   * A separate test file for the loaded data (no bytes: back to a random test share); the model
   * is dropped. @param {{ bytes?: Uint8Array, options?: object }} p
   */
  setTestFile(p) {
    return { test: current().setTestFile(p.bytes, p.options) };
  },
  /**
   * How the test part is held out of the data ('random', 'onePerUser', 'latest'); the model is
   * dropped. @param {{ holdout: string }} p
   */
  setHoldout(p) {
    current().setHoldout(p.holdout);
    return {};
  },
  /** A titles file for the loaded data (given after the ratings). @param {{ bytes: Uint8Array }} p */
  setTitles(p) {
    return { summary: current().setTitles(p.bytes) };
  },
  /**
   * A features file for the loaded data's users or items (no bytes: takes that side's away).
   * @param {{ side: 'user' | 'item', bytes?: Uint8Array }} p
   */
  setFeatures(p) {
    return current().setFeatures(p.side, p.bytes);
  },
  /** @param {{ user: number, item: number, value: number }} p */
  setRating(p) {
    const s = current();
    const summary = s.setRating(p.user, p.item, p.value);
    const out = { summary, ...dataViews() };
    return s.hasModel() ? { ...out, ...modelViews() } : out;
  },
  /** @param {{ params: object, testFraction: number, early?: { validation: number, patience: number } }} p */
  configure(p) {
    modelGen += 1;
    current().configure(p.params, p.testFraction, p.early);
    return { epoch: 0, ...modelViews() };
  },
  restoreBest() {
    modelGen += 1;
    const epoch = current().restoreBest();
    return { epoch, ...modelViews() };
  },
  /** @param {{ threshold: number | null }} p */
  setThreshold(p) {
    modelGen += 1;
    const s = current();
    const summary = s.setImplicitThreshold(p.threshold ?? undefined);
    return { summary, ...dataViews(), truth: summary.hasTruth ? s.truthMatrix() : null };
  },
  /** @param {{ params: object, grid: object, testFraction: number }} p */
  sweepStart(p) {
    return { points: current().sweepStart(p.params, p.grid, p.testFraction) };
  },
  /** @param {{ index: number }} p */
  sweepPoint(p) {
    return current().sweepPoint(p.index);
  },
  /** A point trained by another engine (the pool). @param {{ point: object }} p */
  sweepRecord(p) {
    current().sweepRecord(p.point);
    return {};
  },
  sweepFronts() {
    return current().sweepFronts();
  },
  /** @param {{ params: object }} p */
  setParams(p) {
    current().setParams(p.params);
    return {};
  },
  /**
   * Trains `epochs` epochs in slices of about 15 ms, yielding between slices so that an
   * `interrupt` (or a new model) stops it within milliseconds, even in the middle of a long
   * epoch; an interrupted epoch resumes exactly where it stopped. With `evaluate`, the model is
   * also evaluated (as the `evaluate` request does) after epochs, within the budget above, each
   * evaluation sent as an `evaluation` message after its epoch's.
   * @param {{ epochs: number, evaluate?: { k: number, threshold: number } | null }} p
   */
  async train(p) {
    const s = current();
    const gen = modelGen;
    interrupted = false;
    const reports = [];
    if (evalCost.gen !== gen) evalCost = { gen, trainMs: 0, epochs: 0, since: 0, recent: [], warmup: EVAL_WARMUP };
    // A model about to take its first step, not yet evaluated: that evaluation is where the
    // chart starts.
    if (p.evaluate && s.epoch() === 0 && !s.inEpoch() && evalCost.warmup === EVAL_WARMUP) evaluateEpoch(s, 0, p.evaluate);
    let sliceStart = performance.now();
    while (reports.length < p.epochs) {
      const t0 = performance.now();
      const r = s.advance(budget);
      const dt = performance.now() - t0;
      evalCost.trainMs += dt;
      // Aim each slice at ~15 ms of work.
      budget = Math.max(256, Math.min(1 << 24, Math.round((budget * 15) / Math.max(dt, 0.25))));
      if (r) {
        reports.push(r);
        postMessage({ type: 'epoch', payload: r });
        if (p.evaluate && !r.diverged) evaluateEpoch(s, r.epoch, p.evaluate);
        if (r.diverged || r.stop) break;
      }
      if (performance.now() - sliceStart > 15 && reports.length < p.epochs) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = performance.now();
        if (interrupted || gen !== modelGen) break;
      }
    }
    // An interrupted run answers at once: the views follow with the page's next refresh, so a
    // request the user makes right after Pause is not queued behind them.
    const views = gen === modelGen && !interrupted ? modelViews() : {};
    return { reports, interrupted, inEpoch: gen === modelGen && s.inEpoch(), ...views };
  },
  /** Fault injection for the recovery tests: "panic" or "oom". @param {{ kind: string }} p */
  simulateFault(p) {
    Session.simulateFault(p.kind);
    return {};
  },
  /** Stops a running `train` at its next slice. */
  interrupt() {
    interrupted = true;
    return {};
  },
  /** @param {{ user: number, item: number }} p */
  explain(p) {
    return current().explain(p.user, p.item);
  },
  /**
   * The map of a table; with `previous` (the coordinates shown before), turned to match them.
   * @param {{ table?: string | null, previous?: { users: number[], items: number[] } } | undefined} p
   */
  embeddings(p) {
    const prev = p?.previous;
    return current().embeddings(p?.table ?? undefined, prev ? Float32Array.from(prev.users) : undefined, prev ? Float32Array.from(prev.items) : undefined);
  },
  /** @param {{ user: number, n: number }} p */
  recommend(p) {
    return current().recommend(p.user, p.n);
  },
  /** @param {{ item: number, n: number, similarity: string }} p */
  similar(p) {
    return current().similarItems(p.item, p.n, p.similarity);
  },
  /** @param {{ items: number[], values: number[], n: number }} p */
  foldIn(p) {
    return current().foldIn(new Uint32Array(p.items), new Float32Array(p.values), p.n);
  },
  /** @param {{ params: object, testFraction: number }} p */
  raceStart(p) {
    return { names: current().raceStart(p.params, p.testFraction) };
  },
  /** Epochs of every racer, or of the racers at the places `entries` lists. @param {{ epochs: number, entries?: number[] }} p */
  raceStep(p) {
    return { laps: current().raceStep(p.epochs, p.entries ? new Uint32Array(p.entries) : undefined) };
  },
  /**
   * The evaluation table, with the epoch of the model it describes (a `train` in progress may
   * have gone on since the request was made) and whether that epoch was partly done.
   * @param {{ k: number, threshold: number }} p
   */
  evaluate(p) {
    const s = current();
    return { ...s.evaluate(p.k, p.threshold), epoch: s.epoch(), inEpoch: s.inEpoch() };
  },
  /**
   * The current model kept as a run: its JSON, the format `mfp train --run-out` writes.
   * @param {{ name?: string, dataName: string, k: number, threshold: number, knobs?: object }} p
   */
  makeRun(p) {
    return { json: current().makeRun(p.name ?? '', p.dataName, p.k, p.threshold, p.knobs ? JSON.stringify(p.knobs) : undefined) };
  },
  /** Two runs (their JSON) compared user by user. @param {{ a: string, b: string, rounds?: number, seed?: number }} p */
  compareRuns(p) {
    return Session.compareRuns(p.a, p.b, p.rounds ?? 2000, p.seed ?? 1);
  },
  /** Two runs' maps, B's turned onto A's. @param {{ a: string, b: string, side: string }} p */
  compareMaps(p) {
    return Session.compareMaps(p.a, p.b, p.side);
  },
  /** The runs of a run file or a file of runs, each as its JSON. @param {{ text: string }} p */
  readRuns(p) {
    return { runs: Session.readRuns(p.text) };
  },
  /** Runs (each its JSON) as one file. @param {{ runs: string[] }} p */
  writeRuns(p) {
    return { text: Session.writeRuns(p.runs) };
  },
  /** @param {{ params: object, folds: number }} p */
  cvStart(p) {
    return { folds: current().cvStart(p.params, p.folds) };
  },
  /** @param {{ fold: number }} p */
  cvFold(p) {
    return current().cvFold(p.fold);
  },
  /** @param {{ setup: object }} p */
  labStart(p) {
    return { names: current().labStart(p.setup) };
  },
  /** Rounds of the policy comparison, or with `ab` of the A/B test. @param {{ rounds: number, ab?: boolean }} p */
  labStep(p) {
    return current().labStep(p.rounds, p.ab ?? false);
  },
  /** @param {{ usersPerRound: number, rounds: number, runs: number, seed: number }} p */
  aaPeeking(p) {
    return current().aaPeeking(p.usersPerRound, p.rounds, p.runs, p.seed);
  },
  /** A t-SNE or UMAP map of the embeddings, started. @param {{ request: object }} p */
  mapStart(p) {
    return current().mapStart(p.request);
  },
  /** The map advanced by up to `steps` steps, with its coordinates. @param {{ steps: number }} p */
  mapStep(p) {
    return current().mapStep(p.steps);
  },
  /** @param {{ config: object }} p */
  labOffPolicy(p) {
    return current().labOffPolicy(p.config);
  },
  views() {
    return current().hasModel() ? modelViews() : {};
  },
  /** @param {{ name: string }} p */
  exportModel(p) {
    return { json: current().exportModel(p.name) };
  },
  /** @param {{ json: string, testFraction: number }} p */
  importModel(p) {
    modelGen += 1;
    const r = current().importModel(p.json, p.testFraction);
    return { ...r, ...modelViews() };
  },
  /** Opens a run's model on the data it was trained on. @param {{ json: string, testFraction: number }} p */
  openRun(p) {
    modelGen += 1;
    const r = current().openRun(p.json, p.testFraction);
    return { ...r, ...modelViews() };
  },
  /**
   * Opens a Spark ALSModel folder (its files, paths inside it) on the loaded data: the
   * metadata's rank, each factor table's Parquet parts read, then the engine's import.
   * @param {{ files: import('./spark-folder.js').FolderFile[], implicit?: boolean, testFraction: number }} p
   */
  async importSpark(p) {
    const parts = sparkParts(p.files);
    const meta = Session.sparkMetadata(new TextDecoder().decode(parts.metadata.bytes), parts.metadata.path);
    const reader = await parquetReader();
    const side = (/** @type {import('./spark-folder.js').FolderFile[]} */ files) => {
      const read = files.map((f) => {
        try {
          return reader.readFactors(new Uint8Array(f.bytes), meta.rank);
        } catch (err) {
          throw Object.assign(new Error(`${f.path}: ${String(/** @type {any} */ (err)?.message ?? err)}`), { code: 'bad_file' });
        }
      });
      const n = read.reduce((t, r) => t + r.ids.length, 0);
      const ids = new Int32Array(n);
      const values = new Float32Array(n * meta.rank);
      let at = 0;
      for (const r of read) {
        ids.set(r.ids, at);
        values.set(r.values, at * meta.rank);
        at += r.ids.length;
      }
      return { ids, values };
    };
    const users = side(parts.users);
    const items = side(parts.items);
    const s = current();
    const r = s.importSpark(meta.rank, users.ids, users.values, items.ids, items.values, parts.userMap, parts.itemMap, p.implicit, p.testFraction);
    modelGen += 1;
    return { ...r, ...modelViews() };
  },
  /** @param {{ tool: string, k: number, origin: string }} p */
  exportCode(p) {
    return current().exportCode(p.tool, p.k, p.origin);
  },
  exportProjector() {
    return current().projector();
  },
  exportPredictions() {
    return { csv: current().predictionsCsv() };
  },
  /** @param {{ n: number }} p */
  exportRecommendations(p) {
    return { csv: current().recommendationsCsv(p.n) };
  },
  exportRatings() {
    return { csv: current().ratingsCsv() };
  },
  randomSeed() {
    return Session.randomSeed();
  },
};

/**
 * The engine's table of requests and their effects (src/session/protocol.rs), checked against
 * the handlers above: each request the engine defines has exactly one handler here, and each
 * handler answers a request the engine defines. A mismatch fails every request, saying which.
 */
const protocol = ready.then(() => {
  const effects = new Map(/** @type {{ name: string, effect: string }[]} */ (Session.protocol()).map((r) => [r.name, r.effect]));
  const unhandled = [...effects.keys()].filter((n) => !(n in handlers));
  const undefinedHere = Object.keys(handlers).filter((n) => !effects.has(n));
  if (unhandled.length || undefinedHere.length) {
    throw Object.assign(new Error(`the worker and the engine disagree on the requests: no handler for ${unhandled.join(', ') || 'none'}; not in the engine's protocol: ${undefinedHere.join(', ') || 'none'}`), { code: 'internal' });
  }
  return effects;
});

self.onmessage = async (ev) => {
  const { id, type, payload } = ev.data;
  try {
    const effects = await protocol;
    if (broken) throw Object.assign(new Error('the engine has stopped; it is being restarted'), { code: 'panic' });
    const effect = effects.get(type);
    if (!effect) throw Object.assign(new Error(`unknown request "${type}"`), { code: 'bad_request' });
    const result = await /** @type {any} */ (handlers)[type](payload ?? {});
    /** @type {any} */ (self).postMessage({ id, ok: true, payload: result, effect }, result && typeof result === "object" ? buffers(result) : []);
    reportMemory(await ready);
  } catch (err) {
    // Structured cloning drops an Error's extra properties: flatten to { code, message }.
    const e = /** @type {any} */ (err);
    if (e instanceof WebAssembly.RuntimeError) {
      // A panic or an allocation failure aborts the module: this engine is done. The page
      // starts a new worker and replays its state into it (engine-client.js).
      const first = !broken;
      broken = true;
      const error = { code: 'panic', message: await describeTrap(e) };
      // The event reaches the page even when the request was not its own.
      if (first) postMessage({ type: 'fault', payload: error });
      postMessage({ id, ok: false, error });
      return;
    }
    const code = e && typeof e.code === 'string' ? e.code : 'internal';
    postMessage({ id, ok: false, error: { code, message: String(e && e.message ? e.message : e) } });
  }
};
