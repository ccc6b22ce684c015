// A pool of extra engine workers for studies made of independent pieces (the balance sweep's
// points): each helper is an engine of its own, given the main engine's data by replaying the
// requests that made it, so it computes any piece exactly as the main engine would. It needs no
// cross-origin isolation (no memory is shared); its cost is a copy of the data per helper, so
// their number is bounded by the cores and by a memory budget. Destroyed together (Cancel).

import { createEngineClient } from './engine-client.js';

/** Memory the main engine and its helpers may hold together. */
export const POOL_BUDGET_BYTES = 1024 * 2 ** 20;

/**
 * How many helpers a study may use beside the main engine: none where the engine already trains
 * on every core (the threaded package), else one per further core within the budget.
 * @param {{ threads: number, engineMemory: number }} s
 * @param {number} [cores]
 */
export function helpersFor(s, cores = navigator.hardwareConcurrency || 1) {
  if (s.threads > 1) return 0;
  const perEngine = Math.max(s.engineMemory, 32 * 2 ** 20);
  return Math.max(0, Math.min(cores - 1, Math.floor(POOL_BUDGET_BYTES / perEngine) - 1));
}

/**
 * Starts `n` helpers and gives each the data `journal` makes.
 * @param {() => Worker} createWorker
 * @param {{ type: string, payload: any }[]} journal the main engine's data requests
 * @param {number} n
 */
export async function createPool(createWorker, journal, n) {
  const helpers = Array.from({ length: n }, () => createEngineClient(createWorker));
  const pool = {
    helpers,
    destroy() {
      for (const e of helpers) e.destroy();
    },
  };
  try {
    await Promise.all(helpers.map(async (e) => {
      for (const entry of journal) await e.request(/** @type {any} */ (entry.type), entry.payload);
    }));
  } catch (err) {
    pool.destroy();
    throw err;
  }
  return pool;
}

/** An engine that takes pieces: a helper's client. @typedef {{ request: (type: any, payload?: any) => Promise<any> }} Helper */

/**
 * A `recruit` for {@link shareOut}: starts `n` helpers with `startPool`, hands the pool to
 * `keep` (so that a Cancel can stop it), starts the study in each with `prepare(helper)`, and
 * gives the helpers; none when the study was cancelled meanwhile or a helper could not start
 * it (the pool is stopped then). `workers(count)` is told how many engines take pieces.
 * @param {(n: number) => Promise<{ helpers: Helper[], destroy: () => void }>} startPool
 * @param {number} n
 * @param {(helper: Helper) => Promise<any>} prepare
 * @param {() => boolean} live
 * @param {(pool: { helpers: Helper[], destroy: () => void }) => void} keep
 * @param {(count: number) => void} workers
 * @returns {() => Promise<Helper[]>}
 */
export function recruiter(startPool, n, prepare, live, keep, workers) {
  return async () => {
    const pool = await startPool(n);
    keep(pool);
    try {
      if (!live()) throw new Error('cancelled');
      await Promise.all(pool.helpers.map(prepare));
    } catch {
      pool.destroy();
      return [];
    }
    workers(1 + pool.helpers.length);
    return pool.helpers;
  };
}

/**
 * Milliseconds of work left, judged from the engine's pieces so far, from which helpers are worth
 * starting: each needs the wasm compiled and the data replayed (a few hundred milliseconds), so
 * a study shorter than this runs on the engine alone.
 */
export const RECRUIT_MS = 500;

/**
 * Runs pieces `0..n-1` of a study: the engine takes pieces with `here(i)`; once its pieces so
 * far show that the rest would take longer than {@link RECRUIT_MS}, `recruit()` starts helpers
 * (it may give none), which join in with `there(helper, i)`, each taking the next piece as soon
 * as it is done. A helper that fails leaves its piece to the engine. `done(i, result,
 * elsewhere)` is awaited after each piece (in the order they finish). Stops taking pieces once
 * `live()` is false.
 * @template R
 * @param {number} n
 * @param {(i: number) => Promise<R>} here
 * @param {(() => Promise<Helper[]>) | null} recruit
 * @param {(helper: Helper, i: number) => Promise<R>} there
 * @param {(i: number, result: R, elsewhere: boolean) => Promise<void> | void} done
 * @param {() => boolean} live
 */
export async function shareOut(n, here, recruit, there, done, live) {
  let next = 0;
  /** Pieces a failed helper did not finish. @type {number[]} */
  const retry = [];
  /** The helpers' work, once they were recruited. @type {Promise<void>[]} */
  const joined = [];
  /** The engine's pieces so far and their time, to judge the work left. */
  let mine = 0;
  let mineMs = 0;
  /** @param {Helper | null} helper */
  const take = async (helper) => {
    while (live() && (next < n || (!helper && retry.length))) {
      const i = !helper && retry.length ? /** @type {number} */ (retry.pop()) : next++;
      const t0 = performance.now();
      let r;
      try {
        r = helper ? await there(helper, i) : await here(i);
      } catch (err) {
        if (!live()) return; // cancelled: the helpers were stopped
        if (!helper) throw err;
        retry.push(i); // this helper is done for; the engine takes its piece
        return;
      }
      if (!live()) return;
      if (!helper) {
        mine += 1;
        mineMs += performance.now() - t0;
      }
      if (!helper && recruit && (mineMs / mine) * (n - next) > RECRUIT_MS) {
        const start = recruit;
        recruit = null;
        joined.push(start().then((helpers) => Promise.all(helpers.map((e) => take(e)))).then(() => {}, () => {}));
      }
      await done(i, r, helper !== null);
    }
  };
  await take(null);
  await Promise.all(joined);
  await take(null);
}

