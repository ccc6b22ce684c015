// The engine worker: loads the wasm package, answers requests, streams one event per epoch.
// Resolved from this module's own URL, so the widget works under any sub-path.

import init, { Session } from './pkg/mf_playground.js';

const ready = init({ module_or_path: new URL('./pkg/mf_playground_bg.wasm', import.meta.url) });

/** @type {Session | null} */
let session = null;

function current() {
  if (!session) session = new Session();
  return session;
}

/** Each handler returns [payload, transferList]. */
const handlers = {
  /** @param {{ name: string }} p */
  loadBuiltin(p) {
    const s = current();
    const summary = s.loadBuiltin(p.name);
    const observed = s.observedMatrix();
    return [{ summary, observed }, [observed.buffer]];
  },
  /** @param {{ params: object }} p */
  configure(p) {
    const s = current();
    s.configure(p.params);
    const predicted = s.predictedMatrix();
    return [{ epoch: s.epoch(), predicted }, [predicted.buffer]];
  },
  /** @param {{ params: object }} p */
  setParams(p) {
    current().setParams(p.params);
    return [{}, []];
  },
  /** @param {{ epochs: number }} p */
  train(p) {
    const s = current();
    const reports = [];
    for (let k = 0; k < p.epochs; k++) {
      const [r] = s.trainEpochs(1);
      reports.push(r);
      postMessage({ type: 'epoch', payload: r });
      if (r.diverged) break;
    }
    const predicted = s.predictedMatrix();
    return [{ reports, predicted }, [predicted.buffer]];
  },
  /** @param {{ user: number, item: number }} p */
  explain(p) {
    return [current().explain(p.user, p.item), []];
  },
  randomSeed() {
    return [Session.randomSeed(), []];
  },
};

self.onmessage = async (ev) => {
  const { id, type, payload } = ev.data;
  try {
    await ready;
    const handler = handlers[type];
    if (!handler) throw Object.assign(new Error(`unknown request "${type}"`), { code: 'bad_request' });
    const [result, transfer] = handler(payload ?? {});
    postMessage({ id, ok: true, payload: result }, transfer);
  } catch (err) {
    // Structured cloning drops an Error's extra properties: flatten to { code, message }.
    const e = /** @type {any} */ (err);
    const code = e && typeof e.code === 'string' ? e.code : e instanceof WebAssembly.RuntimeError ? 'panic' : 'internal';
    postMessage({ id, ok: false, error: { code, message: String(e && e.message ? e.message : e) } });
  }
};
