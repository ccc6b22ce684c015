// Recommendations for a chosen user (top-N, what they rated, why), and "add yourself": rate a
// few items and get recommendations at once by folding a new user into the trained model.

import { h } from '../ui/dom.js';
import { createItemSearch } from '../ui/item-search.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';

/** Items offered for "add yourself". */
const ADD_ITEMS = 8;
/** Above this many users the picker is a text box for a user id: a menu of thousands of
 * options is slow to build and no quicker to use. */
const MENU_USERS = 300;

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'foldIn' | 'recommend'>} engine the requests it makes
 * @param {{ onExplain: (user: number, item: number) => void }} hooks
 */
export function createRecommendPanel(engine, hooks) {
  const user = h('select', { class: 'mfp-rec-user', 'aria-label': t('User') });
  const userId = h('input', {
    type: 'text', class: 'mfp-rec-user-id', hidden: true, autocomplete: 'off', spellcheck: 'false',
    'aria-label': t('User id'), placeholder: t('user id'),
  });
  const userMsg = h('span', { class: 'mfp-note mfp-rec-user-msg', role: 'status' });
  /** Users by id, for the id box: built when first looked up (not in the task that loads the
   * data, which has enough to do). @type {Map<string, number> | null} */
  let idIndex = null;
  const byId = () => (idIndex ??= new Map(summary.userIds.map((/** @type {string} */ id, /** @type {number} */ u) => [id, u])));
  /** The chosen user's index, or -1 when the text box names no user. */
  const chosen = () => (userId.hidden ? Number(user.value || 0) : byId().get(userId.value.trim()) ?? -1);
  const list = h('ol', { class: 'mfp-rec-list', 'aria-live': 'polite' });
  const rated = h('p', { class: 'mfp-note mfp-rec-rated' });
  const addRows = h('div', { class: 'mfp-add-rows' });
  // Any item can be rated: found by its title (or id) as the learner types.
  const addSearch = createItemSearch({
    classes: { input: 'mfp-add-search', list: 'mfp-add-found', pick: 'mfp-add-pick' },
    placeholder: t('Find an item to rate'),
    find: (q, limit) => {
      if (!summary) return null;
      const shown = new Set([...addRows.querySelectorAll('select')].map((el) => Number(/** @type {HTMLElement} */ (el).dataset.item)));
      const hits = [];
      for (let i = 0; i < summary.nItems && hits.length < limit; i++) {
        if (!shown.has(i) && summary.itemLabels[i].toLowerCase().includes(q)) hits.push({ label: summary.itemLabels[i], value: i });
      }
      return hits;
    },
    onPick: (i) => {
      const row = addRow(i);
      addRows.prepend(row);
      /** @type {HTMLSelectElement} */ (row.querySelector('select')).focus();
    },
  });
  const addBtn = h('button', { type: 'button', class: 'mfp-btn mfp-add-go', text: t('Recommend for me') });
  const addOut = h('ol', { class: 'mfp-add-list', 'aria-live': 'polite' });
  const addMsg = h('p', { class: 'mfp-note mfp-add-msg' });
  const element = h('div', { class: 'mfp-recommend' }, [
    h('label', { class: 'mfp-rec-pick' }, [t('Top {n} for user', { n: 5 }), ' ', user, userId, ' ', userMsg]),
    list,
    rated,
    h('h4', { text: t('Add yourself') }),
    h('p', { class: 'mfp-note', text: t('Rate a few items; the model places you among the users without retraining (fold-in).') }),
    ...addSearch.elements,
    addRows,
    addBtn,
    addMsg,
    addOut,
  ]);
  /** @type {any} */
  let summary = null;
  user.addEventListener('change', () => refresh(summary));
  userId.addEventListener('change', () => refresh(summary));

  addBtn.addEventListener('click', async () => {
    const items = [];
    const values = [];
    for (const sel of addRows.querySelectorAll('select')) {
      if (sel.value !== '') {
        items.push(Number(sel.dataset.item));
        values.push(Number(sel.value));
      }
    }
    if (!items.length) {
      addMsg.textContent = tr('Rate at least one item first.');
      return;
    }
    try {
      const recs = await engine.foldIn({ items, values, n: 5 });
      addMsg.textContent = tr(items.length > 1 ? 'From your {n} ratings:' : 'From your {n} rating:', { n: items.length });
      addOut.replaceChildren(...recs.map((/** @type {any} */ r) => h('li', { text: `${summary.itemLabels[r.item]} (${r.value.toFixed(2)})` })));
      addOut.dataset.added = String(recs.length);
    } catch (err) {
      addMsg.textContent = String(/** @type {any} */ (err).message ?? err);
    }
  });

  /** The rating choices of the loaded data's scale. */
  let scaleValues = /** @type {number[]} */ ([]);
  /** A row to rate item `i`. @param {number} i */
  function addRow(i) {
    return h('label', { class: 'mfp-add-row' }, [
      h('span', { text: summary.itemLabels[i] }),
      h('select', { dataset: { item: String(i) }, 'aria-label': tr('Your rating of {item}', { item: summary.itemLabels[i] }) }, [
        h('option', { value: '', text: '–' }),
        ...scaleValues.map((v) => h('option', { value: v, text: String(v) })),
      ]),
    ]);
  }
  /** @param {any} s */
  function setData(s) {
    summary = s;
    const menu = s.nUsers <= MENU_USERS;
    user.hidden = !menu;
    userId.hidden = menu;
    userMsg.textContent = '';
    user.replaceChildren(...(menu ? Array.from({ length: s.nUsers }, (_, u) => h('option', { value: u, text: s.userIds[u] })) : []));
    idIndex = null;
    userId.value = menu ? '' : s.userIds[0] ?? '';
    scaleValues = s.feedback === 'implicit' ? [0, 1] : starValues(s.scale.min, s.scale.max);
    addRows.replaceChildren(...Array.from({ length: Math.min(ADD_ITEMS, s.nItems) }, (_, i) => addRow(i)));
    addSearch.clear();
    addOut.replaceChildren();
    delete addOut.dataset.added;
    addMsg.textContent = '';
  }

  let ticket = 0;
  /** @param {any} s */
  async function refresh(s) {
    if (!s) return;
    const mine = ++ticket;
    const u = chosen();
    if (u < 0) {
      userMsg.textContent = tr('No user has the id “{id}”.', { id: userId.value.trim() });
      list.replaceChildren();
      rated.textContent = '';
      return;
    }
    userMsg.textContent = '';
    let r;
    try {
      r = await engine.recommend({ user: u, n: 5 });
    } catch {
      return;
    }
    if (mine !== ticket) return;
    list.replaceChildren(...r.items.map((/** @type {any} */ x) => {
      const why = h('button', { type: 'button', class: 'mfp-link', text: t('why?') });
      why.addEventListener('click', () => hooks.onExplain(u, x.item));
      return h('li', { dataset: { item: String(x.item) } }, [`${s.itemLabels[x.item]} — ${x.value.toFixed(2)} `, why]);
    }));
    if (!r.items.length) list.replaceChildren(h('li', { text: t('Nothing left to recommend: this user rated every item.') }));
    const shown = r.rated.slice(0, 6).map((/** @type {any} */ x) => `${s.itemLabels[x.item]} (${+x.value.toFixed(2)})`);
    rated.textContent = tr('Rated {n}: {items}', { n: r.rated.length, items: `${shown.join(', ')}${r.rated.length > 6 ? ', …' : ''}` });
  }

  return {
    element,
    setData,
    refresh,
    /** @param {number} u */
    selectUser(u) {
      if (userId.hidden) user.value = String(u);
      else userId.value = summary?.userIds[u] ?? '';
      refresh(summary);
    },
  };
}

/** Whole steps across a rating scale (at most 11 choices). @param {number} lo @param {number} hi */
function starValues(lo, hi) {
  const step = Math.max(1, Math.round((hi - lo) / 10));
  const out = [];
  for (let v = Math.ceil(lo); v <= hi; v += step) out.push(v);
  return out;
}
