// A search box for items by title: as the learner types (two characters or more), up to 8
// matches as buttons; a note when nothing matches. Picking one clears the box. Used to rate an
// item ("Add yourself") and to find one on the embeddings map.

import { h } from './dom.js';
import { translate as tr } from '../i18n.js';

/**
 * @template T
 * @param {{
 *   classes: { input: string, list: string, pick: string },
 *   placeholder: import('../i18n.js').Text,
 *   find: (q: string, limit: number) => { label: string, value: T }[] | null,
 *   none?: (typed: string) => string,
 *   onPick: (value: T) => void,
 * }} o `find`: the matches of a lower-case query, or null when there is nothing to search yet
 *   (the box stays quiet); `none`: what to say when nothing matches
 */
export function createItemSearch(o) {
  const input = h('input', { type: 'search', class: o.classes.input, placeholder: o.placeholder, 'aria-label': o.placeholder });
  const list = h('ul', { class: o.classes.list });
  const clear = () => {
    input.value = '';
    list.replaceChildren();
  };
  input.addEventListener('input', () => {
    const q = input.value.trim().toLowerCase();
    const hits = q.length < 2 ? null : o.find(q, 8);
    if (!hits) {
      list.replaceChildren();
      return;
    }
    list.replaceChildren(...(hits.length
      ? hits.map((hit) => h('li', {}, [h('button', {
        type: 'button', class: `mfp-btn ${o.classes.pick}`, text: hit.label,
        onclick: () => {
          clear();
          o.onPick(hit.value);
        },
      })]))
      : [h('li', { class: 'mfp-note', text: o.none?.(input.value.trim()) ?? tr('No item matches “{q}”.', { q: input.value.trim() }) })]));
  });
  return { elements: [input, list], clear };
}
