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
pageLanguage(knobsFromHash(location.hash).lang);
const widget = mount(root, {
  knobs: knobsFromHash(location.hash),
  inline,
  onKnobs(knobs) {
    pageLanguage(knobs.lang);
    if (knobs.dataset !== 'file') inline = null;
    const hash = knobsToHash(knobs) + (inline ? `&inline=${inline}` : '');
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  },
});

window.addEventListener('hashchange', () => widget.setState(knobsFromHash(location.hash)));
