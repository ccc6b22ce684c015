// The exploration lab: policies serve simulated users whose true tastes are known, learn from
// the clicks, and their curves show what exploring costs and what it buys. An A/B test splits
// the traffic between two configurations; A/A tests show what stopping early does.
// Everything runs in the worker, a few rounds per request, so Pause is immediate.

import { createLineChart } from '../charts/line-chart.js';
import { createOffPolicy } from './lab-ope.js';
import { h, swatch, uniqueId } from '../ui/dom.js';
import { t, translate as tr } from '../i18n.js';
import { signed } from '../ui/format.js';

/** Okabe-Ito colours, safe for colour-blind viewers. */
const COLOURS = /** @type {Record<string, string>} */ ({
  greedy: '#D55E00', 'epsilon-greedy': '#E69F00', ucb: '#0072B2', thompson: '#009E73', random: '#777777',
});
export const LABELS = /** @type {Record<string, string>} */ ({
  greedy: 'Greedy', 'epsilon-greedy': 'ε-greedy', ucb: 'UCB', thompson: 'Thompson', random: 'Random',
});
const POLICIES = Object.keys(LABELS);
const ROUNDS_PER_REQUEST = 5;

/** @param {number} v @param {number} [d] */
const fix = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'aaPeeking' | 'labStart' | 'labStep' | 'labOffPolicy'>} engine the requests it makes
 * @param {{ hasModel: () => boolean }} host
 */
