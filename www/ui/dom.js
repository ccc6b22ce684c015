// A tiny element builder. Text always goes in through textContent, never innerHTML, so text
// from a user's file can never become markup.

import { Text } from '../i18n.js';

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs] `class`, `text`, `on<Event>` handlers, `dataset`, or attributes
 * @param {(Node | string | Text | null | undefined)[]} [children] translated text becomes a span
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  /** @type {Record<string, { k: string, p?: Record<string, any> }>} */
  const translated = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (v instanceof Text) {
      // Remember the key, so the text can follow a change of language (i18n.js, relabel).
      if (k === 'text') el.dataset.i18n = JSON.stringify({ k: v.key, p: v.params });
      else translated[k] = { k: v.key, p: v.params };
    }
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  if (Object.keys(translated).length) el.dataset.i18nAttrs = JSON.stringify(translated);
  for (const c of children) {
    if (c === null || c === undefined) continue;
    if (c instanceof Text) {
      el.append(h('span', { text: c }));
      continue;
    }
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * Sets an element's text only when it differs: writing even the same text makes the browser lay
 * out the page again, and the widget's state is rendered on every change of it (each progress
 * report of a file being read, each epoch), most of which leave most texts as they were.
 * @param {Node} el @param {string} text
 */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Replaces `el`'s children with `make(text, j)` for each of `texts`, only when the texts they
 * show differ (a legend redrawn every epoch or every frame of a glide stays as it is).
 * @param {Element} el @param {string[]} texts @param {(text: string, j: number) => Node} make
 */
export function setChildren(el, texts, make) {
  const now = el.children;
  if (now.length === texts.length && texts.every((text, j) => now[j].textContent === text)) return;
  el.replaceChildren(...texts.map(make));
}

/**
 * Makes `el` take a dropped file: marked (`mfp-dragging`) while a file is held over it, and
 * `onFile` called with the first file dropped.
 * @param {HTMLElement} el @param {(file: File) => void} onFile
 */
export function dropTarget(el, onFile) {
  el.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    el.classList.add('mfp-dragging');
  });
  el.addEventListener('dragleave', () => el.classList.remove('mfp-dragging'));
  el.addEventListener('drop', (ev) => {
    ev.preventDefault();
    el.classList.remove('mfp-dragging');
    const f = ev.dataTransfer?.files?.[0];
    if (f) onFile(f);
  });
}

let uid = 0;
/** A document-unique id with a prefix, so two widgets on one page never share ids. */
export function uniqueId(prefix = 'mfp') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A legend entry: text after a square of `color` (style.css draws it from --mfp-swatch).
 * @param {string} text @param {string} color
 * @param {'span' | 'li'} [tag] @param {Record<string, any>} [attrs] more attributes
 */
export function swatch(text, color, tag = 'span', attrs = {}) {
  const el = h(tag, { ...attrs, class: 'mfp-swatch', text });
  el.style.setProperty('--mfp-swatch', color);
  return el;
}
