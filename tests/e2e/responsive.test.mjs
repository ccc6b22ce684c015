// A long epoch: 2,000 x 2,000 generated ratings (4M) with k = 256 and Adam (SGD's epoch got too
// quick for this since its vector kernels), where one epoch takes well over 200 ms in wasm (the
// test checks that it does). Pause must stop the engine within 200 ms (the worker then answers the next
// request at once), the main thread must have no long task while it trains, and resuming
// finishes the interrupted epoch where it stopped.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pageLongTasks, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

test('pause stops a long epoch within 200 ms and resume continues it', async (t) => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&su=2000&si=2000&sd=1&k=256&algo=adam&batch=256&epochs=3&test=0`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 60_000 });
  assert.match(await page.locator('.mfp-status').textContent(), /2000 users × 2000 items, 4000000 ratings/);
  assert.match(await page.locator('.mfp-downsampled').textContent(), /each square stands for 7 users × 7 items/);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__longTasks.length = 0;
    w.__epochs = [];
    document.querySelector('.mfp')?.addEventListener('mfp:epoch', (e) => w.__epochs.push(/** @type {CustomEvent} */ (e).detail));
    // What the evaluation says while this much data trains (it is evaluated only when still).
    w.__evalWhen = [];
    const when = document.querySelector('.mfp-eval-when');
    new MutationObserver(() => {
      if (!when?.hidden) w.__evalWhen.push(when?.textContent);
    }).observe(/** @type {Element} */ (when), { attributes: true, childList: true, characterData: true, subtree: true });
  });
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="training"]');
  await page.waitForTimeout(150);

  // Pause, then ask the engine for something: it must answer within 200 ms.
  // Measured in the page: from the click on Pause to the worker's answer (the explanation).
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    document.querySelector('.mfp-pause')?.addEventListener('click', () => { w.__pausedAt = performance.now(); });
    new MutationObserver(() => {
      if (!w.__answeredAt && document.querySelector('.mfp-bars [data-term="score"]')) w.__answeredAt = performance.now();
    }).observe(document.querySelector('.mfp-bars'), { childList: true });
  });
  const predicted = page.locator('.mfp-panel-predicted canvas');
  await predicted.scrollIntoViewIfNeeded();
  const box = await predicted.boundingBox();
  await page.evaluate(() => /** @type {HTMLButtonElement} */ (document.querySelector('.mfp-pause')).click());
  await page.mouse.click(box.x + 20, box.y + 20);
  await page.waitForSelector('.mfp-bars [data-term="score"]');
  const elapsed = await page.evaluate(() => /** @type {any} */ (window).__answeredAt - /** @type {any} */ (window).__pausedAt);
  t.diagnostic(`the engine answered ${Math.round(elapsed)} ms after Pause`);
  assert.ok(elapsed < 200, `the engine answered ${Math.round(elapsed)} ms after Pause`);
  assert.equal(await page.locator('.mfp').getAttribute('data-status'), 'idle');

  // Paused inside the first epoch: nothing is finished, yet there is something to resume.
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '0');
  assert.equal(await page.locator('.mfp-pause').textContent(), 'Resume');
  // Resume: the interrupted epoch completes, then the rest.
  await page.click('.mfp-pause');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]', { timeout: 60_000 });
  const longTasks = await pageLongTasks(page);
  const epochs = await page.evaluate(() => /** @type {any} */ (window).__epochs);
  assert.equal(epochs.length, 3);
  assert.ok(epochs.every((e) => e.millis > 400), `epochs long enough to need interrupting: ${epochs.map((e) => Math.round(e.millis))} ms`);
  assert.deepEqual(longTasks, [], 'no long task on the main thread while training');
  // While it trained, the evaluation said it waits for training to stop (and of which epoch its
  // table is); once the model is still, it is evaluated and the note goes.
  const said = await page.evaluate(() => /** @type {any} */ (window).__evalWhen);
  assert.ok(said.some((x) => /on data this large it is refreshed when training stops|filled in when training stops/.test(x)), JSON.stringify(said));
  await page.waitForSelector('.mfp-eval-when', { state: 'hidden', timeout: 60_000 });
  await page.waitForSelector('.mfp-eval-table tbody tr', { timeout: 60_000 });
  await screenshot(page, 'long-epoch-2000x2000');
  assert.deepEqual(problems, []);
});
