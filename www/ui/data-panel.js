// Bringing data in: the synthetic generator's knobs, and the user's own file by picker,
// drag-and-drop or paste, with a preview of what was detected before anything is replaced.

import { createControls, SYNTHETIC_KNOBS } from './controls.js';
import { createFeaturesBox } from './features-box.js';
import { dropTarget, h, uniqueId } from './dom.js';
import { errorMessage, t, translate as tr } from '../i18n.js';

/** @type {Record<string, string>} */
const ENCODINGS = { utf8: 'UTF-8', utf16Le: 'UTF-16', utf16Be: 'UTF-16', latin1: 'Latin-1' };

/** The page's documented limit for a file (bigger files belong to the command line). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * @param {{
 *   knobs: Record<string, any>,
 *   onKnob: (name: string, value: any) => void,
 *   onInvalid: (name: string, message: string | null) => void,
 *   preview: (data: Blob | Uint8Array, options: object, titles: Uint8Array | null) => Promise<any>,
 *   commit: (name: string) => Promise<string | undefined>,
 *   applyTitles: (titles: Uint8Array) => Promise<{ nItems: number } | null>,
 *   setTestFile: (bytes: Uint8Array | null, name: string) => Promise<{ nRatings: number, dropped: number } | null>,
 *   setFeatures: (side: 'item' | 'user', bytes: Uint8Array | null) => Promise<any | null>,
 * }} opts applyTitles gives the loaded data these titles (null: no data is loaded); setTestFile
 *   gives it a separate test file (null bytes: back to the test share)
 */
