// See offline.js: the engine worker from the source the single-file build put in the page.

const source = document.getElementById('mfp-worker-source')?.textContent ?? '';
if (source) {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  /** @type {any} */ (globalThis).__mfpCreateWorker = () => new Worker(url);
}
