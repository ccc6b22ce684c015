// The training panel: train (and test, validation) RMSE and the loss per epoch, the best epoch
// of early stopping marked, the curves described in words for screen readers, and their
// downloads (PNG, SVG, the epochs as CSV).

import { createLineChart } from '../charts/line-chart.js';
import { h, setChildren, swatch } from '../ui/dom.js';
import { chartExport, csvButton } from '../ui/export.js';
import { t, translate as tr } from '../i18n.js';

/**
 * @param {() => any[]} history the epochs' reports so far
 */
export function createTrainingPanel(history) {
  const canvas = h('canvas', { class: 'mfp-chart', role: 'img', 'aria-label': t('Training curves') });
  const legend = h('p', { class: 'mfp-legend mfp-loss-legend' });
  const axes = { xLabel: tr('epoch'), yLabel: tr('error'), empty: () => tr('Press Train: the error of each epoch is drawn here.') };
  const chart = createLineChart(canvas, axes);
  const historyCsv = () => [
    ['epoch', 'train_loss', 'train_rmse', 'test_rmse', 'test_mae', 'validation_rmse', 'milliseconds'],
    ...history().map((/** @type {any} */ r) => [r.epoch, r.loss, r.rmse, r.testRmse, r.testMae, r.validationRmse, r.millis]),
  ];
  const tools = h('div', { class: 'mfp-chart-tools' }, [
    chartExport(chart, 'training-curves', 'the training curves'),
    csvButton(historyCsv, 'training-history', t('Epochs CSV')),
  ]);

  /** Draws the curves of `reports`. @param {any[]} reports */
  function draw(reports) {
    // Colours as the theme's custom properties, looked up when the chart is drawn: reading the
    // computed style here made each epoch's update work out the page's style there and then.
    const css = (/** @type {string} */ v) => `var(${v})`;
    const xs = reports.map((r) => r.epoch);
    /** @type {import('../charts/line-chart.js').Series[]} */
    const series = [{ name: tr('train RMSE'), color: css('--mfp-series-1'), points: reports.map((r) => r.rmse), xs }];
    if (reports.some((r) => r.testRmse != null)) series.push({ name: tr('test RMSE'), color: css('--mfp-series-2'), points: reports.map((r) => r.testRmse ?? NaN), xs });
    if (reports.some((r) => r.validationRmse != null)) series.push({ name: tr('validation RMSE'), color: css('--mfp-series-4'), points: reports.map((r) => r.validationRmse ?? NaN), xs, dash: [5, 3] });
    series.push({ name: tr('train loss'), color: css('--mfp-series-3'), points: reports.map((r) => r.loss), xs });
    const best = reports.at(-1)?.bestEpoch;
    chart.setSeries(series, { markers: best ? [{ x: best, label: tr('best epoch {epoch}', { epoch: best }) }] : [] });
    // Each epoch redraws the curves; the legend changes only when a series comes or goes.
    setChildren(legend, series.map((x) => x.name), (name, j) => swatch(name, series[j].color));
    canvas.setAttribute('aria-label', curveSummary(reports));
  }

  return {
    body: [canvas, legend, tools],
    draw,
    /** The language changed: the axes' titles follow. */
    relabel() {
      Object.assign(axes, { xLabel: tr('epoch'), yLabel: tr('error') });
    },
    destroy: () => chart.destroy(),
  };
}

/** @param {number} v */
export function fmtMetric(v) {
  return Number.isFinite(v) ? v.toFixed(4) : tr('not a number');
}

/** A sentence for screen readers: where the curves started and ended. @param {any[]} history */
function curveSummary(history) {
  if (!history.length) return tr('Training curves: no epoch yet.');
  const a = history[0];
  const b = history.at(-1);
  const test = b.testRmse != null ? tr(', test RMSE {a} to {b}', { a: fmtMetric(a.testRmse), b: fmtMetric(b.testRmse) }) : '';
  return tr('Training curves over {n} epochs: train RMSE {a} to {b}{test}.', { n: history.length, a: fmtMetric(a.rmse), b: fmtMetric(b.rmse), test });
}
