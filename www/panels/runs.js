// The Runs panel: every finished training kept as a run (its knobs, the data's fingerprint, its
// curves, its figures and each test user's, its model within a budget), listed; runs opened
// again, exported to one file and imported back; two or more compared (runs-compare.js).

import { t, translate as tr, errorMessage } from '../i18n.js';
import { isQuotaError, megabytes, openRunStore, RUNS_BUDGET } from '../runs.js';
import { download } from '../charts/svg.js';
import { h } from '../ui/dom.js';
import { createRunsCompare, figureOf } from './runs-compare.js';

/** @typedef {import('../runs.js').KeptRun} KeptRun */

/** When a run was kept, as 2026-12-06 09:41 in the reader's time zone (the same in every
 * language; Intl's formatter costs 20 ms to make, toLocaleString that for every row).
 * @param {number} ms */
function keptAt(ms) {
  const d = new Date(ms);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
/** @typedef {import('../runs.js').WholeRun} WholeRun */

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'makeRun' | 'compareRuns' | 'compareMaps' | 'readRuns' | 'writeRuns'>} engine
 * @param {{
 *   request: () => { dataName: string, k: number, threshold: number, knobs: object } | null,
 *   fingerprint: () => string | null,
 *   open: (json: string, run: any) => Promise<string[]>,
 *   idb?: IDBFactory,
 * }} page what a run needs of the page (null: no model or no data), the loaded data's
 *   fingerprint, and opening a run there
 */
