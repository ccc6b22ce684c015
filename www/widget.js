// The playground widget: mount(root, options) -> { setState, play, pause, step, reset, destroy }.
// It touches nothing outside `root`; every class is prefixed `mfp-`; the worker and the wasm are
// resolved from this module's URL, so the widget works on any page under any sub-path.

import { createEngineClient } from './engine-client.js';
import { createBalancePanel } from './panels/balance.js';
import { createEmbeddingsPanel } from './panels/embeddings.js';
import { createEvaluationPanel, evaluatesLive } from './panels/evaluation.js';
import { createExplainPanel } from './panels/explain.js';
import { createLabPanel } from './panels/lab.js';
import { createLessonBar } from './lessons.js';
import { createMatricesPanel } from './panels/matrices.js';
import { createRacePanel } from './panels/race.js';
import { createTrainingPanel, fmtMetric } from './panels/training.js';
import { begun, createChallenge, createPresenterKeys } from './classroom.js';
import { createRecommendPanel } from './panels/recommend.js';
import { choosesLoss, infoOf, normalizes, uses } from './algorithms.js';
import { createSession } from './session.js';
import { createStore, DATASET_PRESETS, DEFAULTS, knobNames } from './state.js';
import { createControls, TRAINING_KNOBS } from './ui/controls.js';
import { createDataPanel } from './ui/data-panel.js';
import { createIoPanel } from './ui/io-panel.js';
import { h, setText } from './ui/dom.js';
import { encodeInline, MAX_INLINE_RATINGS, withInline } from './inline.js';
import { engineMessage, LANGUAGES, relabel, setLanguage, t, translate as tr } from './i18n.js';

/** @typedef {import('./state.js').Knobs} Knobs */

/** Every panel, by the name used in the `panels` knob. */
export const PANELS = [
  ['loss', 'Training'], ['observed', 'Observed'], ['predicted', 'Predicted'], ['residual', 'Residual'],
  ['truth', 'Truth'], ['explain', 'Explain'], ['embeddings', 'Embeddings'], ['recommend', 'Recommendations'],
  ['evaluation', 'Evaluation'], ['balance', 'Size vs accuracy'], ['race', 'Optimiser race'], ['lab', 'Exploration lab'],
];

/** Views that follow the model refresh at most this often while training (ms). */
const LIVE_REFRESH_MS = 250;

/**
 * @param {HTMLElement} root
 * @param {{
 *   knobs?: Partial<Knobs>, onKnobs?: (k: Knobs) => void, shareUrl?: () => string, inline?: string | null,
 *   compact?: boolean, controls?: string[],
 * }} [options] `compact` shows only the panels, the buttons and the knobs named in `controls`
 *   (default: factors, learning rate, regularisation, epochs)
 */
