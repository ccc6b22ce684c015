// The embeddings map's layout beyond PCA: t-SNE or UMAP of the items' (or users') embeddings,
// run in the worker step by step (src/session/map.rs) so the map moves as the layout
// converges, with pause, its knobs (perplexity; neighbours and minimum distance) kept in the
// link, and the coordinates shown downloadable as CSV and as Projector TSV.

import { download } from '../charts/svg.js';
import { t, translate as tr, errorMessage } from '../i18n.js';
import { h } from '../ui/dom.js';
import { toCsv } from '../ui/export.js';

/** Milliseconds a step request aims at: the map moves smoothly and training is not held up. */
const TARGET_MS = 60;

/**
 * @typedef {{ method: string, side: string, rows: number[], ids: string[], total: number, steps: number, perplexity: number | null }} Started
 * @typedef {{ coords: Float32Array, step: number, steps: number, done: boolean }} Stepped
 */

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'mapStart' | 'mapStep'>} engine
 * @param {{
 *   knobs: () => { mapMethod: string, perplexity: number, neighbours: number, minDist: number, seed: number },
 *   setKnob: (name: string, value: any) => void,
 *   side: () => 'items' | 'users',
 *   table: () => string | null,
 *   epoch: () => number,
 *   show: (layout: { started: Started, coords: Float32Array } | null) => void,
 *   points: () => { index: number, id: string, label: string, kind: string, group: number, x: number, y: number }[],
 *   dataName: () => string,
 * }} host
 */
