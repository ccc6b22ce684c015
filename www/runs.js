// The runs the page keeps: in the browser's IndexedDB, so they outlive the tab, under a budget
// the user sees and can clear. A run is kept as its JSON, the format `mfp train --run-out`
// writes (src/run.rs), which export and import carry unchanged.
//
// A browser that refuses storage (a private window, a sandboxed frame, storage switched off)
// gets the same store in memory: runs then last as long as the tab, and the panel says so.
// A write that does not fit (the budget, or the browser's quota) changes nothing already kept.

import { errorMessage, translate as tr } from './i18n.js';

/** What the page's runs may take in all, in bytes: past it a run is kept without its model. */
export const RUNS_BUDGET = 100 << 20;

const DB = 'mf-playground';
/** The runs' JSON, by id. */
const STORE = 'runs';
/** What the list shows of each run, by the same id: read when the page opens, so small. */
const HEADS = 'heads';

/**
 * A run as the panel lists it, without reading its JSON: what the list, the usage line and the
 * choice of runs to compare need. `head` is the run with its heavy parts left out.
 * @typedef {{ id: number, saved: number, bytes: number, modelBytes: number, head: RunHead }} KeptRun
 * @typedef {{ name: string, data: { name: string, fingerprint: string }, metrics: Record<string, any>,
 *   perUser: { k: number }, epochs: number, model: boolean }} RunHead
 */

/**
 * A run read whole, to open, compare or export: its JSON and the run read from it.
 * @typedef {{ id: number, json: string, run: any }} WholeRun
 */

/** @param {IDBRequest | IDBTransaction} r @returns {Promise<any>} */
function done(r) {
  return new Promise((resolve, reject) => {
    if ('oncomplete' in r) {
      r.oncomplete = () => resolve(undefined);
      r.onabort = () => reject(r.error ?? new DOMException('the browser aborted the write', 'AbortError'));
      r.onerror = () => reject(r.error);
    } else {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    }
  });
}

/**
 * What the list keeps of the run `json` (`run`, read from it once, when it is kept).
 * @param {string} json @param {number} id @param {number} saved @param {any} [run] @returns {KeptRun}
 */
function headOf(json, id, saved, run = JSON.parse(json)) {
  return {
    id,
    saved,
    bytes: json.length,
    modelBytes: run.model ? JSON.stringify(run.model).length : 0,
    head: {
      name: run.name,
      data: { name: run.data?.name, fingerprint: run.data?.fingerprint },
      metrics: run.metrics ?? {},
      perUser: { k: run.perUser?.k },
      epochs: run.metrics?.epochs ?? run.curves?.length ?? 0,
      model: Boolean(run.model),
    },
  };
}

/**
 * Opens the page's run store. Resolves to the store and, when the browser refused IndexedDB,
 * why (the runs are then kept in memory only). `blocked` is called while another tab of the page
 * holds an older version of the store open: the store opens when that tab lets it go.
 * @param {IDBFactory | undefined} [idb]
 * @param {() => void} [blocked]
 * @returns {Promise<{ store: RunStore, refused: string | null }>}
 */
export async function openRunStore(idb = globalThis.indexedDB, blocked = () => {}) {
  if (!idb) return { store: memoryStore(), refused: tr('this browser has no IndexedDB') };
  try {
    const open = idb.open(DB, 2);
    open.onupgradeneeded = (e) => upgrade(open, e.oldVersion);
    open.onblocked = blocked;
    /** @type {IDBDatabase} */
    const db = await done(open);
    // A newer page in another tab needs the store upgraded: this one lets it go (its runs stay
    // listed; keeping more needs a reload, as the message says).
    const store = dbStore(db);
    db.onversionchange = () => {
      db.close();
      store.closed = true;
    };
    return { store, refused: null };
  } catch (err) {
    return { store: memoryStore(), refused: errorMessage(err) };
  }
}

/**
 * Creates the stores, and gives the runs an earlier page kept (version 1 kept only their JSON)
 * their heads, once.
 * @param {IDBOpenDBRequest} open @param {number} from the version the browser had
 */
