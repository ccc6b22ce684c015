// The playground widget: mount(root, options) -> { setState, play, pause, step, reset, destroy }.
// It touches nothing outside `root`; every class is prefixed `mfp-`; the worker and the wasm are
// resolved from this module's URL, so the widget works on any page under any sub-path.

import { createEngineClient } from './engine-client.js';
import { createBalancePanel } from './panels/balance.js';
import { createEmbeddingsPanel } from './panels/embeddings.js';
import { createEvaluationPanel } from './panels/evaluation.js';
import { createExplainPanel } from './panels/explain.js';
import { createLabPanel } from './panels/lab.js';
import { createLessonBar } from './lessons.js';
import { createMatricesPanel } from './panels/matrices.js';
import { createRacePanel } from './panels/race.js';
import { createTrainingPanel } from './panels/training.js';
import { createChallenge, createPresenterKeys } from './classroom.js';
import { createLiveRefresh } from './live.js';
import { createRecommendPanel } from './panels/recommend.js';
import { createRunsPanel } from './panels/runs.js';
import { choosesLoss, familyKnobs, familyOf, infoOf, normalizes, optimizersOf, samples, uses } from './algorithms.js';
import { createSession } from './session.js';
import { createStore, DATASET_PRESETS, DEFAULTS, knobNames, modelKnobs } from './state.js';
import { createControls, HOLDOUT_OPTIONS, TRAINING_KNOBS } from './ui/controls.js';
import { createPool, helpersFor } from './pool.js';
import { createDataPanel } from './ui/data-panel.js';
import { createIoPanel } from './ui/io-panel.js';
import { h, setText } from './ui/dom.js';
import { createSummary } from './ui/summary.js';
import { createToolbar } from './ui/toolbar.js';
import { engineMessage, relabel, setLanguage, t, translate as tr } from './i18n.js';