export function mount(root, options = {}) {
  const store = createStore({
    // A data set brings its preset knobs (factors, rate...) unless the options say otherwise.
    knobs: /** @type {Knobs} */ ({ ...DEFAULTS, ...DATASET_PRESETS[options.knobs?.dataset ?? ''], ...options.knobs }),
    status: 'loading',
    /** The engine's algorithms (the `describe` request): the optimiser menu and its rules. @type {import('./algorithms.js').AlgorithmInfo[]} */
    algorithms: [],
    /** A separate test file given for the loaded data. @type {{ name: string, nRatings: number, dropped: number } | null} */
    testFile: null,
    generation: 0,
    modelVersion: 0,
    epoch: 0,
    /** An epoch is partly done (a run paused mid-epoch): Resume continues it. */ inEpoch: false,
    /** @type {any[]} */ history: [],
    /** @type {any} */ summary: null,
    /** @type {Float32Array | null} */ observed: null,
    /** @type {Float32Array | null} */ predicted: null,
    /** Observed minus predicted per view cell, from the engine. @type {Float32Array | null} */ residual: null,
    /** @type {Float32Array | null} */ testMask: null,
    /** @type {Float32Array | null} */ truth: null,
    /** @type {{ user: number, item: number } | null} */ selected: null,
    diverged: false,
    /** @type {{ code: string, message: string } | null} */ error: null,
    /** @type {string | null} */ invalid: null,
    /** @type {{ fraction: number } | null} */ progress: null,
    edited: false,
    /** @type {{ epoch: number, best: number } | null} */ stopped: null,
    binarised: false,
    /** Bytes of the engine's WebAssembly memory (its peak: it only grows). */ engineMemory: 0,
  });

  // Text made from here on is in the widget's language (text made by t() follows changes).
  setLanguage(store.get().knobs.lang);
  const emit = (/** @type {string} */ type, /** @type {any} */ detail) => root.dispatchEvent(new CustomEvent(`mfp:${type}`, { detail }));
  // The worker resolves from this module's URL; the single-file build (offline.js) puts one
  // in place from the page itself instead.
  const workerUrl = new URL('./engine.worker.js', import.meta.url);
  const offline = /** @type {any} */ (globalThis).__mfpCreateWorker;
  const engine = createEngineClient(() => (offline ? offline() : new Worker(workerUrl, { type: 'module' })));
  const session = createSession(engine, store, emit);

  /** @param {string} name @param {any} value */
  function setKnob(name, value) {
    let knobs = { ...store.get().knobs, [name]: value };
    if (name === 'dataset') knobs = { ...knobs, ...DATASET_PRESETS[value] };
    if (name === 'synImplicit') knobs = { ...knobs, loss: value ? 'logistic' : 'squared' };
    store.set({ knobs, invalid: null });
    controls.setValues(knobs);
    options.onKnobs?.(knobs);
    session.changeKnobs([name]);
  }
  const onInvalid = (/** @type {string} */ _name, /** @type {string | null} */ message) => store.set({ invalid: message });

  const controls = createControls(TRAINING_KNOBS, store.get().knobs, setKnob, onInvalid);
  const dataPanel = createDataPanel({
    knobs: store.get().knobs,
    onKnob: setKnob,
    onInvalid,
    preview: (data, opts, titles) => session.previewFile(data, opts, titles),
    commit: async (name) => {
      const said = await session.commitPreview({ name });
      controls.setValues(store.get().knobs);
      options.onKnobs?.(store.get().knobs);
      return said;
    },
    applyTitles: (titles) => session.applyTitles(titles),
    setTestFile: (bytes, name) => session.setTestFile(bytes, name),
  });

  const btn = (/** @type {string} */ text, /** @type {string} */ cls, /** @type {() => void} */ onclick, /** @type {string} */ title) =>
    h('button', { type: 'button', class: `mfp-btn ${cls}`, text: t(text), title: t(title), onclick });
  const trainBtn = btn('Train', 'mfp-train mfp-primary', () => session.train(), 'Start again from epoch 0 and train for the chosen number of epochs');
  const pauseBtn = btn('Pause', 'mfp-pause', () => (session.isPlaying() ? session.pause() : session.play()), t('Pause or resume training').key);
  const stepBtn = btn('Step', 'mfp-step', () => session.step(), 'Train one more epoch');
  const resetBtn = btn('Reset', 'mfp-reset', () => session.reset(), 'New random initial model, epoch 0');
  const shareMsg = h('span', { class: 'mfp-share-msg', role: 'status' });
  const langSelect = h('select', { class: 'mfp-lang', 'aria-label': t('Language') },
    LANGUAGES.map((l) => h('option', { value: l, text: l === 'zh' ? '中文' : 'English', lang: l === 'zh' ? 'zh-CN' : 'en' })));
  langSelect.value = store.get().knobs.lang;
  langSelect.addEventListener('change', () => setKnob('lang', langSelect.value));
  const panelChecks = PANELS.map(([name, label]) => {
    const box = h('input', { type: 'checkbox', name: `panel-${name}` });
    box.addEventListener('change', () => {
      const on = PANELS.map(([n]) => n).filter((n) => /** @type {HTMLInputElement} */ (panelsMenu.querySelector(`[name="panel-${n}"]`)).checked);
      setKnob('panels', on.length === PANELS.length ? 'all' : on.join(',') || 'none');
    });
    return h('label', {}, [box, ' ', t(label)]);
  });
  const panelsMenu = h('details', { class: 'mfp-panels-menu' }, [h('summary', { class: 'mfp-btn', text: t('Panels') }), h('div', { class: 'mfp-panels-list' }, panelChecks)]);
  const shareBtn = btn('Share', 'mfp-share', () => share(), 'Copy a link that reproduces this run');

  async function share() {
    let url = options.shareUrl ? options.shareUrl() : location.href;
    const s = store.get();
    let note = '';
    if (s.summary && (s.knobs.dataset === 'file' || s.edited)) {
      if (s.summary.nRatings <= MAX_INLINE_RATINGS) {
        const { csv } = await session.api.exportRatings();
        url = withInline(url, await encodeInline(csv));
      } else {
        note = ` ${tr('The data ({n} ratings) is too big for a link: share the file with it.', { n: s.summary.nRatings })}`;
      }
    }
    root.dataset.shareUrl = url;
    try {
      await navigator.clipboard.writeText(url);
      shareMsg.textContent = `${tr('Link copied.')}${note}`;
    } catch {
      shareMsg.textContent = `${url}${note}`;
    }
  }

  const metric = (/** @type {string} */ name, /** @type {string} */ label) => {
    const dd = h('dd', { dataset: { metric: name }, text: '–' });
    return { dd, nodes: [h('dt', { text: t(label) }), dd] };
  };
  const metrics = {
    epoch: metric('epoch', 'Epoch'),
    loss: metric('train-loss', 'Train loss'),
    rmse: metric('train-rmse', 'Train RMSE'),
    testRmse: metric('test-rmse', 'Test RMSE'),
    testMae: metric('test-mae', 'Test MAE'),
    memory: metric('engine-memory', 'Engine memory'),
  };
  const statusText = h('p', { class: 'mfp-status', role: 'status', 'aria-live': 'polite' });
  const errorBox = h('p', { class: 'mfp-error', role: 'alert', hidden: true });

  const trainingPanel = createTrainingPanel(() => store.get().history);
  const bestBtn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-restore-best' });
  const stoppedNote = h('p', { class: 'mfp-stopped', role: 'status', hidden: true }, [h('span', { class: 'mfp-stopped-text' }), ' ', bestBtn]);
  bestBtn.addEventListener('click', () => session.restoreBest());
  const { api } = session;
  const explain = createExplainPanel({ explain: api.explain });
  const matrices = createMatricesPanel({
    onSelect: (cell) => store.set({ selected: cell }),
    onEdit: (user, item, value) => session.setRating(user, item, value),
  });
  const recommend = createRecommendPanel({ recommend: api.recommend, foldIn: api.foldIn }, { onExplain: (user, item) => store.set({ selected: { user, item } }) });
  const embeddings = createEmbeddingsPanel({ embeddings: api.embeddings, similar: api.similar }, { onUser: (u) => recommend.selectUser(u) });
  const evaluation = createEvaluationPanel({
    evaluate: api.evaluate, cvStart: api.cvStart, cvFold: api.cvFold, generation: session.generation, evaluateEpochs: session.evaluateEpochs,
  }, () => session.params());
  const race = createRacePanel({ raceStart: api.raceStart, raceStep: api.raceStep }, () => {
    const k = store.get().knobs;
    return { params: session.params(), testFraction: k.testFraction, epochs: k.nEpochs, algorithms: store.get().algorithms };
  });

  const balance = createBalancePanel({ sweepStart: api.sweepStart, sweepPoint: api.sweepPoint, sweepFronts: api.sweepFronts }, {
    base: () => {
      const k = store.get().knobs;
      return { params: session.params(), testFraction: k.testFraction };
    },
    load: (p) => {
      // Exactly the sweep's model: its factors, regularisation and epochs, no early stopping.
      store.set({ knobs: { ...store.get().knobs, nFactors: p.nFactors, reg: Number(p.reg.toPrecision(6)), nEpochs: p.epochs, patience: 0 } });
      session.train();
    },
  });
  const io = createIoPanel({
    exportModel: api.exportModel, exportProjector: api.exportProjector, exportPredictions: api.exportPredictions,
    exportRecommendations: api.exportRecommendations, importModel: session.importModel,
  }, { dataName: () => store.get().knobs.dataset });
  const lab = createLabPanel({ labStart: api.labStart, labStep: api.labStep, aaPeeking: api.aaPeeking }, { hasModel: () => store.get().epoch > 0 && !store.get().diverged });

  const tt = (/** @type {string | import('./i18n.js').Text} */ x) => (typeof x === 'string' ? t(x) : x);
  const panel = (/** @type {string | import('./i18n.js').Text} */ title, /** @type {string} */ note, /** @type {Node[]} */ body, /** @type {string} */ name) =>
    h('section', { class: `mfp-panel mfp-panel-${name}`, 'aria-label': tt(title) }, [
      h('header', {}, [h('h3', { text: tt(title) }), h('span', { class: 'mfp-note', text: tt(note) })]),
      ...body,
    ]);

  root.classList.add('mfp');
  if (options.compact) root.classList.add('mfp-compact');
  const compactKeep = new Set(options.controls ?? ['nFactors', 'learningRate', 'reg', 'nEpochs']);
  /** Teacher mode: hidden and locked knobs, from the link. @param {Knobs} k */
  function applyTeacher(k) {
    const hidden = new Set(knobNames(k.hide));
    for (const { name } of TRAINING_KNOBS) controls.setVisible(name, !hidden.has(name) && (!options.compact || compactKeep.has(name)));
    for (const name of knobNames(k.lock)) controls.setEnabled(name, false);
  }

  // The challenge a teacher sets in the link, checked after every epoch.
  /** Sets several knobs at once: a reload, a reset or a change of parameters, as they need. @param {Partial<Knobs>} knobs */
  function applyKnobs(knobs) {
    const before = store.get().knobs;
    const changed = Object.keys(knobs).filter((k) => /** @type {any} */ (knobs)[k] !== /** @type {any} */ (before)[k]);
    store.set({ knobs: { ...before, ...knobs } });
    controls.setValues(store.get().knobs);
    session.changeKnobs(changed);
  }
  const lessons = createLessonBar({ apply: applyKnobs, root });
  // A lesson's check may look at what a panel finished (a race, a sweep, the lab) or at an input:
  // look again when those change, not only when the state does.
  const recheck = () => store.get().knobs.lesson && lessons.update(store.get());
  const panelsWatch = new MutationObserver(recheck);
  // Attributes only: the lesson bar writes text, and watching text would watch itself.
  panelsWatch.observe(root, { subtree: true, attributeFilter: ['data-race', 'data-lab', 'data-ab', 'data-aa', 'data-sweep', 'data-loaded', 'data-added'] });
  root.addEventListener('change', recheck);

  const challenge = createChallenge(root);
  const presenter = createPresenterKeys(store, session);
  root.ownerDocument.addEventListener('keydown', presenter.onKey);
  root.replaceChildren(
    lessons.element,
    h('div', { class: 'mfp-toolbar' }, [controls.element, h('div', { class: 'mfp-actions' }, [trainBtn, pauseBtn, stepBtn, resetBtn, shareBtn, panelsMenu, langSelect, shareMsg])]),
    challenge.element,
    presenter.help,
    dataPanel.element,
    io.element,
    h('div', { class: 'mfp-summary' }, [statusText, h('dl', { class: 'mfp-metrics' }, Object.values(metrics).flatMap((m) => m.nodes))]),
    errorBox,
    stoppedNote,
    h('div', { class: 'mfp-panels' }, [
      panel('Training', 'error per epoch on the training ratings (and the held-out test ratings)', trainingPanel.body, 'loss'),
      ...matrices.panels.map((p) => panel(p.title, p.note, p.body, p.name)),
      panel('Explain a prediction', 'μ + b_u + b_i + each factor\'s part', [explain.element], 'explain'),
      panel('Embeddings', 'users and items in the same space', [embeddings.element], 'embeddings'),
      panel('Recommendations', 'top items a user has not rated', [recommend.element], 'recommend'),
      panel('Evaluation', 'the model against baselines, on accuracy and beyond', [evaluation.element], 'evaluation'),
      panel('Size, accuracy and time', 'a sweep over factors, regularisation and epochs, with the Pareto fronts', [balance.element], 'balance'),
      panel('Optimiser race', 'SGD, Adam, RMSprop and ALS from the same start', [race.element], 'race'),
      panel('Exploration lab', 'exploration vs exploitation: policies, feedback loops and A/B tests on simulated users', [lab.element], 'lab'),
    ]),
  );

  let liveTimer = 0;
  let evalTimer = 0;
  /** Evaluates once the model has not changed for a second and training has stopped, so the
   * worker is never busy with it when the user pauses and asks for something. */
  function scheduleEvaluation() {
    clearTimeout(evalTimer);
    evalTimer = window.setTimeout(() => {
      const s = store.get();
      if (s.status !== 'training') evaluation.refresh(s.summary, s.epoch);
    }, 1000);
  }
  /** When the embedding map may be fetched again: its PCA is the costliest live view, so it
   * waits ten times as long as it took (keeping the worker free for what the user asks). */
  let embedNext = 0;
  function refreshLive() {
    if (liveTimer) return;
    liveTimer = window.setTimeout(async () => {
      liveTimer = 0;
      const s = store.get();
      recommend.refresh(s.summary);
      explain.show(s.selected, s.summary);
      // The evaluation table costs about a pass over the data: live only on small data; on
      // large data it waits until the model has been still for a moment (see evalTimer).
      if (evaluatesLive(s.summary, s.knobs.nFactors)) evaluation.refresh(s.summary, s.epoch);
      else {
        if (s.status === 'training') evaluation.deferred();
        scheduleEvaluation();
      }
      const now = performance.now();
      if (s.status !== 'training' || now >= embedNext) {
        await embeddings.refresh(s.summary);
        embedNext = performance.now() + 10 * (performance.now() - now);
      } else {
        refreshLive();
      }
    }, LIVE_REFRESH_MS);
  }

  const unsubscribe = store.subscribe((s, prev) => render(s, prev));

  /** @param {ReturnType<typeof store.get>} s @param {ReturnType<typeof store.get>} prev */
  function render(s, prev) {
    if (s.knobs.lang !== prev.knobs?.lang) {
      setLanguage(s.knobs.lang);
      langSelect.value = s.knobs.lang;
      root.lang = s.knobs.lang === 'zh' ? 'zh-CN' : 'en';
      if (prev.knobs) {
        relabel(root);
        trainingPanel.relabel();
        trainingPanel.draw(s.history);
        refreshLive();
      }
    }
    // Other data: at once, the evaluation stops describing what is no longer loaded.
    if (s.summary !== prev.summary) evaluation.track(s.summary);
    root.dataset.status = s.status === 'loading' ? 'idle' : s.status;
    root.dataset.loading = String(s.status === 'loading');
    root.dataset.epoch = String(s.epoch);
    root.dataset.diverged = String(s.diverged);
    root.dataset.dataset = s.knobs.dataset;
    root.dataset.edited = String(Boolean(s.edited));
    const last = s.history.at(-1);
    setText(metrics.epoch.dd, String(s.epoch));
    setText(metrics.loss.dd, last ? fmtMetric(last.loss) : '–');
    setText(metrics.rmse.dd, last ? fmtMetric(last.rmse) : '–');
    setText(metrics.testRmse.dd, last?.testRmse != null ? fmtMetric(last.testRmse) : '–');
    setText(metrics.testMae.dd, last?.testMae != null ? fmtMetric(last.testMae) : '–');
    setText(metrics.memory.dd, s.engineMemory ? tr('{mb} MB (peak)', { mb: (s.engineMemory / 2 ** 20).toFixed(1) }) : '–');
    setText(statusText, describe(s));
    const training = s.status === 'training';
    const loading = s.status === 'loading';
    // Before the model's first update there is nothing to pause or resume: Train starts.
    setText(pauseBtn, tr(training || !begun(s) ? 'Pause' : 'Resume'));
    pauseBtn.disabled = loading || s.diverged || (!training && (!begun(s) || s.epoch >= s.knobs.nEpochs));
    stepBtn.disabled = training || loading || s.diverged || !s.summary;
    trainBtn.disabled = loading || s.invalid !== null || !s.summary;
    // What each knob does for the chosen algorithm, as the engine describes it.
    const algo = infoOf(s.algorithms, s.knobs.algorithm);
    if (s.algorithms !== prev.algorithms) controls.setOptions('algorithm', s.algorithms.map((a) => [a.name, a.label]), s.knobs.algorithm);
    controls.setEnabled('learningRate', uses(algo, 'learningRate'));
    controls.setEnabled('batchSize', uses(algo, 'batchSize'));
    controls.setEnabled('loss', choosesLoss(algo));
    errorBox.hidden = !s.error && !s.invalid && !s.diverged;
    setText(errorBox, s.invalid
      ? s.invalid
      : s.error
        ? tr('Error: {message}', { message: engineMessage(s.error.message) })
        : s.diverged
          ? tr('Training diverged at epoch {epoch}: the loss is no longer a finite number. Lower the learning rate and press Reset.', { epoch: s.epoch })
          : '');
    if (s.knobs !== prev.knobs) {
      dataPanel.update(s.knobs);
      if (prev.knobs) {
        controls.setValues(s.knobs);
        options.onKnobs?.(s.knobs);
      }
    }
    controls.setEnabled('threshold', Boolean(s.binarised || s.summary?.feedback === 'explicit'));
    controls.setEnabled('normalization', normalizes(algo, s.knobs.loss));
    // A test file is the test part: the share has nothing to do.
    controls.setEnabled('testFraction', !s.testFile);
    if (prev.testFile && !s.testFile) dataPanel.clearTestFile();
    applyTeacher(s.knobs);
    root.classList.toggle('mfp-present', s.knobs.present);
    if (s.history !== prev.history || s.knobs !== prev.knobs || s.epoch !== prev.epoch) challenge.check(s);
    lessons.update(s);
    stoppedNote.hidden = !s.stopped;
    if (s.stopped) {
      setText(/** @type {HTMLElement} */ (stoppedNote.firstChild), tr('Early stopping at epoch {epoch}: the validation error has not improved for {patience} epochs. The best was epoch {best}.', { epoch: s.stopped.epoch, patience: s.knobs.patience, best: s.stopped.best }));
      setText(bestBtn, tr('Use the model of epoch {epoch}', { epoch: s.stopped.best }));
    }
    if (s.progress !== prev.progress) dataPanel.setProgress(s.progress);
    if (s.history !== prev.history || s.epoch !== prev.epoch) trainingPanel.draw(s.history);
    if (s.summary && s.summary !== prev.summary) {
      recommend.setData(s.summary);
      race.reset();
      balance.reset();
      // New titles or genres for the same model (a titles file given after the ratings): the
      // views that show them follow, as they do a new model.
      refreshLive();
    }
    matrices.update(s, prev);
    if (s.knobs.panels !== prev.knobs?.panels || s.truth !== prev.truth) showPanels(s);
    if (s.selected !== prev.selected) explain.show(s.selected, s.summary);
    if (s.modelVersion !== prev.modelVersion) refreshLive();
  }

  /** Shows the panels the `panels` knob names (the truth only when there is one). @param {ReturnType<typeof store.get>} s */
  function showPanels(s) {
    const only = s.knobs.panels === 'all' ? null : new Set(s.knobs.panels.split(','));
    for (const [name] of PANELS) {
      const section = /** @type {HTMLElement | null} */ (root.querySelector(`.mfp-panel-${name}`));
      if (section) section.hidden = (only !== null && !only.has(name)) || (name === 'truth' && !s.truth);
      const box = /** @type {HTMLInputElement | null} */ (panelsMenu.querySelector(`[name="panel-${name}"]`));
      if (box) box.checked = only === null || only.has(name);
    }
  }

  render(store.get(), { ...store.get(), knobs: /** @type {any} */ (null), history: /** @type {any} */ (null) });
  if (options.inline) session.loadInline(options.inline);
  else session.load();

  return {
    /** @param {Partial<Knobs>} knobs */
    setState(knobs) {
      applyKnobs(knobs);
    },
    /** Alias of setState, as documented for embedding. @param {Partial<Knobs>} knobs */
    setParams(knobs) {
      this.setState(knobs);
    },
    play: () => session.play(),
    pause: () => session.pause(),
    step: () => session.step(),
    reset: () => session.reset(),
    train: () => session.train(),
    destroy() {
      root.ownerDocument.removeEventListener('keydown', presenter.onKey);
      panelsWatch.disconnect();
      unsubscribe();
      session.pause();
      engine.destroy();
      trainingPanel.destroy();
      matrices.destroy();
      embeddings.destroy();
      race.destroy();
      lab.destroy();
      balance.destroy();
      if (liveTimer) clearTimeout(liveTimer);
      clearTimeout(evalTimer);
      root.replaceChildren();
      root.classList.remove('mfp');
    },
  };
}

