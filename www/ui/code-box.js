// The current model's knobs as code for the tools people move on to (Spark MLlib's ALS, the
// implicit package, Surprise): the engine writes the script and the split it reads; this shows
// it, copies it and downloads it with its data. Which tool has which algorithm is the engine's
// to say: a tool without it answers with the reason.

import { download } from '../charts/svg.js';
import { h } from './dom.js';
import { t, translate as tr } from '../i18n.js';

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'exportCode'>} engine
 */
export function createCodeBox(engine) {
  const tool = h('select', { class: 'mfp-code-tool', 'aria-label': t('Tool') });
  const show = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-code-show', text: t('Show the code') });
  const copy = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-code-copy', text: t('Copy'), disabled: true });
  const save = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-code-download', text: t('Download it with its data'), disabled: true });
  const note = h('p', { class: 'mfp-note mfp-code-note', role: 'status', 'aria-live': 'polite' });
  const pre = h('pre', { class: 'mfp-code-script', hidden: true, tabindex: 0 });
  /** The last answer, for Copy and Download. @type {any} */
  let last = null;

  show.addEventListener('click', async () => {
    last = null;
    copy.disabled = save.disabled = true;
    pre.hidden = true;
    note.textContent = '';
    element.dataset.code = 'busy';
    try {
      last = await engine.exportCode({ tool: tool.value, k: 10, origin: `the playground's knobs (${location.href})` });
      pre.textContent = last.script;
      pre.hidden = false;
      copy.disabled = save.disabled = false;
      note.textContent = tr('Run it beside train.csv and test.csv (Download gives them): it trains with these knobs on this split and prints the metrics the playground shows.');
      element.dataset.code = 'shown';
    } catch (err) {
      note.textContent = String(/** @type {any} */ (err).message ?? err);
      element.dataset.code = 'refused';
    }
  });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(last.script);
      note.textContent = tr('Copied.');
    } catch {
      // No clipboard here (an insecure page, say): the text is selected to copy by hand.
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      note.textContent = tr('Selected: press Ctrl+C (⌘C) to copy.');
    }
  });
  save.addEventListener('click', () => {
    const csv = (/** @type {string} */ s) => new Blob([s], { type: 'text/csv' });
    download(new Blob([last.script], { type: 'text/x-python' }), 'job.py');
    download(csv(last.train), 'train.csv');
    download(csv(last.test), 'test.csv');
    if (last.users) download(csv(last.users), 'users.csv');
    if (last.items) download(csv(last.items), 'items.csv');
  });

  const element = h('div', { class: 'mfp-code', dataset: { code: 'idle' } }, [
    h('div', { class: 'mfp-actions' }, [h('span', { text: t('The knobs as code for') }), tool, show, copy, save]),
    note,
    pre,
  ]);
  return {
    element,
    /** The tools the engine writes for (its describe): the menu. @param {{ name: string, label: string }[]} tools */
    setTools(tools) {
      tool.replaceChildren(...tools.map((x) => h('option', { value: x.name, text: x.label })));
    },
  };
}
