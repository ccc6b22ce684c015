// Live refresh: the views that follow the model (recommendations, the explanation, the
// evaluation table, the embedding map) fetched again at most every LIVE_REFRESH_MS while
// training, each as often as its cost allows, so the worker stays free for what the user asks.

import { evaluatesLive } from './panels/evaluation.js';

/** Views that follow the model refresh at most this often while training (ms). */
const LIVE_REFRESH_MS = 250;

/**
 * @param {{ get: () => any }} store
 * @param {{
 *   recommend: { refresh: (summary: any) => void },
 *   explain: { show: (selected: any, summary: any) => void },
 *   evaluation: { refresh: (summary: any, epoch: number) => void, deferred: () => void },
 *   embeddings: { refresh: (summary: any) => Promise<void> },
 * }} views
 */
export function createLiveRefresh(store, { recommend, explain, evaluation, embeddings }) {
  let liveTimer = 0;
  let evalTimer = 0;
  /** When the embedding map may be fetched again: its PCA is the costliest live view, so it
   * waits ten times as long as it took. */
  let embedNext = 0;

  /** Evaluates once the model has not changed for a second and training has stopped, so the
   * worker is never busy with it when the user pauses and asks for something. */
  function scheduleEvaluation() {
    clearTimeout(evalTimer);
    evalTimer = window.setTimeout(() => {
      const s = store.get();
      if (s.status !== 'training') evaluation.refresh(s.summary, s.epoch);
    }, 1000);
  }

  /** Asks for the views again, once, within LIVE_REFRESH_MS. */
  function refresh() {
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
        refresh();
      }
    }, LIVE_REFRESH_MS);
  }

  return {
    refresh,
    destroy() {
      if (liveTimer) clearTimeout(liveTimer);
      clearTimeout(evalTimer);
    },
  };
}