/** @param {any} s */
function describe(s) {
  if (s.status === 'loading') return tr('Loading the engine and the data…');
  if (!s.summary) {
    if (s.knobs.dataset !== 'file') return '';
    // A link made with a file that is too big to carry: say which file reproduces its run.
    if (s.knobs.fingerprint) {
      return tr('This link was made with {name} ({n} ratings): choose or drop that file in the Data section to reproduce its run.', {
        name: s.knobs.fileName || tr('a ratings file'), n: Number(s.knobs.fingerprint.split('-')[0]).toLocaleString('en'),
      });
    }
    return tr('Choose, drop or paste a ratings file in the Data section.');
  }
  const d = s.summary;
  const kind = d.feedback === 'implicit' ? tr('implicit 0/1') : tr('scale {min}–{max}', { min: +d.scale.min.toPrecision(3), max: +d.scale.max.toPrecision(3) });
  const data = tr('{users} users × {items} items, {ratings} ratings ({share}% known), {kind}', {
    users: d.nUsers, items: d.nItems, ratings: d.nRatings, share: (100 * d.density).toFixed(d.density < 0.1 ? 1 : 0), kind,
  });
  const phase = tr(s.status === 'training' ? 'training' : s.epoch === 0 ? 'ready to train' : s.epoch >= s.knobs.nEpochs ? 'trained' : 'paused');
  // Stepped past the target: say so, not "epoch 61 of 60".
  if (s.epoch > s.knobs.nEpochs) return tr('{data} · epoch {epoch}, {more} past the {total} set · {phase}', { data, epoch: s.epoch, more: s.epoch - s.knobs.nEpochs, total: s.knobs.nEpochs, phase });
  return tr('{data} · epoch {epoch} of {total} · {phase}', { data, epoch: s.epoch, total: s.knobs.nEpochs, phase });
}