function upgrade(open, from) {
  const db = open.result;
  if (from < 1) db.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
  const heads = db.createObjectStore(HEADS, { keyPath: 'id' });
  if (from < 1) return;
  const cursor = /** @type {IDBTransaction} */ (open.transaction).objectStore(STORE).openCursor();
  cursor.onsuccess = () => {
    const c = cursor.result;
    if (!c) return;
    try {
      heads.put(headOf(c.value.json, c.value.id, c.value.saved));
    } catch {
      // A record this page cannot read (written by hand): left alone, not listed.
    }
    c.continue();
  };
}

/**
 * @typedef {{
 *   list(): Promise<KeptRun[]>,
 *   read(id: number): Promise<WholeRun>,
 *   add(json: string, run?: any): Promise<KeptRun>,
 *   replace(id: number, json: string, run?: any): Promise<KeptRun>,
 *   remove(ids: number[]): Promise<void>,
 *   persistent: boolean,
 * }} RunStore
 */

/** Runs in memory, for a browser that keeps none. @returns {RunStore} */
function memoryStore() {
  /** @type {Map<number, { json: string, kept: KeptRun }>} */
  const runs = new Map();
  let next = 1;
  return {
    async list() {
      return [...runs.values()].map((r) => r.kept);
    },
    async read(id) {
      const r = runs.get(id);
      if (!r) throw new Error(tr('Run {n} is no longer kept.', { n: id }));
      return { id, json: r.json, run: JSON.parse(r.json) };
    },
    async add(json, run) {
      const kept = headOf(json, next++, Date.now(), run);
      runs.set(kept.id, { json, kept });
      return kept;
    },
    async replace(id, json, run) {
      const kept = headOf(json, id, runs.get(id)?.kept.saved ?? Date.now(), run);
      runs.set(id, { json, kept });
      return kept;
    },
    async remove(ids) {
      for (const id of ids) runs.delete(id);
    },
    persistent: false,
  };
}

/** @param {IDBDatabase} db @returns {RunStore & { closed: boolean }} */
function dbStore(db) {
  const tx = (/** @type {IDBTransactionMode} */ mode) => {
    if (store.closed) throw new Error(tr('a newer version of this page, open in another tab, took over the store of runs: reload this page'));
    return db.transaction([STORE, HEADS], mode);
  };
  const store = {
    closed: false,
    async list() {
      return done(tx('readonly').objectStore(HEADS).getAll());
    },
    async read(id) {
      const row = await done(tx('readonly').objectStore(STORE).get(id));
      if (!row) throw new Error(tr('Run {n} is no longer kept.', { n: id }));
      return { id, json: row.json, run: JSON.parse(row.json) };
    },
    async add(json, run) {
      const t = tx('readwrite');
      const saved = Date.now();
      const id = await done(t.objectStore(STORE).add({ json, saved }));
      const kept = headOf(json, id, saved, run);
      t.objectStore(HEADS).put(kept);
      await done(t);
      return kept;
    },
    async replace(id, json, run) {
      const t = tx('readwrite');
      const s = t.objectStore(STORE);
      const row = await done(s.get(id));
      const kept = headOf(json, id, row?.saved ?? Date.now(), run);
      if (row) {
        s.put({ ...row, json });
        t.objectStore(HEADS).put(kept);
      }
      await done(t);
      return kept;
    },
    async remove(ids) {
      const t = tx('readwrite');
      for (const id of ids) {
        t.objectStore(STORE).delete(id);
        t.objectStore(HEADS).delete(id);
      }
      await done(t);
    },
    persistent: true,
  };
  return store;
}

/** Whether an error is the browser saying its storage is full. @param {unknown} err */
export function isQuotaError(err) {
  const e = /** @type {any} */ (err);
  return e?.name === 'QuotaExceededError' || /quota/i.test(String(e?.message ?? ''));
}

/** A size in bytes as people read it. @param {number} bytes */
export function megabytes(bytes) {
  return bytes < 1e5 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}