export function createDataPanel(opts) {
  const synth = createControls(SYNTHETIC_KNOBS, opts.knobs, opts.onKnob, opts.onInvalid);
  const features = createFeaturesBox({ setFeatures: opts.setFeatures });
  const synthRow = h('div', { class: 'mfp-synth' }, [h('span', { class: 'mfp-note', text: t('Generator:') }), synth.element]);

  const fileId = uniqueId('mfp-file');
  const fileInput = h('input', { id: fileId, type: 'file', class: 'mfp-file', accept: '.csv,.tsv,.txt,.dat,.data,text/*' });
  const format = h('select', { class: 'mfp-format', 'aria-label': t('File format') }, [
    h('option', { value: 'auto', text: t('Detect format') }),
    h('option', { value: 'triplets', text: t('user, item, rating per line') }),
    h('option', { value: 'dense', text: t('Matrix: a row per user') }),
  ]);
  const zeroMissing = h('input', { type: 'checkbox', class: 'mfp-zero-missing' });
  const titlesId = uniqueId('mfp-titles');
  const titlesInput = h('input', { id: titlesId, type: 'file', class: 'mfp-titles-file', accept: '.csv,.tsv,.txt,.dat,.item,text/*' });
  const titlesName = h('span', { class: 'mfp-note mfp-titles-name', text: t('none') });
  /** @type {Uint8Array | null} */
  let titles = null;
  /** The file previewed last, to preview again with titles given after it. @type {{ data: Blob | Uint8Array, name: string } | null} */
  let shown = null;
  titlesInput.addEventListener('change', async () => {
    const f = titlesInput.files?.[0];
    titlesInput.value = '';
    if (!f) return;
    titles = new Uint8Array(await f.arrayBuffer());
    titlesName.textContent = f.name;
    error.hidden = true;
    // Titles given after the ratings: a file being previewed is read again with them; data
    // already loaded takes them as it is (the model too).
    if (!previewBox.hidden && shown) {
      await previewData(shown.data, shown.name);
      return;
    }
    try {
      const applied = await opts.applyTitles(titles);
      status.textContent = applied
        ? tr('Titles from {name} applied to the loaded data.', { name: f.name })
        : tr('Titles from {name} will be applied to the ratings file you load next.', { name: f.name });
    } catch (err) {
      showError(tr('{name}: {message}. The data loaded before is unchanged.', { name: f.name, message: errorMessage(err) }));
    }
  });
  // A separate test file (MovieLens u1.test beside u1.base), for the data loaded.
  const testId = uniqueId('mfp-test');
  const testInput = h('input', { id: testId, type: 'file', class: 'mfp-test-file', accept: '.csv,.tsv,.txt,.dat,.test,text/*' });
  const testName = h('span', { class: 'mfp-note mfp-test-name', text: t('none: a random share') });
  const testRemove = h('button', { type: 'button', class: 'mfp-btn mfp-test-remove', text: t('Remove'), hidden: true });
  testInput.addEventListener('change', async () => {
    const f = testInput.files?.[0];
    testInput.value = '';
    if (!f) return;
    error.hidden = true;
    try {
      const r = await opts.setTestFile(new Uint8Array(await f.arrayBuffer()), f.name);
      if (!r) {
        showError(tr('Load the ratings first: a test file is the test part of the data loaded.'));
        return;
      }
      testName.textContent = tr('{name}: {n} ratings', { name: f.name, n: r.nRatings.toLocaleString('en') });
      testRemove.hidden = false;
      status.textContent = r.dropped
        ? tr('{name} is the test part now ({n} ratings; {d} of users or items not in the data skipped). The test share is not used.', { name: f.name, n: r.nRatings, d: r.dropped })
        : tr('{name} is the test part now ({n} ratings). The test share is not used.', { name: f.name, n: r.nRatings });
    } catch (err) {
      showError(tr('{name}: {message}. The data loaded before is unchanged.', { name: f.name, message: errorMessage(err) }));
    }
  });
  testRemove.addEventListener('click', async () => {
    await opts.setTestFile(null, '');
    testName.textContent = tr('none: a random share');
    testRemove.hidden = true;
    status.textContent = '';
  });
  const scaleMin = h('input', { type: 'number', class: 'mfp-scale-min', step: 'any', placeholder: t('min'), 'aria-label': t('Scale minimum') });
  const scaleMax = h('input', { type: 'number', class: 'mfp-scale-max', step: 'any', placeholder: t('max'), 'aria-label': t('Scale maximum') });
  const feedback = h('select', { class: 'mfp-feedback', 'aria-label': t('Feedback') }, [
    h('option', { value: 'auto', text: t('Detect ratings or 0/1') }),
    h('option', { value: 'explicit', text: t('Ratings (explicit)') }),
    h('option', { value: 'implicit', text: t('0/1 interactions (implicit)') }),
  ]);
  const paste = h('textarea', { class: 'mfp-paste', rows: 3, placeholder: t('or paste ratings here, e.g.\nalice,Heat,5\nbob,Heat,3'), 'aria-label': t('Paste ratings') });
  const pasteBtn = h('button', { type: 'button', class: 'mfp-btn mfp-preview-paste', text: t('Preview pasted text') });
  // The drop zone is not itself a control (it holds one: the file input, reached by Tab).
  const drop = h('div', { class: 'mfp-drop' }, [
    h('strong', { text: t('Drop a ratings file here') }),
    h('span', { text: t(' or ') }),
    h('label', { for: fileId, class: 'mfp-file-label', text: t('choose a file') }),
    fileInput,
    h('span', { class: 'mfp-note', text: t(' (CSV, TSV, MovieLens u.data / ratings.dat, or a matrix; up to {mb} MB)', { mb: MAX_FILE_BYTES >> 20 }) }),
  ]);
  const status = h('p', { class: 'mfp-file-status', role: 'status' });
  const error = h('p', { class: 'mfp-file-error', role: 'alert', hidden: true });
  const previewBox = h('div', { class: 'mfp-preview', hidden: true });
  const element = h('details', { class: 'mfp-data' }, [
    h('summary', { text: t('Data: generator settings and your own file') }),
    synthRow,
    h('div', { class: 'mfp-file-row' }, [
      drop,
      h('div', { class: 'mfp-file-options' }, [
        h('label', {}, [t('Format'), ' ', format]),
        h('label', {}, [zeroMissing, ' ', t('0 means no interaction')]),
        h('span', {}, [t('Scale'), ' ', scaleMin, ' ', t('to'), ' ', scaleMax, h('span', { class: 'mfp-note', text: t(' (values outside are errors)') })]),
        h('label', {}, [feedback]),
        h('span', {}, [h('label', { for: titlesId, class: 'mfp-file-label', text: t('Item titles file') }), titlesInput, ': ', titlesName]),
        h('span', {}, [h('label', { for: testId, class: 'mfp-file-label', text: t('Test file') }), testInput, ': ', testName, ' ', testRemove]),
      ]),
    ]),
    h('div', { class: 'mfp-paste-row' }, [paste, pasteBtn]),
    status,
    error,
    previewBox,
    features.element,
  ]);

  function readOptions() {
    /** @type {Record<string, any>} */
    const o = {};
    if (format.value !== 'auto') o.layout = format.value;
    if (zeroMissing.checked) o.zeroIsMissing = true;
    if (feedback.value !== 'auto') o.feedback = feedback.value;
    const [lo, hi] = [scaleMin.value.trim(), scaleMax.value.trim()];
    if (lo !== '' || hi !== '') {
      const [min, max] = [Number(lo), Number(hi)];
      if (lo === '' || hi === '' || !Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
        throw new Error(tr('the scale needs a minimum below its maximum, for example 1 to 5 (or neither)'));
      }
      o.scale = { min, max };
    }
    return o;
  }

  /** @param {string} message */
  function showError(message) {
    error.hidden = false;
    error.textContent = message;
  }

  /** @param {Blob | Uint8Array} data a file, read in the worker, or bytes @param {string} name */
  async function previewData(data, name) {
    error.hidden = true;
    previewBox.hidden = true;
    const size = data instanceof Blob ? data.size : data.length;
    if (size > MAX_FILE_BYTES) {
      showError(tr('{name} is {mb} MB; the page reads files up to {max} MB. Use the mfp command line for bigger data.', { name, mb: (size / 2 ** 20).toFixed(1), max: MAX_FILE_BYTES >> 20 }));
      return;
    }
    status.textContent = tr('Reading {name}…', { name });
    shown = { data, name };
    try {
      const p = await opts.preview(data, readOptions(), titles);
      status.textContent = '';
      showPreview(p, name);
    } catch (err) {
      status.textContent = '';
      const e = /** @type {any} */ (err);
      showError(tr('{name}: {message}. The data loaded before is unchanged.', { name, message: errorMessage(e) }));
    }
  }

  /** @param {any} p @param {string} name */
  function showPreview(p, name) {
    const d = p.detected;
    const s = p.summary;
    const what = tr(d.layout === 'dense' ? 'a matrix (a row per user)' : 'one rating per line');
    const table = h('table', { class: 'mfp-preview-table' }, p.rows.map((/** @type {string[]} */ row, /** @type {number} */ r) =>
      h('tr', {}, row.map((cell) => h(r === 0 && d.header ? 'th' : 'td', { text: cell }))),
    ));
    const loadBtn = h('button', { type: 'button', class: 'mfp-btn mfp-primary mfp-load', text: t('Load this data') });
    const cancelBtn = h('button', { type: 'button', class: 'mfp-btn mfp-cancel', text: t('Cancel') });
    loadBtn.addEventListener('click', async () => {
      loadBtn.disabled = true;
      try {
        const said = await opts.commit(name);
        previewBox.hidden = true;
        status.textContent = said ?? tr('Loaded {name}.', { name });
      } catch (err) {
        showError(String(/** @type {any} */ (err).message ?? err));
      }
    });
    cancelBtn.addEventListener('click', () => {
      previewBox.hidden = true;
    });
    previewBox.replaceChildren(
      h('p', { class: 'mfp-detected', text: tr(d.header ? '{name}: {what}, {delimiter} separated, with a header, {encoding} text.' : '{name}: {what}, {delimiter} separated, {encoding} text.', { name, what, delimiter: tr(d.delimiter), encoding: ENCODINGS[d.encoding] ?? d.encoding }) }),
      h('p', {
        class: 'mfp-detected-stats',
        text: tr('{users} users × {items} items, {ratings} ratings ({share}% filled), {kind}.', {
          users: s.nUsers, items: s.nItems, ratings: s.nRatings, share: (100 * s.density).toFixed(1),
          kind: s.feedback === 'implicit' ? tr('implicit 0/1') : tr('scale {min}–{max}', { min: fmt(s.scale.min), max: fmt(s.scale.max) }),
        }),
      }),
      h('div', { class: 'mfp-preview-scroll' }, [table]),
      h('div', { class: 'mfp-actions' }, [loadBtn, cancelBtn]),
    );
    previewBox.hidden = false;
    loadBtn.focus();
  }

  /** @param {File} file */
  function readFile(file) {
    return previewData(file, file.name);
  }

  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    if (f) readFile(f);
    fileInput.value = '';
  });
  dropTarget(drop, readFile);
  pasteBtn.addEventListener('click', () => {
    if (!paste.value.trim()) {
      showError(tr('Paste some ratings first.'));
      return;
    }
    previewData(new TextEncoder().encode(paste.value), tr('pasted text'));
  });

  return {
    element,
    /** @param {Record<string, any>} knobs */
    update(knobs) {
      synth.setValues(knobs);
      synthRow.hidden = knobs.dataset !== 'synthetic';
      // Open where its settings matter, except in presenter mode, where it would push every chart
      // below the fold (it opens with a click).
      if (!knobs.present && (knobs.dataset === 'synthetic' || knobs.dataset === 'file')) element.open = true;
    },
    /** Shows the features the data loaded has. @param {any} summary */
    renderFeatures(summary) {
      features.render(summary);
    },
    /** Other data was loaded: its test part is a random share until a test file is given. */
    clearTestFile() {
      testName.textContent = tr('none: a random share');
      testRemove.hidden = true;
    },
    /** @param {{ fraction: number } | null} progress */
    setProgress(progress) {
      if (progress) status.textContent = tr('Reading… {p}%', { p: Math.round(100 * progress.fraction) });
    },
  };
}

/** @param {number} v */
function fmt(v) {
  return String(+v.toPrecision(4));
}
