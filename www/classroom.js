// The classroom's tools around the widget: a teacher's challenge from the link (checked after
// every epoch), and presenter mode's keyboard shortcuts with their help. (The lessons are
// lessons.js; teacher mode's hidden and locked knobs are applied with the controls.)

import { h, setText } from './ui/dom.js';
import { t, translate as tr } from './i18n.js';

/** The metric each challenge names: the report's field and its name for people. */
const CHALLENGE_METRICS = /** @type {Record<string, [string, string]>} */ ({
  'test-rmse': ['testRmse', 'test RMSE'], 'test-mae': ['testMae', 'test MAE'], 'train-rmse': ['rmse', 'train RMSE'],
});

/** The model has had updates since it was made: an epoch done, or one paused part-way. @param {any} s */
export function begun(s) {
  return s.epoch > 0 || s.inEpoch;
}

/**
 * The challenge a teacher sets in the link (`challenge=test-rmse:0.9&maxk=4`): what it asks, and
 * whether the model has met it (the root's `data-challenge` says so too).
 * @param {HTMLElement} root
 */
export function createChallenge(root) {
  const element = h('p', { class: 'mfp-challenge', role: 'status', 'aria-live': 'polite', hidden: true });
  return {
    element,
    /** @param {any} s the widget's state */
    check(s) {
      const k = s.knobs;
      element.hidden = !k.challenge;
      if (!k.challenge) return;
      const [metric, targetText] = k.challenge.split(':');
      const [field, label] = CHALLENGE_METRICS[metric];
      const target = Number(targetText);
      const goal = k.maxk > 0
        ? tr('Challenge: {metric} below {target} with at most {maxk} factors.', { metric: tr(label), target, maxk: k.maxk })
        : tr('Challenge: {metric} below {target}.', { metric: tr(label), target });
      const v = s.history.at(-1)?.[field];
      const met = typeof v === 'number' && Number.isFinite(v) && v < target && (k.maxk === 0 || k.nFactors <= k.maxk);
      root.dataset.challenge = met ? 'met' : 'open';
      element.classList.toggle('mfp-challenge-met', met);
      setText(element, met
        ? `${goal} ${tr('Met at epoch {epoch}: {metric} {value} with k = {k}. Well done!', { epoch: s.epoch, metric: tr(label), value: v.toFixed(4), k: k.nFactors })}`
        : k.maxk > 0 && k.nFactors > k.maxk
          ? `${goal} ${tr('Use at most {maxk} factors.', { maxk: k.maxk })}`
          : goal);
    },
  };
}

/**
 * Presenter mode's keyboard shortcuts (Space train/pause/resume, → one more epoch, r reset,
 * ? help; not while typing in a field) and the help dialog they open.
 * @param {{ get: () => any }} store
 * @param {{ isPlaying: () => boolean, pause: () => void, play: () => void, train: () => void, step: () => void, reset: () => void }} session
 */
export function createPresenterKeys(store, session) {
  const help = h('dialog', { class: 'mfp-help', 'aria-label': t('Keyboard shortcuts') }, [
    h('h3', { text: t('Keyboard shortcuts') }),
    h('dl', {}, [
      h('dt', { text: t('Space') }), h('dd', { text: t('train, pause or resume') }),
      h('dt', { text: '→' }), h('dd', { text: t('one more epoch') }),
      h('dt', { text: 'r' }), h('dd', { text: t('reset the model') }),
      h('dt', { text: '?' }), h('dd', { text: t('this help') }),
    ]),
    h('form', { method: 'dialog' }, [h('button', { class: 'mfp-btn', text: t('Close') })]),
  ]);
  /** @param {KeyboardEvent} ev */
  function onKey(ev) {
    if (!store.get().knobs.present || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = /** @type {HTMLElement | null} */ (ev.composedPath()[0] instanceof HTMLElement ? ev.composedPath()[0] : null);
    if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName))) return;
    if (ev.key === ' ') {
      ev.preventDefault();
      const st = store.get();
      if (session.isPlaying()) session.pause();
      // A first epoch paused part-way is resumed, not started again.
      else if (!begun(st) || st.epoch >= st.knobs.nEpochs) session.train();
      else session.play();
    } else if (ev.key === 'ArrowRight') {
      ev.preventDefault();
      session.step();
    } else if (ev.key === 'r') {
      session.reset();
    } else if (ev.key === '?') {
      if (help.open) help.close();
      else help.showModal();
    }
  }
  return { help, onKey };
}
