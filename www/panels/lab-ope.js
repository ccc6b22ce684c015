// The lab's off-policy evaluation: many logs of a logging policy on the lab's world, and from
// each the target policy's CTR as the naive CTR, IPS, SNIPS, the direct method and doubly
// robust estimate it (the engine's src/lab/ope.rs), drawn beside the target's true CTR, so a
// learner sees which estimator to trust and why.

import { createLineChart } from '../charts/line-chart.js';
import { t, translate as tr, errorMessage } from '../i18n.js';
import { h, setChildren, swatch } from '../ui/dom.js';
import { signed } from '../ui/format.js';

/** The policies whose propensities are known, as the engine names them. */
const KINDS = /** @type {[string, string][]} */ ([
  ['uniform', 'Uniform'], ['epsilon-greedy', 'ε-greedy'], ['softmax', 'Softmax of the scores'], ['greedy', 'Greedy'],
]);

/** The estimators, in the engine's order: name, label, colour (Okabe-Ito). */
const ESTIMATORS = /** @type {[string, string, string][]} */ ([
  ['naive', 'Naive: the log\'s own CTR', '#999999'],
  ['ips', 'IPS', '#E69F00'],
  ['snips', 'SNIPS', '#56B4E9'],
  ['dm', 'DM: the model alone', '#CC79A7'],
  ['dr', 'DR: doubly robust', '#009E73'],
]);

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'labOffPolicy'>} engine
 * @param {{ ensure: () => Promise<void>, seed: () => number }} lab starts the lab (its world and first model) if it
 *   is not; the lab's seed, which the logs are drawn from too
 */
