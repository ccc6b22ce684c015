// Trains a fresh engine Session (the wasm build) on a ratings file and reports the epochs'
// update time and final test RMSE. Shared by bench/wasm_native.mjs in Node and in Chromium.

/**
 * @param {any} Session the wasm-bindgen class
 * @param {Uint8Array} bytes a ratings file
 * @param {{ nEpochs: number }} params the engine's TrainParams
 */
export function trainSession(Session, bytes, params) {
  const s = new Session();
  try {
    const summary = s.loadBytes(bytes, {}, undefined);
    s.configure(params, 0.2, null);
    const reports = s.trainEpochs(params.nEpochs);
    const millis = reports.reduce((/** @type {number} */ t, /** @type {any} */ r) => t + r.millis, 0);
    return { seconds: millis / 1000, testRmse: reports[reports.length - 1].testRmse, nRatings: summary.nRatings };
  } finally {
    s.free();
  }
}