export function createRunsPanel(engine, page) {
  const auto = h('input', { type: 'checkbox', class: 'mfp-runs-auto', checked: true });
  const keepNow = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-keep', text: t('Keep this model') });
  const file = h('input', { type: 'file', accept: '.json,application/json', class: 'mfp-runs-file', hidden: true });
  const importBtn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-import', text: t('Import runs…') });
  const exportBtn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-export', text: t('Export') });
  const dropModels = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-drop-models', text: t('Drop kept models') });
  const clear = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-clear', text: t('Delete all runs') });
  const usage = h('p', { class: 'mfp-note mfp-runs-usage', role: 'status' });
  const said = h('p', { class: 'mfp-note mfp-runs-said', role: 'status', 'aria-live': 'polite' });
  const table = h('table', { class: 'mfp-runs-table' });
  const compare = createRunsCompare(engine);
  const element = h('div', { class: 'mfp-runs' }, [
    h('div', { class: 'mfp-eval-controls' }, [
      h('label', {}, [auto, ' ', t('Keep every finished training')]),
      keepNow, importBtn, file, exportBtn, dropModels, clear,
    ]),
    usage,
    said,
    h('div', { class: 'mfp-eval-scroll' }, [table]),
    compare.element,
  ]);

  /** @type {KeptRun[]} */
  let runs = [];
  /** Selected runs' ids, in the order they were ticked: the first is A. @type {number[]} */
  let selected = [];
  /** The column the list is sorted by, and which way (the order kept: by run). */
  let sort = { column: 'run', descending: false };
  /** The run whose name is being edited, the name as typed so far, and whether the field is new
   * (its text then selected). @type {number | null} */
  let renaming = null;
  let draft = '';
  let freshField = false;
  /** True while the list is rebuilt: the name field it drops is not leaving by the user's hand. */
  let rebuilding = false;
  /** The chosen runs read whole, to compare. @type {Map<number, WholeRun>} */
  const whole = new Map();
  /** Which choice of runs is being shown (the last asked for wins). */
  let choice = 0;
  /** Why the browser keeps no runs, when it refused IndexedDB. @type {string | null} */
  let refused = null;
  // Opened in a task of its own: the browser's first IndexedDB call costs milliseconds the
  // page's mount should not hold.
  const ready = new Promise((resolve) => setTimeout(resolve, 0)).then(() => openRunStore(page.idb, () => {
    usage.textContent = tr('The runs kept in this browser open when the other tabs of this page are closed or reloaded (an older version there holds them).');
  })).then(async (r) => {
    refused = r.refused;
    runs = await r.store.list();
    render();
    return r.store;
  });

  /** @param {string} text @param {boolean} [error] */
  function say(text, error = false) {
    said.textContent = text;
    said.classList.toggle('mfp-error-text', error);
  }

  /** Keeps a run (its JSON) under the budget: over it, or when the browser's storage is full,
   * without its model; refused when even that does not fit. Returns the run kept, if any.
   * @param {string} json */
  async function keep(json) {
    const store = await ready;
    const used = runs.reduce((n, r) => n + r.bytes, 0);
    let run = JSON.parse(json);
    const bare = () => JSON.stringify({ ...run, model: null });
    let note = '';
    if (used + json.length > RUNS_BUDGET && run.model) {
      json = bare();
      run = JSON.parse(json);
      note = tr('kept without its model: the runs would take more than {budget}', { budget: megabytes(RUNS_BUDGET) });
    }
    if (used + json.length > RUNS_BUDGET) {
      say(tr('Not kept: the runs already take {used} of {budget}. Delete some runs or drop their models.', { used: megabytes(used), budget: megabytes(RUNS_BUDGET) }), true);
      return null;
    }
    try {
      const r = await store.add(json, run);
      runs.push(r);
      return { r, note };
    } catch (err) {
      if (isQuotaError(err) && run.model) {
        try {
          const r = await store.add(bare());
          runs.push(r);
          return { r, note: tr("kept without its model: the browser's storage for this page is full") };
        } catch {
          // Falls through to the message below.
        }
      }
      say(isQuotaError(err)
        ? tr("Not kept: the browser's storage for this page is full. Delete some runs or drop their models; the runs already kept are untouched.")
        : tr('Not kept: the browser refused to store the run ({why}).', { why: errorMessage(err) }), true);
      return null;
    }
  }

  /** Keeps the current model as a run. @param {boolean} quiet a training that just finished */
  async function keepModel(quiet) {
    const req = page.request();
    if (!req) {
      if (!quiet) say(tr('Train a model first: a run keeps a trained model.'), true);
      return;
    }
    try {
      const { json } = await engine.makeRun(req);
      const kept = await keep(json);
      if (kept) say(tr('Kept run {n}: {name}', { n: kept.r.id, name: kept.r.head.name }) + (kept.note ? ` (${kept.note})` : '.'));
      render();
    } catch (err) {
      if (!quiet) say(errorMessage(err), true);
    }
  }

  keepNow.addEventListener('click', () => keepModel(false));
  importBtn.addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (f) await importText(await f.text(), f.name);
  });
  /** A button's work, its failure said in the panel (a store another tab took over, say). @param {() => Promise<unknown>} work */
  const guarded = (work) => async () => {
    try {
      await work();
    } catch (err) {
      say(errorMessage(err), true);
    }
  };
  exportBtn.addEventListener('click', guarded(async () => {
    const chosen = selected.length ? runs.filter((r) => selected.includes(r.id)) : runs;
    if (!chosen.length) return say(tr('No runs to export yet.'), true);
    const store = await ready;
    const jsons = [];
    for (const r of chosen) jsons.push((await store.read(r.id)).json);
    const { text } = await engine.writeRuns({ runs: jsons });
    download(new Blob([text], { type: 'application/json' }), 'mfp-runs.json');
    say(tr('Exported {n} runs to mfp-runs.json.', { n: chosen.length }));
  }));
  dropModels.addEventListener('click', guarded(async () => {
    const store = await ready;
    let dropped = 0;
    for (const r of runs.filter((x) => x.head.model)) {
      const { run } = await store.read(r.id);
      const bare = { ...run, model: null };
      await store.replace(r.id, JSON.stringify(bare), bare);
      whole.delete(r.id);
      dropped += 1;
    }
    runs = await store.list();
    say(tr('Dropped the models of {n} runs; their figures, curves and users are kept.', { n: dropped }));
    render();
  }));
  clear.addEventListener('click', guarded(async () => {
    if (!runs.length) return;
    if (!confirm(tr('Delete all {n} runs? This cannot be undone (export them first to keep them).', { n: runs.length }))) return;
    const store = await ready;
    await store.remove(runs.map((r) => r.id));
    runs = [];
    selected = [];
    whole.clear();
    say(tr('All runs deleted.'));
    render();
  }));

  /** Imports a run file or a file of runs: each run kept, or none when the file is not one.
   * @param {string} text @param {string} name */
  async function importText(text, name) {
    let jsons;
    try {
      ({ runs: jsons } = await engine.readRuns({ text }));
    } catch (err) {
      return say(tr('{file}: {why}', { file: name, why: errorMessage(err) }), true);
    }
    let n = 0;
    for (const json of jsons) {
      if (await keep(json)) n += 1;
      else break;
    }
    render();
    if (n === jsons.length) say(tr('Imported {n} runs from {file}.', { n, file: name }));
    else said.textContent = tr('Imported {n} of {m} runs from {file}: {why}', { n, m: jsons.length, file: name, why: said.textContent ?? '' });
  }

  /** @param {KeptRun} r */
  async function open(r) {
    say(tr('Opening run {n}…', { n: r.id }));
    try {
      const { json, run } = await (await ready).read(r.id);
      const notes = await page.open(json, run);
      say([tr('Opened run {n}: {name}.', { n: r.id, name: r.head.name }), ...notes].join(' '));
    } catch (err) {
      say(errorMessage(err), true);
    }
  }

  /** @param {KeptRun} r */
  async function remove(r) {
    const store = await ready;
    await store.remove([r.id]);
    runs = runs.filter((x) => x.id !== r.id);
    selected = selected.filter((id) => id !== r.id);
    whole.delete(r.id);
    say(tr('Run {n} deleted.', { n: r.id }));
    render();
  }

  /** Names run `r` `name` (kept in the run itself, so export and mfp see it). @param {KeptRun} r @param {string} name */
  async function rename(r, name) {
    renaming = null;
    name = name.trim();
    if (!name || name === r.head.name) return render();
    const store = await ready;
    const { run } = await store.read(r.id);
    const named = { ...run, name };
    const kept = await store.replace(r.id, JSON.stringify(named), named);
    runs = runs.map((x) => (x.id === r.id ? kept : x));
    whole.delete(r.id);
    say(tr('Run {n} renamed: {name}.', { n: r.id, name }));
    render();
  }

  /** @param {KeptRun} r */
  function startRename(r) {
    renaming = r.id;
    draft = r.head.name;
    freshField = true;
    render();
  }

  /** The name cell: the name, or a field while it is renamed. @param {KeptRun} r */
  function nameCell(r) {
    if (renaming !== r.id) return h('th', { scope: 'row', text: `${r.id}. ${r.head.name}` });
    const field = h('input', { type: 'text', class: 'mfp-runs-name', value: draft, maxlength: 200, 'aria-label': tr('Name of run {n} (Enter keeps it, Escape leaves it)', { n: r.id }) });
    let done = false;
    const finish = (/** @type {boolean} */ keep) => {
      if (done) return;
      done = true;
      if (keep) guarded(() => rename(r, field.value))();
      else {
        renaming = null;
        render();
      }
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    field.addEventListener('input', () => { draft = field.value; });
    field.addEventListener('blur', () => {
      if (!rebuilding) finish(true);
    });
    return h('th', { scope: 'row' }, [`${r.id}. `, field]);
  }

  /** The list's columns: label, name (the header's `data-column`), and the sort key (none: the
   * column does not sort). */
  const COLUMNS = /** @type {[string, string, ((r: KeptRun) => number | string) | null][]} */ ([
    ['', '', null],
    [t('Run'), 'run', (r) => r.id],
    [t('Data'), 'data', (r) => r.head.data.name ?? ''],
    [t('Kept'), 'kept', (r) => r.saved],
    [t('Epochs'), 'epochs', (r) => r.head.epochs],
    [t('Test RMSE'), 'test_rmse', (r) => r.head.metrics.test_rmse ?? NaN],
    ['NDCG@k', 'ndcg', (r) => figureOf(r.head, `ndcg_at_${r.head.perUser.k}`) ?? NaN],
    ['Recall@k', 'recall', (r) => figureOf(r.head, `recall_at_${r.head.perUser.k}`) ?? NaN],
    [t('Model'), 'model', (r) => r.modelBytes],
    ['', '', null],
  ]);

  /** The runs in the list's order: by the sort column, runs without that figure last. */
  function sorted() {
    const key = COLUMNS.find(([, column]) => column === sort.column)?.[2];
    if (!key) return runs;
    const sign = sort.descending ? -1 : 1;
    return runs.slice().sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const missing = Number(typeof x === 'number' && Number.isNaN(x)) - Number(typeof y === 'number' && Number.isNaN(y));
      if (missing) return missing;
      const c = typeof x === 'string' ? x.localeCompare(String(y)) : Number(x) - Number(y);
      return sign * c || a.id - b.id;
    });
  }

  /** A column's header: a button that sorts by it (again: the other way).
   * @param {[string, string, unknown]} column its label, name and sort key */
  function header([label, column, key]) {
    if (!key) return h('th', { scope: 'col', text: label });
    const on = sort.column === column;
    return h('th', { scope: 'col', 'aria-sort': on ? (sort.descending ? 'descending' : 'ascending') : 'none', dataset: { column } }, [
      h('button', {
        type: 'button',
        class: 'mfp-runs-sort',
        text: `${label}${on ? (sort.descending ? ' ▼' : ' ▲') : ''}`,
        onclick: () => {
          sort = { column, descending: on ? !sort.descending : false };
          render();
          /** @type {HTMLElement | null} */ (table.querySelector(`th[data-column="${column}"] button`))?.focus();
        },
      }),
    ]);
  }

  function render() {
    const used = runs.reduce((n, r) => n + r.bytes, 0);
    const models = runs.reduce((n, r) => n + r.modelBytes, 0);
    usage.textContent = (runs.length
      ? tr('{n} runs take {used} of {budget} (their models {models}).', { n: runs.length, used: megabytes(used), budget: megabytes(RUNS_BUDGET), models: megabytes(models) })
      : tr('No runs yet: every finished training is kept here, to compare and to open again.'))
      + (refused ? ` ${tr('The browser keeps no runs for this page ({why}): they last until the tab is closed; export them to keep them.', { why: refused })}` : '');
    element.dataset.runs = String(runs.length);
    const here = page.fingerprint();
    const cell = (/** @type {any} */ v, /** @type {number} */ digits) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toFixed(digits));
    rebuilding = true;
    table.replaceChildren(
      h('thead', {}, [h('tr', {}, COLUMNS.map(header))]),
      h('tbody', {}, sorted().map((r) => {
        const box = h('input', { type: 'checkbox', 'aria-label': tr('Compare run {n}', { n: r.id }) });
        box.checked = selected.includes(r.id);
        box.addEventListener('change', () => {
          selected = box.checked ? [...selected, r.id] : selected.filter((id) => id !== r.id);
          render();
        });
        const run = r.head;
        const other = here !== null && run.data.fingerprint !== here;
        const k = run.perUser.k;
        return h('tr', { dataset: { run: String(r.id) }, class: other ? 'mfp-runs-other' : undefined }, [
          h('td', {}, [box]),
          nameCell(r),
          h('td', { text: other ? tr('{name} (not the loaded data)', { name: run.data.name }) : run.data.name }),
          h('td', { text: keptAt(r.saved) }),
          h('td', { text: String(run.epochs) }),
          h('td', { text: cell(run.metrics.test_rmse, 4) }),
          h('td', { text: cell(figureOf(run, `ndcg_at_${k}`), 3) }),
          h('td', { text: cell(figureOf(run, `recall_at_${k}`), 3) }),
          h('td', { text: run.model ? megabytes(r.modelBytes) : t('not kept') }),
          h('td', {}, [
            h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-open', text: t('Open'), onclick: () => open(r) }),
            h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-rename', text: t('Rename'), 'aria-label': tr('Rename run {n}', { n: r.id }), onclick: () => startRename(r) }),
            h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-runs-delete', text: t('Delete'), 'aria-label': tr('Delete run {n}', { n: r.id }), onclick: guarded(() => remove(r)) }),
          ]),
        ]);
      })),
    );
    rebuilding = false;
    table.hidden = runs.length === 0;
    // The name being edited keeps the focus across a rebuild (a run kept meanwhile, say).
    const field = /** @type {HTMLInputElement | null} */ (table.querySelector('input.mfp-runs-name'));
    if (field) {
      field.focus();
      if (freshField) field.select();
      freshField = false;
    }
    exportBtn.textContent = selected.length ? tr('Export {n} selected', { n: selected.length }) : tr('Export all');
    showChosen();
  }

  /** Reads the chosen runs whole (only those) and compares them. */
  async function showChosen() {
    const me = ++choice;
    const ids = selected.filter((id) => runs.some((r) => r.id === id));
    for (const id of whole.keys()) if (!ids.includes(id)) whole.delete(id);
    try {
      const store = await ready;
      for (const id of ids) if (!whole.has(id)) whole.set(id, await store.read(id));
    } catch (err) {
      if (me === choice) say(errorMessage(err), true);
      return;
    }
    if (me === choice) compare.show(ids.map((id) => /** @type {WholeRun} */ (whole.get(id))));
  }

  return {
    element,
    /** A training finished: kept, when the user keeps every one. */
    trained() {
      if (auto.checked) keepModel(true);
    },
    /** Other data was loaded: the list marks the runs made on other data. */
    dataChanged: () => ready.then(render),
    importText,
    destroy: compare.destroy,
  };
}
