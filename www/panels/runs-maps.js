// Two runs' maps of the same items, side by side in one picture: A's PCA map, B's, and a trail
// from each item's place in A to its place in B; B turned onto A (orthogonal Procrustes, in the
// engine) or as it came out, so a learner sees that factors are defined only up to a rotation
// and which items truly moved.

import { createLineChart } from '../charts/line-chart.js';
import { t, translate as tr, errorMessage } from '../i18n.js';
import { h, setChildren, swatch } from '../ui/dom.js';
import { chartExport } from '../ui/export.js';

/** The maps of A and B, and trails between them: A blue, B vermilion (Okabe-Ito). */
const A_COLOUR = '#0072B2';
const B_COLOUR = '#D55E00';

/** @param {Pick<import('../protocol.js').EngineApi, 'compareMaps'>} engine */
export function createRunsMaps(engine) {
  const turned = h('input', { type: 'checkbox', class: 'mfp-runs-maps-turned', checked: true });
  const canvas = h('canvas', { class: 'mfp-chart mfp-runs-maps-chart', role: 'img', 'aria-label': t('The items on A\'s map and on B\'s') });
  const chart = createLineChart(canvas, { xLabel: tr('first axis'), yLabel: tr('second axis'), continuous: true });
  const legend = h('p', { class: 'mfp-legend' });
  const note = h('p', { class: 'mfp-note mfp-runs-maps-note' });
  const element = h('div', { class: 'mfp-runs-maps', hidden: true }, [
    h('h4', { text: t('The same items on both maps') }),
    h('div', { class: 'mfp-eval-controls' }, [h('label', {}, [turned, ' ', t('B turned onto A (orthogonal Procrustes)')])]),
    canvas,
    legend,
    note,
    h('div', { class: 'mfp-chart-tools' }, [chartExport(chart, 'runs-maps', 'the two maps')]),
  ]);
  /** @type {any} */
  let maps = null;
  let asked = 0;
  turned.addEventListener('change', draw);

  /**
   * Shows runs `a` and `b`'s item maps (nothing when either kept no model).
   * @param {import('../runs.js').WholeRun} a @param {import('../runs.js').WholeRun} b
   */
  async function show(a, b) {
    const me = ++asked;
    element.hidden = !a.run.model || !b.run.model;
    if (element.hidden) return;
    try {
      const m = await engine.compareMaps({ a: a.json, b: b.json, side: 'items' });
      if (me !== asked) return;
      maps = m;
      element.dataset.before = String(m.rmsBefore);
      element.dataset.after = String(m.rmsAfter);
      draw();
    } catch (err) {
      if (me !== asked) return;
      maps = null;
      chart.setSeries([]);
      note.textContent = errorMessage(err);
    }
  }

  function draw() {
    if (!maps) return;
    const b = turned.checked ? maps.bTurned : maps.b;
    const n = maps.a.length / 2;
    const col = (/** @type {number[]} */ p, /** @type {number} */ d) => Array.from({ length: n }, (_, r) => p[2 * r + d]);
    /** @type {import('../charts/line-chart.js').Series[]} */
    const series = [];
    for (let r = 0; r < n; r++) {
      series.push({ name: '', color: 'var(--mfp-grid)', xs: [maps.a[2 * r], b[2 * r]], points: [maps.a[2 * r + 1], b[2 * r + 1]] });
    }
    series.push({ name: 'A', color: A_COLOUR, xs: col(maps.a, 0), points: col(maps.a, 1), dotsOnly: true });
    series.push({ name: 'B', color: B_COLOUR, xs: col(b, 0), points: col(b, 1), dotsOnly: true });
    chart.setSeries(series);
    setChildren(legend, [tr('A\'s map'), turned.checked ? tr('B\'s map, turned onto A') : tr('B\'s map as it came out')], (text, j) => swatch(text, j ? B_COLOUR : A_COLOUR));
    const share = maps.rmsBefore > 0 ? Math.round(100 * (1 - maps.rmsAfter / maps.rmsBefore)) : 0;
    const top = maps.moved.slice(0, 5).map((/** @type {[number, number]} */ [r, d]) => `${maps.labels[r]} (${d.toFixed(2)})`).join(', ');
    note.textContent = [
      tr('Each line joins an item\'s place on A\'s map to its place on B\'s (each the PCA of its own factors). As they came out, an item lies {before} from its place in A (root mean square); turned, {after}: {share}% of that was only a rotation or a reflection, which changes no prediction, since factors are defined only up to one.', { before: maps.rmsBefore.toFixed(3), after: maps.rmsAfter.toFixed(3), share }),
      tr('The items that truly moved most: {top}.', { top }),
    ].join(' ');
    canvas.setAttribute('aria-label', note.textContent);
  }

  return { element, show, hide: () => { asked += 1; element.hidden = true; }, destroy: chart.destroy };
}