/** @typedef {import('./state.js').Knobs} Knobs */

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
    /** The tools the Code box writes for (the `describe` request). @type {{ name: string, label: string }[]} */
    tools: [],
    /** The engine's model families (the `describe` request): the model menu and its rules. @type {import('./algorithms.js').FamilyInfo[]} */
    families: [],
    /** The engine's losses (the `describe` request): the loss menu. @type {import('./algorithms.js').LossInfo[]} */
    losses: [],
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
    /** Threads the engine trains on (more than one where the page is cross-origin isolated). */ threads: 1,
  });

  // Text made from here on is in the widget's language (text made by t() follows changes).
  setLanguage(store.get().knobs.lang);
  const emit = (/** @type {string} */ type, /** @type {any} */ detail) => root.dispatchEvent(new CustomEvent(`mfp:${type}`, { detail }));
  // The worker resolves from this module's URL; the single-file build (offline.js) puts one
  // in place from the page itself instead.
  const workerUrl = new URL('./engine.worker.js', import.meta.url);
  const offline = /** @type {any} */ (globalThis).__mfpCreateWorker;
  const createWorker = () => (offline ? offline() : new Worker(workerUrl, { type: 'module' }));
  const engine = createEngineClient(createWorker);
  const session = createSession(engine, store, emit);

  /** @param {string} name @param {any} value */
  function setKnob(name, value) {
    let knobs = { ...store.get().knobs, [name]: value };
    // A data set brings its preset; a family its defaults (a network's over the preset).
    const family = familyOf(store.get().families, knobs.family);
    const preset = { ...DEFAULTS, ...DATASET_PRESETS[knobs.dataset] };
    if (name === 'dataset') knobs = { ...knobs, ...DATASET_PRESETS[value], ...(family && !family.dataPresets ? familyKnobs(family, preset) : {}) };
    if (name === 'family') knobs = { ...knobs, ...familyKnobs(family, preset) };
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
    setFeatures: (side, bytes) => session.setFeatures(side, bytes),
  });

  const toolbar = createToolbar({ session, store, setKnob, shareUrl: options.shareUrl, root });
  const summary = createSummary();
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
  const embeddings = createEmbeddingsPanel({ embeddings: api.embeddings, similar: api.similar, mapStart: api.mapStart, mapStep: api.mapStep }, {
    onUser: (u) => recommend.selectUser(u),
    knobs: () => store.get().knobs,
    setKnob: (name, value) => setKnob(name, value),
    epoch: () => store.get().epoch,
  });
  /** Extra engine workers for studies of independent pieces (pool.js): the sweep, the folds. */
  const pooling = {
    helpers: () => helpersFor(store.get()),
    startPool: (/** @type {number} */ n) => createPool(createWorker, engine.dataJournal(), n),
  };
  const evaluation = createEvaluationPanel({
    evaluate: api.evaluate, cvStart: api.cvStart, cvFold: api.cvFold, generation: session.generation, evaluateEpochs: session.evaluateEpochs,
  }, () => session.params(), pooling);
  const race = createRacePanel({ raceStart: api.raceStart, raceStep: api.raceStep }, () => {
    const k = store.get().knobs;
    return { params: session.params(), testFraction: k.testFraction, epochs: k.nEpochs, algorithms: store.get().algorithms, families: store.get().families };
  }, pooling);

  const balance = createBalancePanel({ sweepStart: api.sweepStart, sweepPoint: api.sweepPoint, sweepRecord: api.sweepRecord, sweepFronts: api.sweepFronts }, {
    ...pooling,
    base: () => {
      const k = store.get().knobs;
      return { params: session.params(), testFraction: k.testFraction };
    },
    load: (p) => {
      // Exactly the sweep's model: its family (with that family's knobs, as the sweep carried
      // them over), tower, factors, regularisation and epochs, no early stopping.
      const k = store.get().knobs;
      const family = p.family === k.family ? {} : familyKnobs(familyOf(store.get().families, p.family), { ...DEFAULTS, ...DATASET_PRESETS[k.dataset] });
      const tower = p.layers.length ? { layers: p.layers.join(',') } : {};
      store.set({ knobs: { ...k, ...family, ...tower, family: p.family, nFactors: p.nFactors, reg: Number(p.reg.toPrecision(6)), nEpochs: p.epochs, patience: 0 } });
      session.train();
    },
  });
  const io = createIoPanel({
    exportCode: api.exportCode, exportModel: api.exportModel, exportProjector: api.exportProjector, exportPredictions: api.exportPredictions,
    exportRecommendations: api.exportRecommendations, importModel: session.importModel, importSpark: session.importSpark,
  }, { dataName: () => store.get().knobs.dataset });
  const runs = createRunsPanel({ makeRun: api.makeRun, compareRuns: api.compareRuns, compareMaps: api.compareMaps, readRuns: api.readRuns, writeRuns: api.writeRuns }, {
    request: () => {
      const s = store.get();
      const at = evaluation.settings();
      if (!s.summary || s.epoch === 0 || s.diverged || !at) return null;
      return { dataName: s.knobs.dataset === 'file' ? s.knobs.fileName || 'file' : s.knobs.dataset, ...at, knobs: modelKnobs(s.knobs) };
    },
    fingerprint: () => store.get().summary?.fingerprint ?? null,
    open: async (json, run) => {
      const notes = await session.openRun(json, run);
      controls.setValues(store.get().knobs);
      options.onKnobs?.(store.get().knobs);
      return notes;
    },
  });
  // Kept only where the Runs panel is shown: a page that embeds the widget without it (a
  // documentation author's) does not fill its readers' browsers with runs they never see.
  root.addEventListener('mfp:trained', () => {
    if (!runs.element.closest('.mfp-panel')?.hasAttribute('hidden')) runs.trained();
  });
  const lab = createLabPanel({ labStart: api.labStart, labStep: api.labStep, aaPeeking: api.aaPeeking, labOffPolicy: api.labOffPolicy }, { hasModel: () => store.get().epoch > 0 && !store.get().diverged });

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
  panelsWatch.observe(root, { subtree: true, attributeFilter: ['data-race', 'data-lab', 'data-ab', 'data-aa', 'data-sweep', 'data-loaded', 'data-added', 'data-families', 'data-verdict'] });
  root.addEventListener('change', recheck);

  const challenge = createChallenge(root);
  const presenter = createPresenterKeys(store, session);
  root.ownerDocument.addEventListener('keydown', presenter.onKey);
  root.replaceChildren(
    lessons.element,
    h('div', { class: 'mfp-toolbar' }, [controls.element, toolbar.element]),
    challenge.element,
    presenter.help,
    dataPanel.element,
    io.element,
    summary.element,
    errorBox,
    stoppedNote,
    h('div', { class: 'mfp-panels' }, [
      panel('Training', 'error per epoch on the training ratings (and the held-out test ratings)', trainingPanel.body, 'loss'),
      ...matrices.panels.map((p) => panel(p.title, p.note, p.body, p.name)),
      panel('Explain a prediction', 'each term\'s part of one prediction', [explain.element], 'explain'),
      panel('Embeddings', 'users and items in the same space', [embeddings.element], 'embeddings'),
      panel('Recommendations', 'top items a user has not rated', [recommend.element], 'recommend'),
      panel('Evaluation', 'the model against baselines, on accuracy and beyond', [evaluation.element], 'evaluation'),
      panel('Runs', 'every finished training kept in this browser: compare them, open them again, export them', [runs.element], 'runs'),
      panel('Size, accuracy and time', 'a sweep over model families, towers, factors, regularisation and epochs, with the Pareto fronts', [balance.element], 'balance'),
      panel('Optimiser race', 'SGD, Adam, RMSprop and ALS from the same start, and the neural families beside them', [race.element], 'race'),
      panel('Exploration lab', 'exploration vs exploitation: policies, feedback loops and A/B tests on simulated users', [lab.element], 'lab'),
    ]),
  );

  const live = createLiveRefresh(store, { recommend, explain, evaluation, embeddings });
  const refreshLive = live.refresh;

  const unsubscribe = store.subscribe((s, prev) => render(s, prev));

  /** @param {ReturnType<typeof store.get>} s @param {ReturnType<typeof store.get>} prev */
  function render(s, prev) {
    if (s.knobs.lang !== prev.knobs?.lang) {
      setLanguage(s.knobs.lang);
      root.lang = s.knobs.lang === 'zh' ? 'zh-CN' : 'en';
      if (prev.knobs) {
        relabel(root);
        trainingPanel.relabel();
        trainingPanel.draw(s.history);
        refreshLive();
      }
    }
    // Other data: at once, the evaluation stops describing what is no longer loaded.
    if (s.summary !== prev.summary) {
      evaluation.track(s.summary);
      runs.dataChanged();
    }
    if (s.tools !== prev.tools) io.setTools(s.tools);
    root.dataset.status = s.status === 'loading' ? 'idle' : s.status;
    root.dataset.loading = String(s.status === 'loading');
    root.dataset.epoch = String(s.epoch);
    root.dataset.diverged = String(s.diverged);
    root.dataset.dataset = s.knobs.dataset;
    root.dataset.edited = String(Boolean(s.edited));
    summary.render(s);
    toolbar.render(s, prev);
    // What each knob does for the chosen algorithm, as the engine describes it.
    const algo = infoOf(s.algorithms, s.knobs.algorithm);
    const family = familyOf(s.families, s.knobs.family);
    if (s.families !== prev.families) controls.setOptions('family', s.families.map((f) => [f.name, f.label]), s.knobs.family);
    if (s.losses !== prev.losses) controls.setOptions('loss', s.losses.map((l) => [l.name, l.label]), s.knobs.loss);
    if (s.families !== prev.families || s.knobs.family !== prev.knobs?.family) balance.setFamilies(s.families, s.knobs.family, s.knobs.layers);
    if (s.algorithms !== prev.algorithms || s.knobs.family !== prev.knobs?.family || s.families !== prev.families) {
      controls.setOptions('algorithm', optimizersOf(s.algorithms, family).map((a) => [a.name, a.label]), s.knobs.algorithm);
    }
    // What the optimiser reads and what the family reads whatever its optimiser.
    const reads = (/** @type {string} */ knob) => uses(algo, knob) || Boolean(family?.uses.includes(knob));
    controls.setEnabled('learningRate', reads('learningRate'));
    controls.setEnabled('batchSize', reads('batchSize'));
    controls.setEnabled('layers', Boolean(family?.uses.includes('layers')));
    controls.setEnabled('negatives', samples(s.losses, algo, s.knobs.loss) && reads('negatives'));
    controls.setEnabled('biases', Boolean(family?.uses.includes('biases')));
    controls.setEnabled('useFeatures', Boolean(family?.uses.includes('useFeatures')));
    controls.setEnabled('loss', choosesLoss(algo));
    errorBox.hidden = !s.error && !s.invalid && !s.diverged;
    setText(errorBox, s.invalid
      ? s.invalid
      : s.error
        ? tr('Error: {message}', { message: engineMessage(s.error.message) })
        : s.diverged
          ? tr('Training diverged at epoch {epoch}: the loss is no longer a finite number. Lower the learning rate and press Reset.', { epoch: s.epoch })
          : '');
    if (prev.knobs && ['mapMethod', 'perplexity', 'neighbours', 'minDist'].some((k) => /** @type {any} */ (s.knobs)[k] !== /** @type {any} */ (prev.knobs)[k])) embeddings.mapKnobsChanged();
    if (s.knobs !== prev.knobs) {
      dataPanel.update(s.knobs);
      if (prev.knobs) {
        controls.setValues(s.knobs);
        options.onKnobs?.(s.knobs);
      }
    }
    controls.setEnabled('threshold', Boolean(s.binarised || s.summary?.feedback === 'explicit'));
    controls.setEnabled('normalization', normalizes(algo, s.knobs.loss) && Boolean(family?.uses.includes('normalization')));
    // A test file is the test part: the share and the hold-out have nothing to do; one per
    // user takes no share; the split by time needs the data's times.
    controls.setEnabled('testFraction', !s.testFile && s.knobs.split !== 'onePerUser');
    controls.setEnabled('split', !s.testFile);
    const timed = Boolean(s.summary?.hasTimes);
    if (s.summary !== prev.summary || s.knobs.split !== prev.knobs?.split) {
      controls.setOptions('split', HOLDOUT_OPTIONS.filter(([v]) => timed || v !== 'latest' || s.knobs.split === v), s.knobs.split);
    }
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
    if (s.summary !== prev.summary) dataPanel.renderFeatures(s.summary);
    if (s.summary && s.summary !== prev.summary) {
      recommend.setData(s.summary);
      race.reset();
      balance.reset();
      // New titles or genres for the same model (a titles file given after the ratings): the
      // views that show them follow, as they do a new model.
      refreshLive();
    }
    matrices.update(s, prev);
    if (s.selected !== prev.selected) explain.show(s.selected, s.summary);
    if (s.modelVersion !== prev.modelVersion) refreshLive();
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
      runs.destroy();
      live.destroy();
      root.replaceChildren();
      root.classList.remove('mfp');
    },
  };
}
