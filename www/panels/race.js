// The optimiser race: every algorithm the engine's registry enters in it (SGD, Adam, RMSprop and
// ALS) from the same seed on the same split, their error curves overlaid, one epoch of each per
// request so Stop is immediate. Where the engine trains on one thread, a long race's racers are
// shared out to extra workers (pool.js), each stepping its own, to the same numbers.

import { createLineChart } from '../charts/line-chart.js';
import { h, swatch } from '../ui/dom.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';
import { recruiter, stepApart } from '../pool.js';

/** Colour-blind-safe colours (Okabe & Ito), one per racer in the engine's order. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'raceStart' | 'raceStep'>} engine the requests it makes
 * @param {() => { params: object, testFraction: number, epochs: number, algorithms: import('../algorithms.js').AlgorithmInfo[], families: import('../algorithms.js').FamilyInfo[] }} settings
 * @param {import('./cross-validation.js').Pooling} [pooling] extra workers for the racers
 */
export function createRacePanel(engine, settings, pooling) {
  const canvas = h('canvas', { class: 'mfp-chart mfp-race-chart', role: 'img', 'aria-label': t('Optimiser race') });
  const start = h('button', { type: 'button', class: 'mfp-btn mfp-race-start', text: t('Start the race') });
  const note = h('p', { class: 'mfp-note mfp-race-note', text: t('Same data, same seed, same knobs: how fast does each optimiser bring the error down?') });
  const legend = h('ul', { class: 'mfp-race-legend' });
  const element = h('div', { class: 'mfp-race', dataset: { race: 'idle' } }, [h('div', { class: 'mfp-actions' }, [start]), note, canvas, legend]);
  const chart = createLineChart(canvas, { xLabel: tr('epoch'), yLabel: 'RMSE', empty: () => tr('Press “Start the race”: each optimiser\'s error per epoch is drawn here.') });
  let running = false;
  let run = 0;
  /** The extra workers of the race under way, if any. @type {{ destroy: () => void } | null} */
  let pool = null;

  start.addEventListener('click', () => (running ? stop() : go()));

  function stop() {
    running = false;
    run += 1;
    pool?.destroy();
    pool = null;
    start.textContent = tr('Start the race');
    element.dataset.race = 'idle';
  }

  async function go() {
    const me = ++run;
    running = true;
    start.textContent = tr('Stop');
    element.dataset.race = 'running';
    const s = settings();
    /** @type {Record<string, { rmse: number[], millis: number }>} */
    const curves = {};
    try {
      const args = { params: s.params, testFraction: s.testFraction };
      const { names } = await engine.raceStart(args);
      if (me !== run) return;
      for (const n of names) curves[n] = { rmse: [], millis: 0 };
      const useTest = s.testFraction > 0;
      const perEpochNote = tr(useTest ? 'Test RMSE per epoch.' : 'Training RMSE per epoch.');
      note.textContent = perEpochNote;
      const live = () => me === run;
      const want = Math.min(pooling?.helpers() ?? 0, names.length - 1);
      element.dataset.workers = '1';
      const recruit = want > 0 && pooling
        ? recruiter(pooling.startPool, want, (e) => e.request('raceStart', args), live, (p) => { pool = p; }, (w) => {
          element.dataset.workers = String(w);
          note.textContent = `${perEpochNote} ${tr('The racers are shared out to {n} workers, one per core.', { n: w })}`;
        })
        : null;
      /** @type {import('../pool.js').Stepper<any>} */
      const step = async (helper, entries, epochs) => {
        const { laps } = helper ? await helper.request('raceStep', { epochs, entries }) : await engine.raceStep({ epochs, entries });
        return laps.map((/** @type {any} */ lap) => ({ ran: lap.reports.length, ms: lap.reports.reduce((/** @type {number} */ t, /** @type {any} */ r) => t + r.millis, 0), data: lap }));
      };
      await stepApart(names.length, s.epochs, step, recruit, (results) => {
        for (const { data: lap } of results) {
          for (const r of lap.reports) {
            curves[lap.name].rmse.push(useTest ? r.testRmse : r.rmse);
            curves[lap.name].millis += r.millis;
          }
        }
        draw(curves);
      }, live);
      pool?.destroy();
      pool = null;
      if (me === run) {
        stop();
        element.dataset.race = 'done';
      }
    } catch (err) {
      note.textContent = String(/** @type {any} */ (err).message ?? err);
      stop();
    }
  }

  /** @param {Record<string, { rmse: number[], millis: number }>} curves */
  function draw(curves) {
    const names = Object.keys(curves);
    // A racer is an optimiser of MF or a neural family: the engine names both.
    const { algorithms, families } = settings();
    const label = (/** @type {string} */ n) => tr([...algorithms, ...families].find((a) => a.name === n)?.label ?? n);
    const colour = (/** @type {number} */ j) => COLOURS[j % COLOURS.length];
    chart.setSeries(names.map((n, j) => ({ name: label(n), color: colour(j), points: curves[n].rmse })));
    legend.replaceChildren(...names.map((n, j) => {
      const c = curves[n];
      const last = c.rmse.at(-1) ?? NaN;
      const text = tr('{name}: {v} after {n} epochs, {ms} ms per epoch', { name: label(n), v: Number.isFinite(last) ? last.toFixed(4) : tr('diverged'), n: c.rmse.length, ms: perEpoch(c.millis / Math.max(1, c.rmse.length)) });
      return swatch(text, colour(j), 'li', { dataset: { racer: n, value: String(last) } });
    }));
  }

  return {
    element,
    /** A new data set or model ends the race shown. */
    reset() {
      stop();
      chart.setSeries([]);
      legend.replaceChildren();
    },
    destroy: () => {
      stop();
      chart.destroy();
    },
  };
}

/** @param {number} ms */
function perEpoch(ms) {
  return ms < 0.1 ? '< 0.1' : ms.toFixed(1);
}
