// The runs the page keeps: in the browser's IndexedDB, so they outlive the tab, under a budget
// the user sees and can clear. A run is kept as its JSON, the format `mfp train --run-out`
// writes (src/run.rs), which export and import carry unchanged.
//
// A browser that refuses storage (a private window, a sandboxed frame, storage switched off)
// gets the same store in memory: runs then last as long as the tab, and the panel says so.
// A write that does not fit (the budget, or the browser's quota) changes nothing already kept.

import { translate as tr } from './i18n.js';

/** What the page's runs may take in all, in bytes: past it a run is kept without its model. */
export const RUNS_BUDGET = 100 << 20;

const DB = 'mf-playground';
const STORE = 'runs';

/**
 * A run as the panel lists it: its JSON and what is read from it once.
 * @typedef {{ id: number, saved: number, json: string, bytes: number, run: any }} KeptRun
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

/** @param {string} json @param {number} id @param {number} saved @returns {KeptRun} */
function kept(json, id, saved) {
  return { id, saved, json, bytes: json.length, run: JSON.parse(json) };
}

/**
 * Opens the page's run store. Resolves to the store and, when the browser refused IndexedDB,
 * why (the runs are then kept in memory only).
 * @param {IDBFactory | undefined} [idb]
 * @returns {Promise<{ store: ReturnType<typeof memoryStore>, refused: string | null }>}
 */
export async function openRunStore(idb = globalThis.indexedDB) {
  if (!idb) return { store: memoryStore(), refused: tr('this browser has no IndexedDB') };
  try {
    const open = idb.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    /** @type {IDBDatabase} */
    const db = await done(open);
    return { store: dbStore(db), refused: null };
  } catch (err) {
    return { store: memoryStore(), refused: String(/** @type {any} */ (err)?.message ?? err) };
  }
}

/** Runs in memory, for a browser that keeps none. */
function memoryStore() {
  /** @type {KeptRun[]} */
  let runs = [];
  let next = 1;
  return {
    /** @returns {Promise<KeptRun[]>} */
    async list() {
      return runs.slice();
    },
    /** @param {string} json @returns {Promise<KeptRun>} */
    async add(json) {
      const r = kept(json, next++, Date.now());
      runs.push(r);
      return r;
    },
    /** @param {number} id @param {string} json */
    async replace(id, json) {
      runs = runs.map((r) => (r.id === id ? kept(json, id, r.saved) : r));
    },
    /** @param {number[]} ids */
    async remove(ids) {
      runs = runs.filter((r) => !ids.includes(r.id));
    },
    persistent: false,
  };
}

/** @param {IDBDatabase} db */
function dbStore(db) {
  const tx = (/** @type {IDBTransactionMode} */ mode) => db.transaction(STORE, mode);
  return {
    /** @returns {Promise<KeptRun[]>} */
    async list() {
      const rows = await done(tx('readonly').objectStore(STORE).getAll());
      /** @type {KeptRun[]} */
      const out = [];
      for (const row of rows) {
        try {
          out.push(kept(row.json, row.id, row.saved));
        } catch {
          // A record this page cannot read (written by hand): left alone, not listed.
        }
      }
      return out;
    },
    /** @param {string} json @returns {Promise<KeptRun>} */
    async add(json) {
      const t = tx('readwrite');
      const saved = Date.now();
      const id = await done(t.objectStore(STORE).add({ json, saved }));
      await done(t);
      return kept(json, id, saved);
    },
    /** @param {number} id @param {string} json */
    async replace(id, json) {
      const t = tx('readwrite');
      const s = t.objectStore(STORE);
      const row = await done(s.get(id));
      if (row) s.put({ ...row, json });
      await done(t);
    },
    /** @param {number[]} ids */
    async remove(ids) {
      const t = tx('readwrite');
      for (const id of ids) t.objectStore(STORE).delete(id);
      await done(t);
    },
    persistent: true,
  };
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
