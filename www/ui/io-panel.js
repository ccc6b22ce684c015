// Taking results out and bringing a model back: the model as JSON (re-imports to continue
// training or predicting), embeddings and metadata as TSV for the TensorFlow Embedding
// Projector, predictions and recommendations as CSV.

import { download } from '../charts/svg.js';
import { h, uniqueId } from './dom.js';
import { t, translate as tr } from '../i18n.js';

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'exportModel' | 'exportPredictions' | 'exportProjector' | 'exportRecommendations'> & { importModel: (text: string) => Promise<void> }} engine the exports it asks for, and the session's import
 * @param {{ dataName: () => string }} host
 */
export function createIoPanel(engine, host) {
  const status = h('p', { class: 'mfp-note mfp-io-status', role: 'status', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', class: 'mfp-file mfp-io-import', accept: '.json,application/json', id: uniqueId('mfp-import') });
  const say = (/** @type {string} */ text) => (status.textContent = text);
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
    status,
  ]);
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
  return { element };
}
