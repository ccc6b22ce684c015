// Page entry: read the knobs from the URL hash, mount the widget, keep the hash in step.

import { knobsFromHash, knobsToHash } from './state.js';
import { mount } from './widget.js';

const root = /** @type {HTMLElement} */ (document.getElementById('playground'));
/** Data carried in the link, kept in the hash while the file data set is in use. */
let inline = new URLSearchParams(location.hash.replace(/^#/, '')).get('inline');
const widget = mount(root, {
  knobs: knobsFromHash(location.hash),
  inline,
  onKnobs(knobs) {
    if (knobs.dataset !== 'file') inline = null;
    const hash = knobsToHash(knobs) + (inline ? `&inline=${inline}` : '');
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  },
});

window.addEventListener('hashchange', () => widget.setState(knobsFromHash(location.hash)));