/**
 * A step of some entries: for each entry asked (in the order asked), the rounds it ran (fewer
 * than asked once it stopped), their milliseconds, and what to report.
 * @template D
 * @typedef {(helper: Helper | null, entries: number[], rounds: number) => Promise<{ ran: number, ms: number, data: D }[]>} Stepper
 */

/**
 * Runs `rounds` rounds of each of entries `0..n-1` of a study whose entries are independent but
 * advance side by side (the race's racers, a round an epoch), so every round of every entry is
 * reported as it happens. The engine steps all of them, a round at a time, until its rounds so
 * far show that the rest would take longer than {@link RECRUIT_MS}; then `recruit()` starts
 * helpers, and at the engine's next round the entries are dealt out by their cost so far. A
 * helper first catches up on its entries (the rounds already reported, run again and not
 * reported: an entry stepped anywhere gives the same numbers), then steps them round by round.
 * A helper that fails gives its entries back to the engine, which catches up on them the same
 * way. `report(results)` is told each round's results of one engine's entries. Stops once
 * `live()` is false.
 * @template D
 * @param {number} n
 * @param {number} rounds
 * @param {Stepper<D>} step `helper` null for the engine
 * @param {(() => Promise<Helper[]>) | null} recruit
 * @param {(results: { entry: number, data: D }[]) => void} report
 * @param {() => boolean} live
 */
export async function stepApart(n, rounds, step, recruit, report, live) {
  /** Rounds reported, whether stopped, and milliseconds so far, per entry. */
  const count = new Array(n).fill(0);
  const stopped = new Array(n).fill(false);
  const cost = new Array(n).fill(0);
  const active = (/** @type {number} */ e) => !stopped[e] && count[e] < rounds;
  /** Helpers recruited and not yet given entries; entries a failed helper gave back. */
  /** @type {Helper[]} */
  let arrived = [];
  /** @type {number[]} */
  const returned = [];
  /** @type {Promise<void>[]} */
  const lanes = [];
  let engineMs = 0;
  let engineRounds = 0;
  /** Rounds the engine's copy of each entry has run. */
  const engineAt = new Array(n).fill(0);

  /** Deals the engine's `entries` out to it and `helpers` by cost per round; returns the engine's. */
  const deal = (/** @type {number[]} */ entries, /** @type {Helper[]} */ helpers) => {
    const load = new Array(helpers.length + 1).fill(0);
    /** @type {number[][]} */
    const shares = load.map(() => []);
    const perRound = (/** @type {number} */ e) => cost[e] / Math.max(1, count[e]);
    for (const e of [...entries].sort((a, b) => perRound(b) - perRound(a))) {
      const j = load.indexOf(Math.min(...load));
      shares[j].push(e);
      load[j] += perRound(e);
    }
    helpers.forEach((helper, j) => {
      if (shares[j + 1].length) lanes.push(lane(helper, shares[j + 1], new Array(n).fill(0)));
    });
    return shares[0];
  };

  /**
   * @param {Helper | null} helper
   * @param {number[]} entries
   * @param {number[]} at rounds this engine's copy of each entry has run
   */
  const lane = async (helper, entries, at) => {
    try {
      while (live()) {
        if (!helper) entries.push(...returned.splice(0));
        if (!helper && arrived.length) entries = deal(entries.filter(active), arrived.splice(0));
        entries = entries.filter(active).sort((a, b) => a - b);
        if (!entries.length) return;
        // Catching up: entries that moved here, by how far behind they are.
        for (const lag of new Set(entries.map((e) => count[e] - at[e]))) {
          if (lag <= 0) continue;
          const behind = entries.filter((e) => count[e] - at[e] === lag);
          const rs = await step(helper, behind, lag);
          behind.forEach((e, j) => { at[e] += rs[j].ran; });
          if (!live()) return;
        }
        const t0 = performance.now();
        const rs = await step(helper, entries, 1);
        if (!live()) return;
        entries.forEach((e, j) => {
          at[e] += rs[j].ran;
          if (rs[j].ran < 1) stopped[e] = true;
          else count[e] += 1;
          cost[e] += rs[j].ms;
        });
        report(entries.map((e, j) => ({ entry: e, data: rs[j].data })));
        if (!helper && recruit) {
          engineMs += performance.now() - t0;
          engineRounds += 1;
          const left = Math.max(0, ...entries.map((e) => rounds - count[e]));
          if ((engineMs / engineRounds) * left > RECRUIT_MS) {
            const start = recruit;
            recruit = null;
            lanes.push(start().then((helpers) => { arrived = [...helpers]; }, () => {}));
          }
        }
      }
    } catch (err) {
      if (!live()) return; // cancelled: the helpers were stopped
      if (!helper) throw err;
      returned.push(...entries); // this helper is done for; the engine takes its entries
    }
  };

  await lane(null, [...Array(n).keys()], engineAt);
  // Helpers still stepping (and any that arrived late); then what a failed one gave back.
  for (let i = 0; i < lanes.length; i++) await lanes[i];
  if (live() && returned.length) await lane(null, [], engineAt);
}
