// A million-rating file, as a practitioner brings one: picked in the data panel, parsed in the
// worker with progress shown, loaded and trained, while the main thread never has a long task
// over 50 ms (PerformanceObserver 'longtask'); the worker's peak memory is reported.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, pageLongTasks, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
const dir = mkdtempSync(join(tmpdir(), 'mfp-large-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a 1M-rating file loads with progress and trains with no long task on the main thread', async (t) => {
  const file = join(dir, 'ratings-1m.csv');
  execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['generate', '--out', file, '--ratings', '1000000', '--stars', '--seed', '3'], { stdio: 'ignore' });
  // The file written out to disk now, not by the kernel while the page is measured.
  execFileSync('sync');
  // One attempt of what a user does: open the page, pick the file, load it, train 3 epochs.
  async function attempt() {
    const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#epochs=3`);
    await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
    await page.click('.mfp-data > summary');
    // What the user sees while the worker reads: the data panel's status, every change of it.
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.__longTasks.length = 0;
      w.__reading = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.mfp-data [role="status"], .mfp-data .mfp-file-status')) w.__reading.push(el.textContent);
      }).observe(document.querySelector('.mfp-data') ?? document.body, { subtree: true, childList: true, characterData: true });
    });
    // When each step began, in page time: a failure says during which one a long task came.
    /** @type {[string, number][]} */
    const steps = [];
    const step = async (/** @type {string} */ name) => steps.push([name, Math.round(await page.evaluate(() => performance.now()))]);
    await step('file picked');
    await page.setInputFiles('.mfp input[type="file"]', file);
    await page.waitForSelector('.mfp-preview:not([hidden])', { timeout: 120_000 });
    await step('preview shown');
    const stats = await page.locator('.mfp-detected-stats').textContent();
    assert.match(stats ?? '', /1,?0\d\d,?\d{3} ratings|10\d{5} ratings/);
    const reading = await page.evaluate(() => /** @type {any} */ (window).__reading);
    const percents = reading.map((s) => /Reading… (\d+)%/.exec(s)?.[1]).filter(Boolean).map(Number);
    assert.ok(percents.some((p) => p > 0 && p < 100), `progress while parsing: ${JSON.stringify(percents)}`);
    // Before: the built-in example (0/1 data) has been evaluated, with its relevance threshold.
    await page.waitForSelector('.mfp-eval-table tbody tr');
    await step('load pressed');
    await page.click('.mfp-load');
    await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 120_000 });
    await step('loaded');
    // At once, not only when the (deferred, on this much data) evaluation runs: the example's
    // table is gone, so nothing on the page describes data that is no longer loaded.
    assert.equal(await page.locator('.mfp-eval-table').first().locator('tr').count(), 0);
    assert.equal(await page.locator('.mfp-eval-note').textContent(), 'Evaluating…');
    await page.locator('.mfp-knobs input[name="nEpochs"]').fill('3');
    await page.locator('.mfp-knobs input[name="nEpochs"]').press('Enter');
    await page.locator('.mfp-knobs input[name="nEpochs"]').blur();
    // The knob has taken (the link follows the knobs) before training starts.
    await page.waitForFunction(() => /(^#|&)epochs=3(&|$)/.test(location.hash));
    assert.match(await page.locator('.mfp-status').textContent() ?? '', /epoch 0 of 3/);
    await step('train pressed');
    await page.click('.mfp-train');
    await page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]', { timeout: 180_000 });
    await step('trained');
    const status = await page.locator('.mfp-status').textContent();
    assert.match(status ?? '', /6000 users × 4000 items/);
    const testRmse = Number(await page.locator('dd[data-metric="test-rmse"]').textContent());
    assert.ok(testRmse > 0.5 && testRmse < 1.2, `test RMSE ${testRmse}`);
    // The worker's peak memory: the ratings, their index and the model, reported in MB.
    const memory = await page.locator('dd[data-metric="engine-memory"]').textContent();
    const mb = Number(/([\d.]+) MB/.exec(memory ?? '')?.[1]);
    assert.ok(mb > 20 && mb < 1024, `engine memory ${memory}`);
    return { page, problems, steps, percents, memory, testRmse, longTasks: await pageLongTasks(page) };
  }
  // On a 2-core machine the worker keeps one core busy, and the page's thread shares the other
  // with the browser's compositor, rasteriser, compilers and its other processes: now and then a
  // frame of 16-32 ms of main-thread work (Chrome traces, 2026-12-02) takes 60-100 ms to
  // finish. So the whole attempt may be made once more, with what the first one saw reported:
  // the test fails when both have a long task, as they do when the page itself causes one.
  let run = await attempt();
  if (run.longTasks.length) {
    t.diagnostic(`first attempt: long tasks ${JSON.stringify(run.longTasks)}; steps began at ${JSON.stringify(run.steps)}; trying once more`);
    assert.deepEqual(run.problems, []);
    await run.page.close();
    run = await attempt();
  }
  const { page, problems, percents, memory, testRmse, longTasks } = run;
  assert.deepEqual(longTasks, [], `no long task over 50 ms (${statSync(file).size} bytes read, trained 3 epochs; steps began at ${JSON.stringify(run.steps)})`);
  t.diagnostic(`1M-rating file: ${(statSync(file).size / 1e6).toFixed(1)} MB; progress ${percents.join(' ')}; ${memory}; test RMSE ${testRmse}; long tasks ${JSON.stringify(longTasks)}`);
  // Six thousand users: the recommendations take a user id in a text box, not a menu.
  assert.equal(await page.locator('.mfp-rec-user').isHidden(), true);
  await page.locator('.mfp-rec-user-id').fill('u4321');
  await page.locator('.mfp-rec-user-id').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-rec-list li').length === 5);
  assert.match(await page.locator('.mfp-rec-rated').textContent() ?? '', /^Rated \d+: /);
  await page.locator('.mfp-rec-user-id').fill('nobody');
  await page.locator('.mfp-rec-user-id').press('Enter');
  await page.waitForFunction(() => /No user has the id “nobody”/.test(document.querySelector('.mfp-rec-user-msg')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-rec-list li').count(), 0);
  // The evaluation, once training has stopped: this data's test part, and a relevance threshold
  // on its 1-5 stars (4, as published "rating >= 4" figures count; not the example's 0/1 one).
  await page.waitForFunction(() => /Test RMSE/.test(document.querySelector('.mfp-eval-table')?.textContent ?? ''), null, { timeout: 120_000 });
  assert.equal(await page.locator('.mfp-eval-threshold').inputValue(), '4');
  assert.match(await page.locator('.mfp-eval-note').textContent() ?? '', /a test rating ≥ 4 is relevant/);
  const evalRmse = Number(await page.locator('[data-metric="eval-test-rmse"]').textContent());
  assert.ok(Math.abs(evalRmse - testRmse) < 0.05, `evaluation's test RMSE ${evalRmse} (a sample) against ${testRmse}`);
  await screenshot(page, 'large-file-1m');
  assert.deepEqual(problems, []);
});
