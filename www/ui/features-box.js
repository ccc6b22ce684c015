// The users' and the items' features (genres, tags, age, occupation): a file picked, dropped on
// its row or pasted, read by the engine for the data loaded, with what it read or where the file
// is wrong. The hybrid model uses them; the other models ignore them.

import { dropTarget, h, uniqueId } from './dom.js';
import { errorMessage, t, translate as tr } from '../i18n.js';

/** @typedef {'item' | 'user'} Side */

/**
 * @param {{
 *   setFeatures: (side: Side, bytes: Uint8Array | null) => Promise<any | null>,
 * }} opts setFeatures reads a file for the data loaded (null bytes: takes the side's away); null
 *   when no data is loaded
 */
export function createFeaturesBox(opts) {
  const status = h('p', { class: 'mfp-features-status', role: 'status' });
  const error = h('p', { class: 'mfp-features-error', role: 'alert', hidden: true });
  const previewBox = h('div', { class: 'mfp-features-preview', hidden: true });
  /** @type {Record<Side, ReturnType<typeof row>>} */
  const rows = { item: row('item'), user: row('user') };
  const paste = h('textarea', {
    class: 'mfp-paste mfp-features-paste', rows: 3,
    placeholder: t('or paste features, e.g.\nHeat,Action|Crime\nAlien,Horror|Sci-Fi'),
    'aria-label': t('Paste features'),
  });
  const pasteItems = h('button', { type: 'button', class: 'mfp-btn mfp-features-paste-item', text: t('Pasted text as item features') });
  const pasteUsers = h('button', { type: 'button', class: 'mfp-btn mfp-features-paste-user', text: t('Pasted text as user features') });
  for (const [btn, side] of /** @type {const} */ ([[pasteItems, 'item'], [pasteUsers, 'user']])) {
    btn.addEventListener('click', () => {
      if (!paste.value.trim()) {
        showError(tr('Paste some features first.'));
        return;
      }
      read(side, new TextEncoder().encode(paste.value), tr('pasted text'));
    });
  }
  const element = h('div', { class: 'mfp-features' }, [
    h('p', {}, [
      h('strong', { text: t('Features') }), ' ',
      h('span', { class: 'mfp-note', text: t('what users and items are beyond their ids, for the hybrid model (it places users and items with few or no ratings by them). Drop a file on its line, choose one or paste: "id,feature|feature" per line, or one column per attribute with a header; MovieLens u.item, movies.dat, u.user and users.dat as they are.') }),
    ]),
    rows.item.element,
    rows.user.element,
    h('div', { class: 'mfp-paste-row' }, [paste, h('div', { class: 'mfp-actions' }, [pasteItems, pasteUsers])]),
    status,
    error,
    previewBox,
  ]);

  /** One side's row: the picker, the drop target, what it has, and Remove. @param {Side} side */
  function row(side) {
    const id = uniqueId(`mfp-${side}-features`);
    const input = h('input', { id, type: 'file', class: `mfp-${side}-features-file`, accept: '.csv,.tsv,.txt,.dat,.item,.user,text/*' });
    const have = h('span', { class: `mfp-note mfp-${side}-features-have`, text: t('none') });
    const remove = h('button', { type: 'button', class: `mfp-btn mfp-${side}-features-remove`, text: t('Remove'), hidden: true });
    const label = side === 'item' ? t('Item features file') : t('User features file');
    const element = h('div', { class: `mfp-features-row mfp-${side}-features` }, [
      h('label', { for: id, class: 'mfp-file-label', text: label }), input, ': ', have, ' ', remove,
    ]);
    const readFile = async (/** @type {File} */ f) => read(side, new Uint8Array(await f.arrayBuffer()), f.name);
    input.addEventListener('change', () => {
      const f = input.files?.[0];
      input.value = '';
      if (f) readFile(f);
    });
    dropTarget(element, readFile);
    remove.addEventListener('click', async () => {
      error.hidden = true;
      previewBox.hidden = true;
      await opts.setFeatures(side, null);
      status.textContent = side === 'item' ? tr('The items have no features now.') : tr('The users have no features now.');
    });
    return { element, have, remove };
  }

  /** @param {string} message */
  function showError(message) {
    error.hidden = false;
    error.textContent = message;
  }

  /** @param {Side} side @param {Uint8Array} bytes @param {string} name */
  async function read(side, bytes, name) {
    error.hidden = true;
    previewBox.hidden = true;
    status.textContent = tr('Reading {name}…', { name });
    try {
      const r = await opts.setFeatures(side, bytes);
      status.textContent = '';
      if (!r) {
        showError(tr('Load the ratings first: features belong to the users and items of the data loaded.'));
        return;
      }
      showRead(side, r, name);
    } catch (err) {
      status.textContent = '';
      const e = /** @type {any} */ (err);
      showError(tr('{name}: {message}. The features loaded before are unchanged.', { name, message: errorMessage(e) }));
    }
  }

  /** What the engine read: the format, the columns, a few rows. @param {Side} side @param {any} r @param {string} name */
  function showRead(side, r, name) {
    const s = r.summary.features[side];
    const whose = side === 'item' ? tr('items') : tr('users');
    const columns = r.columns.map((/** @type {any} */ c) => tr('{name} ({kind}, {n})', { name: c.name, kind: tr(c.kind), n: c.distinct })).join(', ');
    status.textContent = tr('{name}, read as {format}: {rows} {whose} have features, {n} distinct. Columns: {columns}.', {
      name, format: r.format, rows: s.rowsWith.toLocaleString('en'), whose, n: s.nFeatures.toLocaleString('en'), columns,
    }) + (r.unmatched ? ' ' + tr('{n} lines of ids the data does not have were skipped.', { n: r.unmatched }) : '');
    const table = h('table', { class: 'mfp-preview-table' }, [
      h('tr', {}, [h('th', { text: side === 'item' ? t('item') : t('user') }), h('th', { text: t('features') })]),
      ...r.preview.map((/** @type {[string, string[]]} */ [id, names]) => h('tr', {}, [h('td', { text: id }), h('td', { text: names.join(', ') })])),
    ]);
    previewBox.replaceChildren(h('div', { class: 'mfp-preview-scroll' }, [table]));
    previewBox.hidden = false;
  }

  return {
    element,
    /** Shows what the data loaded has. @param {any} summary */
    render(summary) {
      for (const side of /** @type {Side[]} */ (['item', 'user'])) {
        const s = summary?.features?.[side];
        const { have, remove } = rows[side];
        remove.hidden = !s;
        have.textContent = s
          ? tr('{rows} with features, {n} distinct: {top}', {
            rows: s.rowsWith.toLocaleString('en'), n: s.nFeatures.toLocaleString('en'),
            top: s.top.slice(0, 6).map((/** @type {[string, number]} */ [f, c]) => `${f} (${c})`).join(', ') + (s.nFeatures > 6 ? ', …' : ''),
          })
          : tr('none');
      }
    },
  };
}
