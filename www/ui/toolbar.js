// The toolbar's actions: Train, Pause/Resume, Step, Reset, Share, the Panels menu and the
// language. It reads the store to enable what can be done now, and asks the session to do it.

import { begun } from '../classroom.js';
import { encodeInline, MAX_INLINE_RATINGS, withInline } from '../inline.js';
import { LANGUAGES, t, translate as tr } from '../i18n.js';
import { h, setText } from './dom.js';

/** Every panel, by the name used in the `panels` knob. */
export const PANELS = [
  ['loss', 'Training'], ['observed', 'Observed'], ['predicted', 'Predicted'], ['residual', 'Residual'],
  ['truth', 'Truth'], ['explain', 'Explain'], ['embeddings', 'Embeddings'], ['recommend', 'Recommendations'],
  ['evaluation', 'Evaluation'], ['runs', 'Runs'], ['balance', 'Size vs accuracy'], ['race', 'Optimiser race'], ['lab', 'Exploration lab'],
];

/**
 * @param {{
 *   session: ReturnType<typeof import('../session.js').createSession>,
 *   store: { get: () => any },
 *   setKnob: (name: string, value: any) => void,
 *   shareUrl?: () => string,
 *   root: HTMLElement,
 * }} deps
 */
export function createToolbar({ session, store, setKnob, shareUrl, root }) {
  const btn = (/** @type {string} */ text, /** @type {string} */ cls, /** @type {() => void} */ onclick, /** @type {string} */ title) =>
    h('button', { type: 'button', class: `mfp-btn ${cls}`, text: t(text), title: t(title), onclick });
  const trainBtn = btn('Train', 'mfp-train mfp-primary', () => session.train(), 'Start again from epoch 0 and train for the chosen number of epochs');
  const pauseBtn = btn('Pause', 'mfp-pause', () => (session.isPlaying() ? session.pause() : session.play()), t('Pause or resume training').key);
  const stepBtn = btn('Step', 'mfp-step', () => session.step(), 'Train one more epoch');
  const resetBtn = btn('Reset', 'mfp-reset', () => session.reset(), 'New random initial model, epoch 0');
  const shareMsg = h('span', { class: 'mfp-share-msg', role: 'status' });
  const langSelect = h('select', { class: 'mfp-lang', 'aria-label': t('Language') },
    LANGUAGES.map((l) => h('option', { value: l, text: l === 'zh' ? '中文' : 'English', lang: l === 'zh' ? 'zh-CN' : 'en' })));
  langSelect.addEventListener('change', () => setKnob('lang', langSelect.value));
  const panelChecks = PANELS.map(([name, label]) => {
    const box = h('input', { type: 'checkbox', name: `panel-${name}` });
    box.addEventListener('change', () => {
      const on = PANELS.map(([n]) => n).filter((n) => /** @type {HTMLInputElement} */ (panelsMenu.querySelector(`[name="panel-${n}"]`)).checked);
      setKnob('panels', on.length === PANELS.length ? 'all' : on.join(',') || 'none');
    });
    return h('label', {}, [box, ' ', t(label)]);
  });
  const panelsMenu = h('details', { class: 'mfp-panels-menu' }, [h('summary', { class: 'mfp-btn', text: t('Panels') }), h('div', { class: 'mfp-panels-list' }, panelChecks)]);
  const shareBtn = btn('Share', 'mfp-share', () => share(), 'Copy a link that reproduces this run');

  /** Copies a link that reproduces this run, with the data in it when it is the user's own and small. */
  async function share() {
    let url = shareUrl ? shareUrl() : location.href;
    const s = store.get();
    let note = '';
    if (s.summary && (s.knobs.dataset === 'file' || s.edited)) {
      if (s.summary.nRatings <= MAX_INLINE_RATINGS) {
        const { csv } = await session.api.exportRatings();
        url = withInline(url, await encodeInline(csv));
      } else {
        note = ` ${tr('The data ({n} ratings) is too big for a link: share the file with it.', { n: s.summary.nRatings })}`;
      }
    }
    root.dataset.shareUrl = url;
    try {
      await navigator.clipboard.writeText(url);
      shareMsg.textContent = `${tr('Link copied.')}${note}`;
    } catch {
      shareMsg.textContent = `${url}${note}`;
    }
  }

  /** Enables what can be done in state `s`; shows the language and the panels it names. @param {any} s @param {any} prev */
  function render(s, prev) {
    if (s.knobs.lang !== prev.knobs?.lang) langSelect.value = s.knobs.lang;
    const training = s.status === 'training';
    const loading = s.status === 'loading';
    // Before the model's first update there is nothing to pause or resume: Train starts.
    setText(pauseBtn, tr(training || !begun(s) ? 'Pause' : 'Resume'));
    pauseBtn.disabled = loading || s.diverged || (!training && (!begun(s) || s.epoch >= s.knobs.nEpochs));
    stepBtn.disabled = training || loading || s.diverged || !s.summary;
    trainBtn.disabled = loading || s.invalid !== null || !s.summary;
    if (s.knobs.panels !== prev.knobs?.panels || s.truth !== prev.truth) showPanels(s);
  }

  /** Shows the panels the `panels` knob names (the truth only when there is one). @param {any} s */
  function showPanels(s) {
    const only = s.knobs.panels === 'all' ? null : new Set(s.knobs.panels.split(','));
    for (const [name] of PANELS) {
      const section = /** @type {HTMLElement | null} */ (root.querySelector(`.mfp-panel-${name}`));
      if (section) section.hidden = (only !== null && !only.has(name)) || (name === 'truth' && !s.truth);
      const box = /** @type {HTMLInputElement | null} */ (panelsMenu.querySelector(`[name="panel-${name}"]`));
      if (box) box.checked = only === null || only.has(name);
    }
  }

  return { element: h('div', { class: 'mfp-actions' }, [trainBtn, pauseBtn, stepBtn, resetBtn, shareBtn, panelsMenu, langSelect, shareMsg]), render };
}
