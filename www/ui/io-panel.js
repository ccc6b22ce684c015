// Taking results out and bringing a model back: the model as JSON (re-imports to continue
// training or predicting), embeddings and metadata as TSV for the TensorFlow Embedding
// Projector, predictions and recommendations as CSV; and a model Spark MLlib's ALS saved (its
// folder picked or dropped, or a .zip of it), opened on the loaded ratings.

import { download } from '../charts/svg.js';
import { h, uniqueId } from './dom.js';
import { t, translate as tr } from '../i18n.js';
import { unzip } from '../spark-folder.js';
import { createCodeBox } from './code-box.js';

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'exportCode' | 'exportModel' | 'exportPredictions' | 'exportProjector' | 'exportRecommendations'> & { importModel: (text: string) => Promise<void>, importSpark: (files: import('../spark-folder.js').FolderFile[], implicit?: boolean) => Promise<string[]> }} engine the exports it asks for, and the session's imports
 * @param {{ dataName: () => string }} host
 */
export function createIoPanel(engine, host) {
  const status = h('p', { class: 'mfp-note mfp-io-status', role: 'status', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', class: 'mfp-file mfp-io-import', accept: '.json,application/json', id: uniqueId('mfp-import') });
  const folder = h('input', { type: 'file', class: 'mfp-file mfp-io-spark-folder', id: uniqueId('mfp-spark-folder') });
  folder.webkitdirectory = true;
  const zip = h('input', { type: 'file', class: 'mfp-file mfp-io-spark-zip', accept: '.zip,application/zip', id: uniqueId('mfp-spark-zip') });
  const implicit = h('input', { type: 'checkbox', class: 'mfp-io-spark-implicit' });
  const say = (/** @type {string} */ text) => (status.textContent = text);
  const code = createCodeBox(engine);
  const failed = (/** @type {any} */ err) => say(`${err?.message ?? err}`);
  const button = (/** @type {string} */ cls, /** @type {import('../i18n.js').Text} */ text, /** @type {() => Promise<void>} */ action) => {
    const b = h('button', { type: 'button', class: `mfp-btn mfp-small mfp-io-${cls}`, text });
    b.addEventListener('click', () => action().catch(failed));
    return b;
  };
  const slug = () => host.dataName().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'data';
  const text = (/** @type {string} */ s, /** @type {string} */ type, /** @type {string} */ name) => download(new Blob([s], { type }), name);

  const element = h('details', { class: 'mfp-io' }, [
    h('summary', { text: t('Export and import: model, embeddings, predictions') }),
    h('div', { class: 'mfp-actions' }, [
      button('model', t('Model (JSON)'), async () => {
        const { json } = await engine.exportModel({ name: host.dataName() });
        text(json, 'application/json', `model-${slug()}.json`);
        say(tr('Saved the model: import it on the same data to go on training or predicting.'));
      }),
      button('projector', t('Embeddings (TSV)'), async () => {
        const p = await engine.exportProjector();
        text(p.itemVectors, 'text/tab-separated-values', `item-vectors-${slug()}.tsv`);
        text(p.itemMetadata, 'text/tab-separated-values', `item-metadata-${slug()}.tsv`);
        say(tr('Saved item vectors and metadata: load both at projector.tensorflow.org (Load > choose the two files).'));
      }),
      button('predictions', t('Predictions (CSV)'), async () => {
        const { csv } = await engine.exportPredictions();
        text(csv, 'text/csv', `predictions-${slug()}.csv`);
        say(tr('Saved every known rating with its prediction.'));
      }),
      button('recommendations', t('Recommendations (CSV)'), async () => {
        const { csv } = await engine.exportRecommendations({ n: 10 });
        text(csv, 'text/csv', `recommendations-${slug()}.csv`);
        say(tr("Saved each user's top 10."));
      }),
      h('label', { for: file.id, class: 'mfp-btn mfp-small mfp-file-label', text: t('Import a model…') }),
      file,
    ]),
    h('p', { class: 'mfp-note', text: t('A Spark model: the folder ALSModel.save wrote (metadata/, userFactors/, itemFactors/), opened on the ratings it was trained on. Or drop it here.') }),
    h('div', { class: 'mfp-actions mfp-io-spark' }, [
      h('label', { for: folder.id, class: 'mfp-btn mfp-small mfp-file-label', text: t('Open a Spark model folder…') }),
      folder,
      h('label', { for: zip.id, class: 'mfp-btn mfp-small mfp-file-label', text: t('…or a .zip of it') }),
      zip,
      h('label', { class: 'mfp-check' }, [implicit, ' ', t('trained with implicitPrefs')]),
    ]),
    status,
    code.element,
  ]);

  /** Opens a Spark model from its files, saying what happened. @param {string} name @param {() => Promise<import('../spark-folder.js').FolderFile[]>} files */
  async function openSpark(name, files) {
    say(tr('Opening {name}…', { name }));
    try {
      const notes = await engine.importSpark(await files(), implicit.checked || undefined);
      say([tr('Opened the Spark model {name}: its predictions, embeddings and recommendations are in the panels; Resume trains on from it here.', { name }), ...notes].join(' '));
    } catch (err) {
      say(tr('{name}: {message}. The model loaded before is unchanged.', { name, message: /** @type {any} */ (err).message ?? err }));
    }
  }
  folder.addEventListener('change', () => {
    const list = [...(folder.files ?? [])];
    folder.value = '';
    if (!list.length) return;
    const name = list[0].webkitRelativePath.split('/')[0] || list[0].name;
    openSpark(name, () => Promise.all(list.map(async (f) => ({ path: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() }))));
  });
  zip.addEventListener('change', () => {
    const f = zip.files?.[0];
    zip.value = '';
    if (f) openSpark(f.name, async () => unzip(await f.arrayBuffer(), f.name));
  });
  // A folder or a .zip dropped on the panel.
  element.addEventListener('dragover', (e) => e.preventDefault());
  element.addEventListener('drop', (e) => {
    e.preventDefault();
    const items = [...(e.dataTransfer?.items ?? [])];
    const entry = items[0]?.webkitGetAsEntry?.();
    const f = e.dataTransfer?.files?.[0];
    if (entry?.isDirectory) openSpark(entry.name, () => readEntries(/** @type {FileSystemDirectoryEntry} */ (entry), entry.name));
    else if (f && /\.zip$/i.test(f.name)) openSpark(f.name, async () => unzip(await f.arrayBuffer(), f.name));
    else if (f) say(tr('Drop a Spark model folder or a .zip of it here; a model file goes through “Import a model…”.'));
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f) return;
    try {
      await engine.importModel(await f.text());
      say(tr('Imported {name}: its parameters are in the knobs; Resume trains on from its epoch.', { name: f.name }));
    } catch (err) {
      say(tr('{name}: {message}. The model loaded before is unchanged.', { name: f.name, message: /** @type {any} */ (err).message ?? err }));
    }
  });
  /** The tools the engine writes code for (its describe), once it has said. */
  return { element, setTools: code.setTools };
}

/**
 * Every file under a dropped folder, with its path from the folder.
 * @param {FileSystemDirectoryEntry} dir
 * @param {string} prefix
 * @returns {Promise<import('../spark-folder.js').FolderFile[]>}
 */
async function readEntries(dir, prefix) {
  const reader = dir.createReader();
  /** @type {FileSystemEntry[]} */
  const entries = [];
  // readEntries gives a batch at a time, and an empty batch at the end.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    entries.push(...batch);
  }
  const out = [];
  for (const e of entries) {
    const path = `${prefix}/${e.name}`;
    if (e.isDirectory) out.push(...(await readEntries(/** @type {FileSystemDirectoryEntry} */ (e), path)));
    else {
      const file = await new Promise((resolve, reject) => /** @type {FileSystemFileEntry} */ (e).file(resolve, reject));
      out.push({ path, bytes: await file.arrayBuffer() });
    }
  }
  return out;
}
