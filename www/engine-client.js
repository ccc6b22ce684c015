// Main-thread side of the worker protocol.
//
// Request  { id, type, payload }   ->   reply { id, ok: true, payload } | { id, ok: false, error }
// Events   { type, payload } (no id), e.g. one `epoch` event per trained epoch.
// The main thread never imports the wasm package: the worker owns it.

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
 * @param {URL} workerUrl
 * @returns {{
 *   request: (type: string, payload?: any, transfer?: Transferable[]) => Promise<any>,
 *   onEvent: (fn: (type: string, payload: any) => void) => () => void,
 *   restart: () => void,
 *   destroy: () => void,
 * }}
 */
export function createEngineClient(workerUrl) {
  /** @type {Worker} */
  let worker;
  let nextId = 1;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: any) => void }>} */
  const pending = new Map();
  /** @type {Set<(type: string, payload: any) => void>} */
  const listeners = new Set();

  function failAll(code, message) {
    for (const { reject } of pending.values()) reject(new EngineRequestError({ code, message }));
    pending.clear();
  }

  function spawn() {
    worker = new Worker(workerUrl, { type: 'module' });
    worker.onmessage = (ev) => {
      const msg = ev.data;
      if (msg.id === undefined) {
        for (const fn of listeners) fn(msg.type, msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.payload);
      else p.reject(new EngineRequestError(msg.error));
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      failAll('worker_error', `the engine stopped: ${ev.message || 'worker error'}`);
      for (const fn of listeners) fn('fault', { code: 'worker_error', message: ev.message || 'worker error' });
    };
  }

  spawn();

  return {
    request(type, payload = {}, transfer = []) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type, payload }, transfer);
      });
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    restart() {
      worker.terminate();
      failAll('cancelled', 'the engine was restarted');
      spawn();
    },
    destroy() {
      worker.terminate();
      failAll('cancelled', 'the widget was destroyed');
      listeners.clear();
    },
  };
}
