// The iframe embed: www/embed.html#data=synthetic&panels=loss,embeddings&compact=1&controls=k,lr
// Every key of the page's link works here; `compact=1` and `controls=` as for <mf-playground>.
// Progress reaches the host page as messages: { source: 'mf-playground', type, detail } with
// type epoch, trained or error (numbers only, never data).

import { knobNames, knobsFromHash } from './state.js';
import { mount } from './widget.js';

const root = /** @type {HTMLElement} */ (document.getElementById('playground'));
const params = new URLSearchParams(location.hash.replace(/^#/, ''));
const controls = params.has('controls') ? knobNames(params.get('controls') ?? '') : undefined;
const widget = mount(root, { knobs: knobsFromHash(location.hash), compact: params.get('compact') === '1', controls });
window.addEventListener('hashchange', () => widget.setState(knobsFromHash(location.hash)));
for (const type of ['epoch', 'trained', 'error']) {
  root.addEventListener(`mfp:${type}`, (ev) => {
    if (window.parent !== window) window.parent.postMessage({ source: 'mf-playground', type, detail: /** @type {CustomEvent} */ (ev).detail }, '*');
  });
}