export function createOffPolicy(engine, lab) {
  /** @param {string} side @param {string} kind @param {number} eps */
  const policy = (side, kind, eps) => {
    const select = h('select', { class: `mfp-ope-${side}`, 'aria-label': t(side === 'logging' ? 'Logging policy' : 'Target policy') },
      KINDS.map(([v, label]) => h('option', { value: v, text: t(label), selected: v === kind })));
    const epsilon = h('input', { type: 'number', class: `mfp-ope-${side}-epsilon`, min: 0, max: 1, step: 0.05, value: eps, 'aria-label': `${side} ε` });
    const temperature = h('input', { type: 'number', class: `mfp-ope-${side}-temperature`, min: 0.05, max: 10, step: 0.05, value: 0.5, 'aria-label': `${side} temperature` });
    const epsLabel = h('label', {}, ['ε ', epsilon]);
    const tempLabel = h('label', {}, [t('temperature'), ' ', temperature]);
    const sync = () => {
      epsLabel.hidden = select.value !== 'epsilon-greedy';
      tempLabel.hidden = select.value !== 'softmax';
    };
    select.addEventListener('change', sync);
    sync();
    return {
      select,
      controls: [select, epsLabel, tempLabel],
      value: () => ({ kind: select.value, epsilon: Number(epsilon.value), temperature: Number(temperature.value) }),
    };
  };
  const logging = policy('logging', 'softmax', 0.3);
  const target = policy('target', 'greedy', 0);
  const impressions = h('input', { type: 'number', class: 'mfp-ope-impressions', min: 10, max: 100000, step: 10, value: 1000 });
  const logs = h('input', { type: 'number', class: 'mfp-ope-logs', min: 2, max: 200, step: 1, value: 30 });
  const run = h('button', { type: 'button', class: 'mfp-btn mfp-ope-run', text: t('Estimate') });
  const status = h('p', { class: 'mfp-note mfp-ope-status', role: 'status', 'aria-live': 'polite' });
  const canvas = h('canvas', { class: 'mfp-chart mfp-lab-chart mfp-ope-chart', role: 'img', 'aria-label': t('Each log\'s estimates beside the true CTR') });
  const chart = createLineChart(canvas, { xLabel: tr('log'), yLabel: tr('estimated CTR of the target'), empty: () => tr('Press Estimate.') });
  const legend = h('p', { class: 'mfp-legend mfp-ope-legend' });
  /** Which policies the results shown are of (the controls may have changed since). */
  const caption = h('p', { class: 'mfp-note mfp-ope-caption' });
  const table = h('table', { class: 'mfp-ope-table mfp-runs-figures', hidden: true });
  const verdict = h('p', { class: 'mfp-ope-verdict' });
  const element = h('div', { class: 'mfp-ope', dataset: { ope: 'idle' } }, [
    h('h4', { text: t('Off-policy evaluation') }),
    h('p', { class: 'mfp-note', text: t('Would a new policy do better? Instead of showing it to users, estimate its CTR from the log of the policy that ran, which recorded with what probability it showed each item. Many logs are drawn on the lab\'s world (both policies choose by the lab\'s first model, trained on the warm-up log); the world knows the target\'s true CTR, so each estimator\'s bias and spread can be seen.') }),
    h('div', { class: 'mfp-lab-controls' }, [h('span', {}, [t('Logging policy'), ' ']), ...logging.controls]),
    h('div', { class: 'mfp-lab-controls' }, [h('span', {}, [t('Target policy'), ' ']), ...target.controls]),
    h('div', { class: 'mfp-lab-controls' }, [h('label', {}, [t('Impressions per log'), ' ', impressions]), h('label', {}, [t('Logs'), ' ', logs]), run]),
    status,
    caption,
    h('figure', { class: 'mfp-lab-figure' }, [h('figcaption', { text: t('Each log\'s estimates beside the true CTR') }), canvas]),
    legend,
    h('div', { class: 'mfp-eval-scroll' }, [table]),
    verdict,
  ]);

  run.addEventListener('click', async () => {
    run.disabled = true;
    status.textContent = tr('Drawing {n} logs…', { n: logs.value });
    element.dataset.ope = 'running';
    try {
      await lab.ensure();
      const config = { logging: logging.value(), target: target.value(), impressions: Number(impressions.value), logs: Number(logs.value), seed: lab.seed() };
      const r = await engine.labOffPolicy({ config });
      draw(r);
      const name = (/** @type {{ kind: string, epsilon: number, temperature: number }} */ p) => {
        const label = tr(/** @type {string} */ (KINDS.find(([v]) => v === p.kind)?.[1]));
        return p.kind === 'epsilon-greedy' ? `${label} ${p.epsilon}` : p.kind === 'softmax' ? `${label} (${tr('temperature')} ${p.temperature})` : label;
      };
      caption.textContent = tr('{logs} logs of {n} impressions, logged by {logging}; the target: {target}.', { logs: r.logs, n: r.impressions, logging: name(config.logging), target: name(config.target) });
      status.textContent = '';
      element.dataset.ope = 'done';
    } catch (err) {
      status.textContent = errorMessage(err);
      element.dataset.ope = 'idle';
    } finally {
      run.disabled = false;
    }
  });

  /** @param {any} r the engine's report */
  function draw(r) {
    const xs = Array.from({ length: r.logs }, (_, j) => j + 1);
    const byName = Object.fromEntries(r.estimators.map((/** @type {any} */ e) => [e.name, e]));
    /** @type {import('../charts/line-chart.js').Series[]} */
    const series = ESTIMATORS.map(([name, label, color]) => ({ name: tr(label), color, xs, points: byName[name].estimates, dotsOnly: true }));
    series.push({ name: tr('true CTR of the target'), color: 'var(--mfp-fg)', xs: [1, r.logs], points: [r.trueCtr, r.trueCtr], dash: [6, 4], dotsOnly: false });
    chart.setSeries(series);
    setChildren(legend, series.map((s) => s.name), (text, j) => swatch(text, series[j].color));
    const f = (/** @type {number} */ v) => v.toFixed(3);
    const best = r.estimators.filter((/** @type {any} */ e) => e.name !== 'naive').reduce((a, b) => (b.rmse < a.rmse ? b : a));
    table.hidden = false;
    table.replaceChildren(
      h('thead', {}, [h('tr', {}, ['', t('Mean'), t('Bias'), t('Spread (sd)'), t('RMSE')].map((x) => h('th', { scope: 'col', text: x })))]),
      h('tbody', {}, ESTIMATORS.map(([name, label]) => {
        const e = byName[name];
        return h('tr', { dataset: { estimator: name }, class: e === best ? 'mfp-better' : undefined }, [
          h('th', { scope: 'row', text: tr(label) }),
          h('td', { text: f(e.mean) }), h('td', { text: signed(e.bias) }), h('td', { text: f(e.spread) }), h('td', { dataset: { rmse: '' }, text: f(e.rmse) }),
        ]);
      })),
    );
    const label = (/** @type {string} */ name) => tr(/** @type {string} */ (ESTIMATORS.find(([n]) => n === name)?.[1]));
    verdict.textContent = [
      tr('The target\'s true CTR is {truth}; the logging policy\'s is {logged}, and that is what the naive estimate finds: the log tells what the logging policy got, not what the target would.', { truth: f(r.trueCtr), logged: f(r.loggingCtr) }),
      tr('An impression can weigh up to {w} times in IPS (the target shows it that much more often than the logging policy did): the fewer such impressions a log happens to hold, the more IPS swings from log to log (spread {ips}).', { w: r.maxWeight >= 100 ? Math.round(r.maxWeight) : r.maxWeight.toFixed(1), ips: f(byName.ips.spread) }),
      tr('SNIPS divides by the weights the log actually drew: a little bias, less spread ({snips}). DM trusts the model alone: steady, but off by its bias ({dm}). DR starts from the model and corrects it with the weighted errors: unbiased like IPS, steadier the better the model.', { snips: f(byName.snips.spread), dm: signed(byName.dm.bias) }),
      tr('Here {best} came closest (RMSE {rmse}).', { best: label(best.name), rmse: f(best.rmse) }),
    ].join(' ');
    canvas.setAttribute('aria-label', verdict.textContent);
  }

  return { element, destroy: chart.destroy };
}
