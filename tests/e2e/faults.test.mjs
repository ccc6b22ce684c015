// Worker faults: a panic or an allocation failure in the engine is reported, a new worker is
// started and the state (data, edits, model) is replayed into it, so training goes on with the
// same numbers it would have had.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

/** Opens the page recording every epoch report at full precision. */
async function open(hash) {
  const opened = await openPage(env.browser.ctx, `${env.server.url}${hash}`);
  await opened.page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__reports = [];
    document.querySelector('.mfp')?.addEventListener('mfp:epoch', (e) => w.__reports.push(/** @type {CustomEvent} */ (e).detail));
  });
  await opened.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  return opened;
}

/** Sets user 1, item 10 of the observed matrix to 1 through the cell editor. */
async function editCell(page) {
  const canvas = page.locator('.mfp-panel-observed canvas');
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + (9.5 * box.width) / 10, box.y + (0.5 * box.height) / 10);
  await page.waitForFunction(() => !(/** @type {HTMLInputElement} */ (document.querySelector('.mfp-edit-value')).disabled));
  await page.fill('.mfp-edit-value', '1');
  await page.click('.mfp-edit-set');
  await page.waitForSelector('.mfp[data-edited="true"][data-status="idle"]');
}

/** Makes the engine fail the way `kind` says, from inside its worker, as a bug would. */
async function fault(page, kind) {
  const worker = page.workers().find((w) => w.url().endsWith('/engine.worker.js'));
  assert.ok(worker, 'the engine worker is running');
  await worker.evaluate((k) => {
    /** @type {any} */ (self).onmessage({ data: { id: -1, type: 'simulateFault', payload: { kind: k } } });
  }, kind);
  return worker;
}

async function lastReport(page) {
  return page.evaluate(() => /** @type {any} */ (window).__reports.at(-1));
}

