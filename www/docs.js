// The third widget of docs.html: mount() from JavaScript, with its events logged on the page.

import { mount } from './element.js';

const root = /** @type {HTMLElement} */ (document.getElementById('third'));
const log = /** @type {HTMLElement} */ (document.getElementById('log'));
mount(root, { knobs: { dataset: 'movietweetings', panels: 'recommend,loss', nEpochs: 20 }, compact: true });
root.addEventListener('mfp:trained', (e) => {
  const d = /** @type {CustomEvent} */ (e).detail;
  log.textContent = `The third widget trained ${d.epoch} epochs (train RMSE ${d.report?.rmse?.toFixed(4) ?? '–'}).`;
});
