// Interface text in English and Chinese. The English text is its own key: t('Train') is
// "Train" in English and "训练" in Chinese; `{name}` placeholders take values from `params`.
// Text set through dom.js's h() remembers its key, so relabel() can switch a widget's language
// in place, model and all; text a panel computes (status lines, summaries) follows on its next
// update. Messages from the engine keep the engine's English words; their position (line and
// column) is given in the page's language (engineMessage).

import { ZH } from './i18n-zh.js';

/** @type {'en' | 'zh'} */
let current = 'en';

/** The languages, by their code in the link (`lang=`). */
export const LANGUAGES = /** @type {const} */ (['en', 'zh']);

/** @param {'en' | 'zh'} lang */
export function setLanguage(lang) {
  current = lang === 'zh' ? 'zh' : 'en';
}

export function language() {
  return current;
}

/**
 * Text that knows its key: h() records the key on the element, so relabel() can translate it
 * again. Used wherever a string is expected (it converts to the translated text).
 */
export class Text {
  /** @param {string} key @param {Record<string, any>} [params] */
  constructor(key, params) {
    this.key = key;
    this.params = params;
  }

  toString() {
    return translate(this.key, this.params);
  }
}

/**
 * The text `key` in the current language, with `{name}` placeholders filled from `params`.
 * @param {string} key the English text
 * @param {Record<string, any>} [params]
 */
export function translate(key, params) {
  const s = current === 'zh' ? (ZH[key] ?? key) : key;
  return params ? s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : s;
}

/**
 * Translatable text for h() (attributes `text`, `title`, `aria-label`, `placeholder`).
 * @param {string} key @param {Record<string, any>} [params]
 */
export function t(key, params) {
  return new Text(key, params);
}

/** Translates again every element under `root` whose text came from t(). @param {ParentNode} root */
export function relabel(root) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n], [data-i18n-attrs]'))) {
    if (el.dataset.i18n) {
      const { k, p } = JSON.parse(el.dataset.i18n);
      el.textContent = translate(k, p);
    }
    if (el.dataset.i18nAttrs) {
      for (const [attr, { k, p }] of Object.entries(JSON.parse(el.dataset.i18nAttrs))) el.setAttribute(attr, translate(k, p));
    }
  }
}

/**
 * What an error (an engine error, or any thrown value) says, in the page's language.
 * @param {unknown} err
 */
export function errorMessage(err) {
  return engineMessage(String(/** @type {any} */ (err)?.message ?? err));
}

/**
 * A message from the engine for the current language: the position in the file ("line 3,
 * column 2: ...") is translated; the engine's own words stay as it wrote them.
 * @param {string} message
 */
export function engineMessage(message) {
  if (current !== 'zh') return message;
  return message.replace(/^line (\d+), column (\d+): /, (_, line, column) => `第 ${line} 行第 ${column} 列：`);
}