test('a panic is reported, the engine restarted, and the edited data and model restored exactly', async () => {
  // The same steps without a fault give the reference numbers.
  const ref = await open('#epochs=20');
  await trainTo(ref.page, 20);
  await editCell(ref.page);
  await ref.page.click('.mfp-step');
  await ref.page.waitForSelector('.mfp[data-status="idle"][data-epoch="21"]');
  // One step past the 20 epochs set reads so (it read "epoch 21 of 20").
  assert.match(await ref.page.locator('.mfp-status').textContent() ?? '', /epoch 21, 1 past the 20 set · trained/);
  const want = await lastReport(ref.page);
  await ref.page.close();

  const { page, problems } = await open('#epochs=20');
  await trainTo(page, 20);
  await editCell(page);
  const before = await page.locator('.mfp-status').textContent();
  const dead = await fault(page, 'panic');
  await page.waitForFunction(() => /A new engine was started/.test(document.querySelector('.mfp-error')?.textContent ?? ''));
  const msg = await page.locator('.mfp-error').textContent();
  assert.match(msg, /the engine panicked: .*simulated panic/);
  assert.match(msg, /your data and model \(epoch 20\) restored/);
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '20');
  assert.equal(await page.locator('.mfp-status').textContent(), before, 'the edited data is shown as before');
  // Terminating a worker that has started workers of its own (the threaded engine's pool) ends
  // them first: give it a moment.
  for (let i = 0; i < 50 && page.workers().includes(dead); i++) await page.waitForTimeout(100);
  assert.ok(!page.workers().includes(dead), 'the failed worker is gone');
  await screenshot(page, 'fault-restored');
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="21"]');
  const got = await lastReport(page);
  assert.equal(got.epoch, 21);
  assert.equal(got.rmse, want.rmse, 'the replayed model trains on exactly as the original');
  assert.equal(got.loss, want.loss);
  assert.doesNotMatch(await page.locator('.mfp-error').textContent() ?? '', /panicked/, 'the message clears once training goes on');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the 0/1 threshold and the restored best epoch are replayed: training goes on with the same numbers', async () => {
  // Ratings shown as 0/1 (setThreshold), trained with early stopping, then back to the best
  // epoch (restoreBest): both change the engine's state, so a restart must bring both back.
  const hash = '#data=synthetic&thr=3.5&k=32&reg=0&lr=0.05&init=0.3&stop=3&epochs=500&test=0.2';
  /** Trains to the early stop, goes back to the best epoch, and returns that epoch. @param {import('playwright-core').Page} page */
  async function toBest(page) {
    await page.waitForFunction(() => /implicit 0\/1/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
    await page.click('.mfp-train');
    await page.waitForSelector('.mfp-stopped:not([hidden])', { timeout: 60_000 });
    const text = await page.locator('.mfp-stopped-text').textContent();
    const best = Number(/The best was epoch (\d+)\./.exec(text ?? '')?.[1]);
    assert.ok(best > 0, text ?? '');
    await page.click('.mfp-restore-best');
    await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${best}"]`);
    return best;
  }
  const ref = await open(hash);
  const best = await toBest(ref.page);
  await ref.page.click('.mfp-step');
  await ref.page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${best + 1}"]`);
  const want = await lastReport(ref.page);
  await ref.page.close();

  const { page, problems } = await open(hash);
  assert.equal(await toBest(page), best);
  await fault(page, 'panic');
  await page.waitForFunction(() => /A new engine was started/.test(document.querySelector('.mfp-error')?.textContent ?? ''));
  assert.match(await page.locator('.mfp-error').textContent() ?? '', new RegExp(`your data and model \\(epoch ${best}\\) restored`));
  await page.click('.mfp-step');
  await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${best + 1}"]`);
  const got = await lastReport(page);
  assert.equal(got.epoch, best + 1);
  assert.equal(got.loss, want.loss, 'the replayed engine has the 0/1 data and the best epoch\'s model');
  assert.equal(got.rmse, want.rmse);
  assert.equal(got.validationRmse, want.validationRmse);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a titles file given after the ratings and a separate test file are replayed too', async () => {
  // u.data, then u.item (setTitles) and a test file (setTestFile): both change the engine's
  // state, so a restart must bring both back with the data.
  const dir = mkdtempSync(join(tmpdir(), 'mfp-faults-'));
  const testFile = join(dir, 'u.test');
  writeFileSync(testFile, '196\t377\t2\n186\t242\t4\n');
  /** Loads the files and trains two epochs. @param {import('playwright-core').Page} page */
  async function setUp(page) {
    await page.click('.mfp-data > summary');
    await page.setInputFiles('.mfp input.mfp-file', join(ROOT, 'tests', 'e2e', 'fixtures', 'u.data'));
    await page.waitForSelector('.mfp-preview:not([hidden])');
    await page.click('.mfp-load');
    await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
    await page.setInputFiles('.mfp input.mfp-titles-file', join(ROOT, 'tests', 'e2e', 'fixtures', 'u.item'));
    await page.waitForFunction(() => /Titles from u\.item applied/.test(document.querySelector('.mfp-data')?.textContent ?? ''));
    await page.setInputFiles('.mfp input.mfp-test-file', testFile);
    await page.waitForFunction(() => /u\.test is the test part now/.test(document.querySelector('.mfp-data')?.textContent ?? ''));
    await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
    await page.click('.mfp-step');
    await page.click('.mfp-step');
    await page.waitForSelector('.mfp[data-status="idle"][data-epoch="2"]');
  }
  const ref = await open('#epochs=5');
  await setUp(ref.page);
  await ref.page.click('.mfp-step');
  await ref.page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]');
  const want = await lastReport(ref.page);
  await ref.page.close();

  const { page, problems } = await open('#epochs=5');
  await setUp(page);
  await fault(page, 'panic');
  await page.waitForFunction(() => /A new engine was started/.test(document.querySelector('.mfp-error')?.textContent ?? ''));
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]');
  const got = await lastReport(page);
  assert.equal(got.testRmse, want.testRmse, 'tested on the test file, as before the fault');
  assert.equal(got.rmse, want.rmse);
  // The titles came back with the data: the recommendations name the films.
  await page.selectOption('.mfp-rec-user', '1');
  await page.waitForFunction(() => /\(19\d\d\)/.test(document.querySelector('.mfp-rec-list')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await page.close();
});

test('running out of memory while a file is loaded: reported, restarted, the file restored', async () => {
  const { page, problems } = await open('#epochs=10');
  // A file picked from disk and then removed there: the restart restores its data all the same
  // (the page keeps what it read, not the file).
  const dir = mkdtempSync(join(tmpdir(), 'mfp-faults-'));
  const file = join(dir, 'small.csv');
  copyFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'small.csv'), file);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input[type="file"]', file);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForFunction(() => /4 users × 3 items/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  rmSync(dir, { recursive: true, force: true });
  await page.click('.mfp-step');
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="2"]');
  await fault(page, 'oom');
  await page.waitForFunction(() => /A new engine was started/.test(document.querySelector('.mfp-error')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.match(await page.locator('.mfp-error').textContent(), /the engine ran out of memory \(\d\.\d GiB in use\)/);
  assert.match(await page.locator('.mfp-status').textContent(), /4 users × 3 items/);
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]');
  // The restored engine answers everything the page asks of it.
  await page.selectOption('.mfp-rec-user', '1');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-rec-list li').length > 0);
  assert.deepEqual(problems, []);
  await page.close();
});
