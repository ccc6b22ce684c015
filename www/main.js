// Page entry: read the knobs from the URL hash, mount the widget, keep the hash in step.

import { knobsFromHash, knobsToHash } from './state.js';
import { mount } from './widget.js';

const root = /** @type {HTMLElement} */ (document.getElementById('playground'));
const widget = mount(root, {
  knobs: knobsFromHash(location.hash),
  onKnobs(knobs) {
    history.replaceState(null, '', `${location.pathname}${location.search}${knobsToHash(knobs)}`);
  },
});

window.addEventListener('hashchange', () => widget.setState(knobsFromHash(location.hash)));
