// Main-thread side of the worker protocol.
//
// Request  { id, type, payload }   ->   reply { id, ok: true, payload } | { id, ok: false, error }
// Events   { type, payload } (no id), e.g. one `epoch` event per trained epoch.
// The main thread never imports the wasm package: the worker owns it.
//
// Faults: a panic or an allocation failure aborts the engine (the worker sends a `fault` event
// and answers the request with code `panic`), and an error thrown outside any request ends the worker. Either way the client
// starts a new worker and replays a journal of the requests that made the current state (the
// data, its edits, the model's parameters and the epochs trained), then emits a `restored`
// event. What the journal keeps of a request follows from its effect, which the engine defines
// for every request (src/session/protocol.rs) and the worker sends with each reply. Training is seeded, so the replayed model is the same, epoch for epoch, up to the last
// whole epoch. Requests made meanwhile wait for the replay.

/** @typedef {{ code: string, message: string }} EngineError */

export class EngineRequestError extends Error {
  /** @param {EngineError} e */
  constructor(e) {
    super(e.message);
    this.name = 'MfpError';
    this.code = e.code;
  }
}

/**
 * A request the journal keeps, with its effect on the engine's state (src/session/protocol.rs).
 * @typedef {{ type: string, payload: any, effect: string }} Entry
 */

/** The effects that belong to the model: a new model (or a reshaped data set) drops them. */
const MODEL_EFFECTS = ['model', 'edit-model', 'train'];

/**
 * @param {() => Worker} createWorker starts a new engine worker
 * @returns {{
 *   request: (type: import('./protocol.js').RequestType, payload?: any, transfer?: Transferable[]) => Promise<any>,
 *   onEvent: (fn: (type: string, payload: any) => void) => () => void,
 *   restart: () => void,
 *   destroy: () => void,
 *   dataJournal: () => Entry[],
 * }}
 */
export function createEngineClient(createWorker) {
  /** @type {Worker} */
  let worker;
  let nextId = 1;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: any) => void }>} */
  const pending = new Map();
  /** @type {Set<(type: string, payload: any) => void>} */
  const listeners = new Set();
  /** The requests that made the engine's current state, in order. @type {Entry[]} */
  let journal = [];
  /** A read file waits here until it is committed. @type {Entry | null} */
  let previewed = null;
  /** Set while a new worker is being brought back to the journal's state. @type {Promise<void> | null} */
  let recovering = null;
  let replaying = false;
  let destroyed = false;

  function failAll(code, message) {
    for (const { reject } of pending.values()) reject(new EngineRequestError({ code, message }));
    pending.clear();
  }

  /** @param {string} type @param {any} payload */
  function emit(type, payload) {
    for (const fn of listeners) fn(type, payload);
  }

  function spawn() {
    const w = createWorker();
    worker = w;
    w.onmessage = (ev) => {
      const msg = ev.data;
      if (msg.id === undefined) {
        if (msg.type === 'fault') recover(msg.payload);
        // The replay's own epochs are not news to the page.
        else if (!replaying) emit(msg.type, msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve({ payload: msg.payload, effect: msg.effect });
      else p.reject(new EngineRequestError(msg.error));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      if (w === worker) recover({ code: 'worker_error', message: `the engine stopped: ${ev.message || 'worker error'}` });
    };
  }

  /**
   * Sends one request to the current worker; resolves with its reply and its effect.
   * @param {string} type @param {any} payload @param {Transferable[]} transfer
   * @returns {Promise<{ payload: any, effect: string }>}
   */
  function send(type, payload, transfer = []) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type, payload }, transfer);
    });
  }

  /**
   * Keeps what a successful request did to the engine's state, by its effect.
   * @param {string} type @param {string} effect @param {any} payload @param {any} reply
   */
  function record(type, effect, payload, reply) {
    /** @type {Entry} */
    const entry = { type, payload, effect };
    switch (effect) {
      case 'load':
        journal = [entry];
        break;
      case 'preview':
        // A file read in the worker comes back as its bytes: kept, not the File, whose reading
        // fails once the file on disk changes.
        previewed = { ...entry, payload: reply?.bytes ? { bytes: reply.bytes, options: payload.options, titles: payload.titles } : payload };
        break;
      case 'commit':
        if (previewed) journal = [previewed, entry];
        previewed = null;
        break;
      case 'model':
      case 'reshape':
        // A new model, or data shown otherwise: the previous model's requests no longer matter.
        journal = journal.filter((e) => !MODEL_EFFECTS.includes(e.effect));
        journal.push(entry);
        break;
      case 'edit-data':
      case 'edit-model':
        journal.push(entry);
        break;
      case 'train': {
        const n = reply?.reports?.length ?? 0;
        const last = journal.at(-1);
        if (n && last?.effect === 'train') last.payload = { epochs: last.payload.epochs + n };
        else if (n) journal.push({ ...entry, payload: { epochs: n } });
        break;
      }
      default:
      // 'read', 'study' (a panel starts its study again) and 'fault' leave nothing to replay.
    }
  }

  /**
   * Starts a new worker and replays the journal into it.
   * @param {EngineError} fault
   */
  function recover(fault) {
    if (recovering || destroyed) return recovering;
    worker.terminate();
    failAll(fault.code, fault.message);
    recovering = (async () => {
      spawn();
      replaying = true;
      let epoch = 0;
      let restored = true;
      try {
        for (const e of journal) {
          const { payload: r } = await send(e.type, e.payload);
          // The model's epoch: counted by training, set by a new model or the best one restored.
          if (e.effect === 'train') epoch = r.reports.at(-1)?.epoch ?? epoch;
          else if (MODEL_EFFECTS.includes(e.effect) && typeof r?.epoch === 'number') epoch = r.epoch;
        }
      } catch {
        // The state itself brings the fault back: start empty rather than loop.
        restored = false;
        journal = [];
        worker.terminate();
        failAll('cancelled', 'the engine was restarted');
        spawn();
      } finally {
        replaying = false;
        previewed = null;
      }
      recovering = null;
      const hasModel = journal.some((e) => e.effect === 'model');
      emit('restored', { ...fault, restored, hasModel, epoch });
    })();
    return recovering;
  }

  spawn();

  return {
    async request(type, payload = {}, transfer = []) {
      while (recovering) await recovering;
      try {
        const { payload: reply, effect } = await send(type, payload, transfer);
        record(type, effect, payload, reply);
        return reply;
      } catch (err) {
        if (/** @type {any} */ (err).code === 'panic') recover(/** @type {any} */ (err));
        throw err;
      }
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    restart() {
      worker.terminate();
      failAll('cancelled', 'the engine was restarted');
      journal = [];
      spawn();
    },
    /**
     * The requests that made the current data (loaded, edited, shown as 0/1, its test part), in
     * order: replayed into another engine, it holds the same data (a pool of workers does so).
     */
    dataJournal() {
      return journal.filter((e) => !MODEL_EFFECTS.includes(e.effect));
    },
    destroy() {
      destroyed = true;
      worker.terminate();
      failAll('cancelled', 'the widget was destroyed');
      listeners.clear();
    },
  };
}
