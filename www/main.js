// Page entry: read the knobs from the URL hash, mount the widget, keep the hash in step.

import { knobsFromHash, knobsToHash } from './state.js';
import { mount } from './widget.js';

const root = /** @type {HTMLElement} */ (document.getElementById('playground'));
/** Data carried in the link, kept in the hash while the file data set is in use. */
let inline = new URLSearchParams(location.hash.replace(/^#/, '')).get('inline');
/** The page's own text around the widget follows the widget's language. @param {string} lang */
function pageLanguage(lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-lang]'))) el.hidden = el.dataset.lang !== lang;
}
let language = knobsFromHash(location.hash).lang;
pageLanguage(language);
/** @type {ReturnType<typeof mount> | null} */
let widget = null;
// The widget is built in a task of its own, after the modules have run: one task doing both took
// 50 to 120 ms on a cold load, long enough to hold a click back.
setTimeout(() => {
  widget = mount(root, {
    knobs: knobsFromHash(location.hash),
    inline,
    onKnobs(knobs) {
      // Only what changed: the widget reports the knobs on every change of its state, and
      // history.replaceState is slow enough (tens of ms on a loaded machine) to make a knob's
      // edit a long task.
      if (knobs.lang !== language) pageLanguage((language = knobs.lang));
      if (knobs.dataset !== 'file') inline = null;
      const hash = knobsToHash(knobs) + (inline ? `&inline=${inline}` : '');
      if (hash !== location.hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    },
  });
}, 0);

window.addEventListener('hashchange', () => widget?.setState(knobsFromHash(location.hash)));