export function createMapLayout(engine, host) {
  const method = h('select', { class: 'mfp-embed-layout', 'aria-label': t('Layout') }, [
    h('option', { value: 'pca', text: t('PCA') }),
    h('option', { value: 'tsne', text: t('t-SNE') }),
    h('option', { value: 'umap', text: t('UMAP') }),
  ]);
  const number = (/** @type {string} */ cls, /** @type {string} */ label, /** @type {Record<string, any>} */ attrs) => {
    const input = h('input', { type: 'number', class: `mfp-embed-${cls}`, ...attrs });
    return { input, label: h('label', { class: 'mfp-note' }, [t(label), ' ', input]) };
  };
  const perplexity = number('perplexity', 'perplexity', { min: 2, max: 100, step: 1 });
  const neighbours = number('neighbours', 'neighbours', { min: 2, max: 100, step: 1 });
  const minDist = number('min-dist', 'min. distance', { min: 0, max: 1, step: 0.05 });
  const pauseBtn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-pause', text: t('Pause') });
  const restart = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-restart', text: t('Restart') });
  const status = h('span', { class: 'mfp-note mfp-embed-layout-status', role: 'status' });
  const csv = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-csv', text: t('Coordinates CSV') });
  const tsv = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-tsv', text: t('Projector TSV') });
  const element = h('div', { class: 'mfp-embed-layout-row' }, [method, perplexity.label, neighbours.label, minDist.label, pauseBtn, restart, status]);

  /** The layout in progress: where it stands, and the model's epoch it lays out. @type {{ started: Started, coords: Float32Array, step: number, done: boolean, epoch: number } | null} */
  let layout = null;
  let paused = false;
  let run = 0;
  let chunk = 5;

  function syncInputs() {
    const k = host.knobs();
    method.value = k.mapMethod;
    perplexity.input.value = String(k.perplexity);
    neighbours.input.value = String(k.neighbours);
    minDist.input.value = String(k.minDist);
    perplexity.label.hidden = k.mapMethod !== 'tsne';
    neighbours.label.hidden = minDist.label.hidden = k.mapMethod !== 'umap';
    pauseBtn.hidden = restart.hidden = k.mapMethod === 'pca';
  }
  syncInputs();

  method.addEventListener('change', () => host.setKnob('mapMethod', method.value));
  perplexity.input.addEventListener('change', () => host.setKnob('perplexity', Number(perplexity.input.value)));
  neighbours.input.addEventListener('change', () => host.setKnob('neighbours', Number(neighbours.input.value)));
  minDist.input.addEventListener('change', () => host.setKnob('minDist', Number(minDist.input.value)));
  pauseBtn.addEventListener('click', () => {
    if (!layout || layout.done) return;
    paused = !paused;
    pauseBtn.textContent = paused ? tr('Resume') : tr('Pause');
    if (!paused) loop(run);
    else describe();
  });
  restart.addEventListener('click', () => start());

  /** Says where the layout stands, and of which points. */
  function describe() {
    if (!layout) return;
    const { started, step, done, epoch } = layout;
    const name = started.method === 'tsne' ? 't-SNE' : 'UMAP';
    const what = started.rows.length < started.total
      ? tr('{n} of {total} {side}, evenly spaced (a layout takes at most {n})', { n: started.rows.length, total: started.total, side: tr(started.side) })
      : tr('all {n} {side}', { n: started.total, side: tr(started.side) });
    const where = done
      ? tr('done: {steps} {unit}', { steps: started.steps, unit: tr(started.method === 'tsne' ? 'iterations' : 'epochs') })
      : tr('{unit} {step} of {steps}{paused}', { unit: tr(started.method === 'tsne' ? 'iteration' : 'epoch'), step, steps: started.steps, paused: paused ? ` (${tr('paused')})` : '' });
    status.textContent = `${name} ${started.perplexity != null ? `(${tr('perplexity')} ${+started.perplexity.toFixed(2)}) ` : ''}${tr('of the model at epoch {e}', { e: epoch })}, ${what}: ${where}.`;
    element.dataset.layout = done ? 'done' : paused ? 'paused' : 'running';
  }

  /** Starts the layout the knobs ask for (PCA: none). */
  async function start() {
    run += 1;
    const me = run;
    const k = host.knobs();
    syncInputs();
    paused = false;
    pauseBtn.textContent = tr('Pause');
    if (k.mapMethod === 'pca') {
      layout = null;
      status.textContent = '';
      delete element.dataset.layout;
      host.show(null);
      return;
    }
    status.textContent = tr('Finding each point\'s neighbours…');
    element.dataset.layout = 'starting';
    try {
      const started = await engine.mapStart({
        request: {
          method: k.mapMethod, side: host.side(), table: host.table() ?? '',
          tsne: { perplexity: k.perplexity }, umap: { neighbours: k.neighbours, minDist: k.minDist, seed: k.seed },
        },
      });
      if (me !== run) return;
      const first = await engine.mapStep({ steps: 0 });
      if (me !== run) return;
      layout = { started, coords: first.coords, step: first.step, done: first.done, epoch: host.epoch() };
      host.show(layout);
      describe();
      loop(me);
    } catch (err) {
      if (me !== run) return;
      layout = null;
      host.show(null);
      status.textContent = errorMessage(err);
      element.dataset.layout = 'failed';
    }
  }

  /** Steps the layout until it is done, paused or replaced, one request at a time. @param {number} me */
  async function loop(me) {
    while (layout && !layout.done && !paused && me === run) {
      const t0 = performance.now();
      /** @type {Stepped} */
      const s = await engine.mapStep({ steps: chunk });
      if (me !== run || !layout) return;
      const dt = Math.max(1, performance.now() - t0);
      chunk = Math.max(1, Math.min(200, Math.round((chunk * TARGET_MS) / dt)));
      layout.coords = s.coords;
      layout.step = s.step;
      layout.done = s.done;
      host.show(layout);
      describe();
      // A frame for the page between requests.
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
  }

  const slug = () => host.dataName().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'data';
  const which = () => (layout ? layout.started.method : 'pca');
  csv.addEventListener('click', () => {
    const rows = host.points().map((p) => [p.kind, p.index, p.id, p.label, p.group >= 0 ? p.group : '', p.x, p.y]);
    download(new Blob([toCsv([['kind', 'index', 'id', 'label', 'group', 'x', 'y'], ...rows])], { type: 'text/csv' }), `map-${which()}-${slug()}.csv`);
  });
  tsv.addEventListener('click', () => {
    const pts = host.points();
    const clean = (/** @type {string} */ s) => s.replace(/[\t\n\r]/g, ' ');
    download(new Blob([pts.map((p) => `${p.x}\t${p.y}`).join('\n') + '\n'], { type: 'text/tab-separated-values' }), `map-${which()}-vectors-${slug()}.tsv`);
    download(new Blob([`kind\tindex\tid\tlabel\tgroup\n${pts.map((p) => `${p.kind}\t${p.index}\t${clean(p.id)}\t${clean(p.label)}\t${p.group}`).join('\n')}\n`], { type: 'text/tab-separated-values' }), `map-${which()}-metadata-${slug()}.tsv`);
  });

  return {
    element,
    exports: [csv, tsv],
    /** The knobs changed (a link, the controls): start what they ask for. */
    knobsChanged: () => {
      const k = host.knobs();
      const same = layout && layout.started.method === k.mapMethod;
      syncInputs();
      if (!same || k.mapMethod !== 'pca') start();
    },
    /** Whether a layout (not PCA) is on the map. */
    active: () => layout !== null,
    start,
    stop() {
      run += 1;
    },
  };
}
