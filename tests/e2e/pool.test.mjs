// The pool's sharing of a study's pieces (www/pool.js), in Node with engines made up for the
// purpose: every piece reported once and to the same numbers wherever it ran, including when a
// helper fails part-way (its work goes back to the engine). The browser tests run it for real
// (balance.test.mjs: the sweep, cross-validation and the race on extra workers).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECRUIT_MS, shareOut, stepApart } from '../../www/pool.js';

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An engine with its own copy of every entry: entry e's round r gives e * 1000 + r, so a copy
 * that skipped or repeated a round gives a different number. `failAfter`: requests it answers
 * before it fails.
 */
function engine(/** @type {number} */ n, /** @type {number} */ ms, failAfter = Infinity) {
  const at = new Array(n).fill(0);
  let answered = 0;
  return {
    asked: 0,
    /** @param {number[]} entries @param {number} rounds */
    async step(entries, rounds) {
      await sleep(ms * rounds * entries.length);
      if (answered++ >= failAfter) throw new Error('helper died');
      this.asked += 1;
      return entries.map((e) => {
        const values = [];
        for (let r = 0; r < rounds; r++) values.push(e * 1000 + ++at[e]);
        return { ran: rounds, ms: ms * rounds, data: { entry: e, values } };
      });
    },
  };
}

/** Runs stepApart over `helpers` (recruited after a little while) and returns what was reported. */
async function race(/** @type {number} */ n, /** @type {number} */ rounds, /** @type {ReturnType<typeof engine>[]} */ helpers) {
  const main = engine(n, 10);
  /** @type {number[][]} */
  const seen = Array.from({ length: n }, () => []);
  let recruited = false;
  await stepApart(n, rounds, (h, entries, k) => (h ? /** @type {any} */ (h).step(entries, k) : main.step(entries, k)), async () => {
    recruited = true;
    await sleep(50);
    return /** @type {any[]} */ (helpers);
  }, (results) => {
    for (const { entry, data } of results) {
      assert.equal(data.entry, entry);
      seen[entry].push(...data.values);
    }
  }, () => true);
  return { seen, recruited, main };
}

const expected = (/** @type {number} */ n, /** @type {number} */ rounds) => Array.from({ length: n }, (_, e) => Array.from({ length: rounds }, (_, r) => e * 1000 + r + 1));

test('a study stepped apart reports every round of every entry once, as one engine would', async () => {
  // 7 entries of 10 ms a round, 20 rounds: 1.4 s on the engine alone, so helpers are recruited.
  assert.ok(7 * 10 * 19 > RECRUIT_MS);
  const helpers = [engine(7, 10), engine(7, 10)];
  const r = await race(7, 20, helpers);
  assert.ok(r.recruited);
  assert.deepEqual(r.seen, expected(7, 20));
  assert.ok(helpers.every((h) => h.asked > 0), 'both helpers took entries');
});

test('a helper that fails part-way gives its entries back, and the engine catches up on them', async () => {
  const helpers = [engine(7, 10, 4), engine(7, 10)];
  const r = await race(7, 20, helpers);
  assert.equal(helpers[0].asked, 4, 'the first helper answered four requests, then failed');
  assert.deepEqual(r.seen, expected(7, 20));
});

test('a short study is not worth a helper', async () => {
  const r = await race(3, 2, [engine(3, 10)]);
  assert.equal(r.recruited, false);
  assert.deepEqual(r.seen, expected(3, 2));
});

test('pieces shared out: each once, a failed helper\'s piece taken by the engine', async () => {
  /** @type {number[]} */
  const done = [];
  let calls = 0;
  const helper = { request: async () => { throw new Error('unused'); } };
  await shareOut(12, async (i) => { await sleep(120); return i * 2; }, async () => [helper], async (_h, i) => {
    calls += 1;
    await sleep(30);
    if (calls > 2) throw new Error('helper died');
    return i * 2;
  }, (i, result) => {
    assert.equal(result, i * 2);
    done.push(i);
  }, () => true);
  assert.deepEqual([...done].sort((a, b) => a - b), [...Array(12).keys()]);
  assert.equal(calls, 3, 'the helper took pieces until it failed');
});