export function createLabPanel(engine, host) {
  /** @param {string} cls @param {string} label @param {Record<string, any>} attrs */
  const field = (cls, label, attrs) => {
    const input = h('input', { class: `mfp-lab-${cls}`, ...attrs });
    return { input, label: h('label', {}, [t(label), ' ', input]) };
  };
  const world = h('select', { class: 'mfp-lab-world', 'aria-label': t('World') }, [
    h('option', { value: 'generated', text: t('Generated world: 100 users, 200 items, 5 genres') }),
    h('option', { value: 'model', text: t('The trained model as the truth') }),
  ]);
  const checks = POLICIES.map((p) => {
    const box = h('input', { type: 'checkbox', name: `lab-${p}`, checked: true });
    return { p, box, label: h('label', { class: 'mfp-lab-policy' }, [box, ' ', t(LABELS[p])]) };
  });
  const eps = field('epsilon', 'ε', { type: 'range', min: 0, max: 0.5, step: 0.01, value: 0.1 });
  const epsOut = h('output', { class: 'mfp-lab-epsilon-value', text: '0.10' });
  const decay = h('input', { type: 'checkbox', class: 'mfp-lab-decay' });
  const ucbC = field('ucb-c', 'UCB c', { type: 'range', min: 0, max: 3, step: 0.1, value: 1.5 });
  const ucbOut = h('output', { class: 'mfp-lab-ucb-value', text: '1.5' });
  const users = field('users', 'Users per round', { type: 'number', min: 1, max: 500, step: 1, value: 50 });
  const every = field('every', 'Retrain every', { type: 'number', min: 0, max: 100, step: 1, value: 10 });
  const rounds = field('rounds', 'Rounds', { type: 'number', min: 1, max: 5000, step: 1, value: 300 });
  const seed = field('seed', 'Seed', { type: 'number', min: 0, max: 4294967295, step: 1, value: 7 });
  const runBtn = h('button', { type: 'button', class: 'mfp-btn mfp-primary mfp-lab-run', text: t('Run') });
  const pauseBtn = h('button', { type: 'button', class: 'mfp-btn mfp-lab-pause', text: t('Pause'), disabled: true });
  const stepBtn = h('button', { type: 'button', class: 'mfp-btn mfp-lab-step', text: t('Step') });
  const resetBtn = h('button', { type: 'button', class: 'mfp-btn mfp-lab-reset', text: t('Reset') });
  const status = h('p', { class: 'mfp-note mfp-lab-status', role: 'status', 'aria-live': 'polite' });
  const summary = h('p', { class: 'mfp-lab-summary' });

  const chartBox = (/** @type {string} */ cls, /** @type {string} */ label, /** @type {string} */ y) => {
    const canvas = h('canvas', { class: `mfp-chart mfp-lab-chart mfp-lab-${cls}`, role: 'img', 'aria-label': t(label) });
    return { canvas, chart: createLineChart(canvas, { xLabel: tr('round'), yLabel: tr(y), empty: () => tr('Press Run.') }), figure: h('figure', { class: 'mfp-lab-figure' }, [h('figcaption', { text: t(label) }), canvas]) };
  };
  const charts = {
    ctr: chartBox('ctr', 'Click-through rate (cumulative)', 'CTR'),
    regret: chartBox('regret', 'Cumulative regret against the oracle', 'regret'),
    coverage: chartBox('coverage', 'Catalogue coverage', 'share shown'),
    gini: chartBox('gini', 'Concentration of exposure (Gini)', 'Gini'),
  };
  const legend = h('p', { class: 'mfp-legend mfp-lab-legend' });

  // A/B test.
  const pick = (/** @type {string} */ cls, /** @type {string} */ chosen) =>
    h('select', { class: `mfp-lab-${cls}`, 'aria-label': cls === 'ab-a' ? 'Configuration A' : 'Configuration B' },
      POLICIES.map((p) => h('option', { value: p, text: t(LABELS[p]), selected: p === chosen })));
  const abA = pick('ab-a', 'greedy');
  const abB = pick('ab-b', 'thompson');
  const abRun = h('button', { type: 'button', class: 'mfp-btn mfp-lab-ab-run', text: t('Run the A/B test') });
  const abChart = chartBox('ab-chart', 'CTR difference B − A with its 95% interval', 'B − A');
  abChart.figure.hidden = true;
  const abText = h('p', { class: 'mfp-lab-ab-text', role: 'status', 'aria-live': 'polite' });
  const aaBtn = h('button', { type: 'button', class: 'mfp-btn mfp-lab-aa', text: t('Run 200 A/A tests') });
  const aaText = h('p', { class: 'mfp-lab-aa-text', role: 'status', 'aria-live': 'polite' });

  const ope = createOffPolicy(engine, {
    ensure: async () => {
      if (!started) await start();
    },
    seed: () => Number(seed.input.value),
  });

  const idWorld = uniqueId('mfp-lab-world');
  world.id = idWorld;
  const element = h('div', { class: 'mfp-lab', dataset: { lab: 'idle', ab: 'idle' } }, [
    h('p', { class: 'mfp-note', text: t('Each round some users arrive; each policy shows each of them one item chosen from its model, they click with the probability their hidden true taste gives, and the model learns from the clicks (retrained every few rounds). Same users, same start, same seed for every policy.') }),
    h('div', { class: 'mfp-lab-controls' }, [
      h('label', { for: idWorld }, [t('World'), ' ']), world,
      h('span', { class: 'mfp-lab-policies' }, checks.map((c) => c.label)),
    ]),
    h('div', { class: 'mfp-lab-controls' }, [
      eps.label, epsOut, h('label', {}, [decay, ' ', t('decay')]), ucbC.label, ucbOut, users.label, every.label, rounds.label, seed.label,
    ]),
    h('div', { class: 'mfp-actions' }, [runBtn, pauseBtn, stepBtn, resetBtn]),
    status,
    h('div', { class: 'mfp-lab-charts' }, Object.values(charts).map((c) => c.figure)),
    legend,
    summary,
    h('h4', { text: t('A/B test') }),
    h('p', { class: 'mfp-note', text: t('Each request goes to A or B at random; each learns only from its own traffic. Watch the interval: stopping the first time it excludes 0 is not the same as waiting for the planned end.') }),
    h('div', { class: 'mfp-lab-controls' }, [h('label', {}, ['A ', abA]), h('label', {}, ['B ', abB]), abRun]),
    abChart.figure,
    abText,
    h('div', { class: 'mfp-actions' }, [aaBtn]),
    aaText,
    ope.element,
  ]);

  /** @type {{ names: string[], rounds: any[][] }} */
  let data = { names: [], rounds: [] };
  let started = false;
  let running = false;
  let run = 0;

  function setup(/** @type {boolean} */ ab) {
    const policies = ab ? [abA.value, abB.value] : checks.filter((c) => c.box.checked).map((c) => c.p);
    return {
      world: world.value,
      policies,
      ab,
      config: {
        usersPerRound: Number(users.input.value),
        retrainEvery: Number(every.input.value),
        epsilon: Number(eps.input.value),
        decay: decay.checked,
        ucbC: Number(ucbC.input.value),
        seed: Number(seed.input.value),
      },
    };
  }

  function draw() {
    const names = data.names;
    const col = (/** @type {string} */ key) => names.map((name, a) => ({
      name,
      color: COLOURS[name] ?? '#333',
      points: data.rounds.map((r) => r[a][key]),
    }));
    charts.ctr.chart.setSeries(col('ctr'));
    charts.regret.chart.setSeries(col('regret'));
    charts.coverage.chart.setSeries(col('coverage'));
    charts.gini.chart.setSeries(col('gini'));
    legend.replaceChildren(...names.map((n) => swatch(tr(LABELS[n] ?? n), COLOURS[n] ?? '#333')));
    const last = data.rounds.at(-1);
    if (!last) {
      summary.textContent = '';
      return;
    }
    const text = last.map((/** @type {any} */ s) =>
      tr('{name}: CTR {ctr}, regret {regret}, coverage {coverage}%, Gini {gini}', { name: tr(LABELS[s.name] ?? s.name), ctr: fix(s.ctr), regret: Math.round(s.regret).toLocaleString('en'), coverage: Math.round(100 * s.coverage), gini: fix(s.gini, 2) }));
    summary.textContent = tr('After {n} rounds. {text}.', { n: last[0].round, text: text.join(tr('; ')) });
    for (const [key, c] of Object.entries(charts)) {
      c.canvas.setAttribute('aria-label', tr('{chart} after {n} rounds: {values}', { chart: c.figure.querySelector('figcaption')?.textContent, n: last[0].round, values: last.map((/** @type {any} */ s) => `${tr(LABELS[s.name] ?? s.name)} ${fix(s[key], key === 'regret' ? 0 : 3)}`).join(', ') }));
    }
  }

  function setRunning(/** @type {boolean} */ on) {
    running = on;
    pauseBtn.disabled = !on;
    runBtn.disabled = on;
    stepBtn.disabled = on;
    element.dataset.lab = on ? 'running' : started ? 'paused' : 'idle';
  }

  async function start() {
    const s = setup(false);
    if (s.policies.length === 0) throw new Error(tr('choose at least one policy'));
    if (s.world === 'model' && !host.hasModel()) throw new Error(tr('train a model first: it becomes the truth'));
    const { names } = await engine.labStart({ setup: s });
    data = { names, rounds: [] };
    started = true;
    draw();
  }

  async function advance(/** @type {number} */ n) {
    const res = await engine.labStep({ rounds: n });
    data.rounds.push(...res.rounds);
    draw();
    status.textContent = tr('Round {n} of {total}.', { n: data.rounds.length, total: rounds.input.value });
  }

  async function play() {
    const me = ++run;
    status.textContent = '';
    try {
      if (!started) await start();
      setRunning(true);
      const target = Number(rounds.input.value);
      while (me === run && data.rounds.length < target) {
        await advance(Math.min(ROUNDS_PER_REQUEST, target - data.rounds.length));
      }
      if (me === run) {
        setRunning(false);
        element.dataset.lab = 'done';
      }
    } catch (err) {
      if (me === run) setRunning(false);
      status.textContent = String(/** @type {any} */ (err).message ?? err);
    }
  }

  function pause() {
    run += 1;
    setRunning(false);
  }

  function reset() {
    run += 1;
    started = false;
    data = { names: [], rounds: [] };
    setRunning(false);
    status.textContent = '';
    draw();
  }

  runBtn.addEventListener('click', () => play());
  pauseBtn.addEventListener('click', () => pause());
  resetBtn.addEventListener('click', () => reset());
  stepBtn.addEventListener('click', async () => {
    try {
      if (!started) await start();
      await advance(1);
      element.dataset.lab = 'paused';
    } catch (err) {
      status.textContent = String(/** @type {any} */ (err).message ?? err);
    }
  });
  eps.input.addEventListener('input', () => (epsOut.textContent = Number(eps.input.value).toFixed(2)));
  ucbC.input.addEventListener('input', () => (ucbOut.textContent = Number(ucbC.input.value).toFixed(1)));
  // A different set-up is a different experiment: start again.
  for (const el of [world, decay, eps.input, ucbC.input, users.input, every.input, seed.input, ...checks.map((c) => c.box)]) {
    el.addEventListener('change', () => {
      if (started) {
        reset();
        status.textContent = tr('Settings changed: press Run to start again.');
      }
    });
  }

  // The A/B test runs on a lab of its own in the worker: the comparison above stays as it is,
  // its charts and its place (it can go on after).
  let abRunId = 0;
  abRun.addEventListener('click', async () => {
    const me = ++abRunId;
    pause();
    element.dataset.ab = 'running';
    abRun.disabled = true;
    abChart.figure.hidden = false;
    /** @type {any[]} */
    const intervals = [];
    try {
      const s = setup(true);
      if (s.world === 'model' && !host.hasModel()) throw new Error(tr('train a model first: it becomes the truth'));
      await engine.labStart({ setup: s });
      const target = Number(rounds.input.value);
      let first = -1;
      while (me === abRunId && intervals.length < target) {
        const res = await engine.labStep({ rounds: Math.min(10, target - intervals.length), ab: true });
        intervals.push(...res.intervals);
        if (first < 0) first = intervals.findIndex((iv) => iv?.significant);
        const pts = (/** @type {string} */ k) => intervals.map((iv) => (iv ? iv[k] : NaN));
        abChart.chart.setSeries([
          { name: 'zero', color: '#999999', points: intervals.map(() => 0), dash: [2, 3] },
          { name: 'low', color: '#0072B2', points: pts('low'), dash: [6, 4] },
          { name: 'high', color: '#0072B2', points: pts('high'), dash: [6, 4] },
          { name: 'B − A', color: '#D55E00', points: pts('diff') },
        ]);
        const iv = intervals.at(-1);
        if (iv) {
          abText.textContent = tr('Round {n}: B − A = {diff} (CTR {b} vs {a}), 95% interval [{low}, {high}]: {verdict}.', {
            n: intervals.length, diff: signed(iv.diff), b: fix(iv.ctrB), a: fix(iv.ctrA), low: signed(iv.low), high: signed(iv.high), verdict: tr(iv.significant ? 'significant' : 'not significant'),
          }) + (first >= 0 ? ` ${tr('It first looked significant at round {n}.', { n: first + 1 })}` : '');
          abChart.canvas.setAttribute('aria-label', abText.textContent);
        }
      }
      element.dataset.ab = 'done';
    } catch (err) {
      abText.textContent = String(/** @type {any} */ (err).message ?? err);
      element.dataset.ab = 'idle';
    } finally {
      abRun.disabled = false;
    }
  });

  aaBtn.addEventListener('click', async () => {
    aaBtn.disabled = true;
    aaText.textContent = tr('Running 200 A/A tests…');
    try {
      if (!started) await start();
      const n = Number(rounds.input.value) > 0 ? Math.min(200, Number(rounds.input.value)) : 100;
      const p = await engine.aaPeeking({ usersPerRound: Number(users.input.value), rounds: n, runs: 200, seed: Number(seed.input.value) });
      aaText.textContent = tr('200 A/A tests (A and B identical, {n} rounds each): waiting for the planned end, {end}% declare a difference (about the promised 5%); stopping at the first significant look, {peek}% do.', { n, end: Math.round(100 * p.falseAlarmsAtEnd), peek: Math.round(100 * p.falseAlarmsPeeking) });
      element.dataset.aa = 'done';
    } catch (err) {
      aaText.textContent = String(/** @type {any} */ (err).message ?? err);
    } finally {
      aaBtn.disabled = false;
    }
  });

  return {
    element,
    pause,
    destroy() {
      run += 1;
      abRunId += 1;
      Object.values(charts).forEach((c) => c.chart.destroy());
      abChart.chart.destroy();
      ope.destroy();
    },
  };
}
