// Every core in the page: served cross-origin isolated (tools/serve.py's COOP/COEP headers), the
// engine worker loads the threaded package and trains on as many threads as the machine has
// cores, to the same numbers as the one-thread package a plain static host gets.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, metric, openPage, pageLongTasks, ready, startServer, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
/** @type {{ url: string, stop: () => void }} */
let plain;
before(async () => {
  plain = await startServer(ROOT, '/', { isolated: false });
});
after(() => plain?.stop());

/** Trains the link's model to `epochs` on `base` and reads the threads and the numbers. */
async function run(/** @type {string} */ base, /** @type {string} */ hash, /** @type {number} */ epochs) {
  const { page, problems } = await openPage(env.browser.ctx, `${base}${hash}`);
  await ready(page);
  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // While every core trains, the page's own thread stays free: no task over 50 ms.
  await page.evaluate(() => { /** @type {any} */ (window).__longTasks = []; });
  await trainTo(page, epochs);
  const long = await pageLongTasks(page);
  const out = {
    long,
    isolated,
    cores,
    threads: Number(await metric(page, 'threads')),
    numbers: [await metric(page, 'train-loss'), await metric(page, 'train-rmse'), await metric(page, 'test-rmse')],
  };
  assert.deepEqual(problems, []);
  await page.close();
  return out;
}

test('cross-origin isolated, the engine trains on every core, to the numbers of one thread', async (t) => {
  if (!existsSync(join(ROOT, 'www', 'pkg-threads', 'mf_playground_bg.wasm'))) {
    t.skip('no threaded package: tools/build.sh could not rebuild the standard library with atomics here (it said so); the page trains on one thread');
    return;
  }
  // SGD on 120,000 generated ratings (strata of blocks), and ALS on MovieTweetings (rows).
  const cases = [
    ['#data=synthetic&su=2000&si=1000&sd=0.06&algo=sgd&k=8&lr=0.01&test=0.1&epochs=3', 3],
    ['#data=movietweetings&algo=als&k=10&reg=0.1&epochs=4', 4],
  ];
  for (const [hash, epochs] of /** @type {[string, number][]} */ (cases)) {
    const many = await run(env.server.url, hash, epochs);
    const one = await run(plain.url, hash, epochs);
    t.diagnostic(`${hash}: ${many.threads} threads ${many.numbers.join(' ')}; one thread ${one.numbers.join(' ')}`);
    assert.equal(many.isolated, true, 'tools/serve.py isolates the page');
    assert.equal(one.isolated, false, 'served without the headers, it is not');
    assert.equal(many.threads, Math.min(16, many.cores), 'as many threads as cores');
    assert.equal(one.threads, 1);
    assert.deepEqual(many.numbers, one.numbers, 'the same numbers on any number of threads');
    assert.deepEqual(many.long, [], 'no long task on the main thread while every core trains');
  }
});
