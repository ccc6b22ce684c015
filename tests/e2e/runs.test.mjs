// Runs, as a user meets them: every finished training kept in the browser (and still there
// after a reload), two compared side by side with a verdict on whether the difference is real
// (the same figures `mfp compare` prints for the same runs), per-user distributions, a run
// opened again to its own figures, exported and imported back; a file that is not a run, a run
// of other data and a full storage each get a message and lose nothing.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, metric, openPage, pageLongTasks, ready, ROOT, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after }, { height: 1000 });

/** @param {import('playwright-core').Page} page @param {number} n */
const runsListed = (page, n) => page.waitForSelector(`.mfp-runs[data-runs="${n}"]`, { timeout: 30_000 });

/** @param {import('playwright-core').Page} page @param {string} selector */
async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), path: await dl.path(), text: readFileSync(await dl.path(), 'utf8') };
}

/** @param {import('playwright-core').Page} page @param {string} value */
async function setFactors(page, value) {
  await page.locator('.mfp-knobs input[name="nFactors"]').fill(value);
  await page.locator('.mfp-knobs input[name="nFactors"]').blur();
}

const mfp = join(ROOT, 'target', 'debug', 'mfp');

test('finished trainings are kept, compared with a verdict, opened again, exported and imported', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=8&k=8`);
  await ready(page);
  await trainTo(page, 8);
  await runsListed(page, 1);
  // The run keeps the evaluation's figures: the table's NDCG@10 and test RMSE.
  await page.waitForSelector('.mfp-eval-table[data-epoch="8"] [data-metric="eval-ndcg-at-k"]');
  const first = { rmse: await metric(page, 'test-rmse'), ndcg: await metric(page, 'eval-ndcg-at-k') };
  const row1 = page.locator('.mfp-runs-table tr[data-run="1"]');
  assert.match(await row1.locator('th').textContent(), /^1\. mf squared, k = 8, 8 epochs$/);
  assert.equal(await row1.locator('td').nth(4).textContent(), first.rmse);
  assert.equal(await row1.locator('td').nth(5).textContent(), first.ndcg);

  await setFactors(page, '2');
  await trainTo(page, 8);
  await runsListed(page, 2);
  // Choose both: A is run 1, B run 2.
  await page.check('.mfp-runs-table tr[data-run="1"] input[type="checkbox"]');
  await page.check('.mfp-runs-table tr[data-run="2"] input[type="checkbox"]');
  await page.waitForSelector('.mfp-runs-compare:not([hidden]) .mfp-runs-verdict[data-against="B"] tr[data-metric="ndcg@10"]');
  const figures = await page.locator('.mfp-runs-figures tr[data-figure="test_rmse"] td').allTextContents();
  assert.equal(figures.length, 2);
  assert.ok(figures[1].includes('(') && figures[0] === first.rmse, `${figures}`);
  const verdict = await page.locator('.mfp-runs-verdict[data-against="B"] tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(verdict.map((r) => r[0]), ['RMSE', 'NDCG@10', 'Recall@10']);

  // Exported: one file of both runs, the format mfp reads; mfp compare says the same.
  const file = await downloaded(page, '.mfp-runs-export');
  assert.equal(file.name, 'mfp-runs.json');
  const exported = JSON.parse(file.text);
  assert.equal(exported.format, 'mfp-runs');
  assert.equal(exported.runs.length, 2);
  assert.ok(exported.runs[0].model, 'a small model is kept');
  assert.equal(exported.runs[0].knobs.nFactors, 8);
  {
    const dir = mkdtempSync(join(tmpdir(), 'mfp-runs-'));
    exported.runs.forEach((r, j) => writeFileSync(join(dir, `${j}.json`), JSON.stringify(r)));
    const c = JSON.parse(execFileSync(mfp, ['compare', join(dir, '0.json'), join(dir, '1.json'), '--json'], { encoding: 'utf8' }));
    const ndcg = c.metrics.find((/** @type {any} */ m) => m[0] === 'ndcg@10')[1];
    const row = verdict[1];
    assert.equal(row[1], String(ndcg.n));
    assert.equal(row[2], ndcg.meanA.toFixed(4));
    assert.equal(row[3], ndcg.meanB.toFixed(4));
    assert.equal(row[6], ndcg.pValue < 0.001 ? '< 0.001' : ndcg.pValue.toFixed(3));
  }
  // Per-user distributions: both runs, as ECDF and as histogram.
  assert.match(await page.locator('.mfp-runs-dist-note').textContent(), /A: median .*B: median/);
  await page.selectOption('.mfp-runs-shape', 'histogram');
  await page.selectOption('.mfp-runs-figure', 'rmse');
  assert.match(await page.locator('.mfp-runs-dist-note').textContent(), /20 bins/);
  // The same items on both maps: B turned onto A lies closer than B as it came out.
  await page.waitForSelector('.mfp-runs-maps:not([hidden])[data-after]');
  const before = Number(await page.locator('.mfp-runs-maps').getAttribute('data-before'));
  const after = Number(await page.locator('.mfp-runs-maps').getAttribute('data-after'));
  assert.ok(after < before, `${after} < ${before}`);
  assert.match(await page.locator('.mfp-runs-maps-note').textContent(), /The items that truly moved most: .+ \(\d\.\d\d\)/);
  await screenshot(page, 'runs-compared');

  // Still there after a reload: the browser keeps them.
  await page.reload();
  await ready(page);
  await runsListed(page, 2);

  // Run 1 opened again: its knobs, its epoch, its figures.
  await page.click('.mfp-runs-table tr[data-run="1"] .mfp-runs-open');
  await page.waitForFunction(() => /Opened run 1|Error|not|refused/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
  assert.match(await page.locator('.mfp-runs-said').textContent(), /^Opened run 1: mf squared, k = 8, 8 epochs\.$/);
  assert.equal(await page.locator('.mfp-knobs input[name="nFactors"]').inputValue(), '8');
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '8');
  assert.equal(await metric(page, 'test-rmse'), first.rmse);
  await page.waitForFunction((want) => document.querySelector('.mfp-eval-table [data-metric="eval-ndcg-at-k"]')?.textContent === want, first.ndcg, { timeout: 5000 }).catch(async (e) => {
    console.log('DEBUG', first, await page.locator('.mfp-eval-table').textContent(), await page.locator('.mfp-runs-said').textContent());
    await screenshot(page, 'runs-debug');
    throw e;
  });

  // Deleted, then imported back from the file.
  page.once('dialog', (d) => d.accept());
  await page.click('.mfp-runs-clear');
  await runsListed(page, 0);
  await page.setInputFiles('.mfp-runs-file', { name: 'mfp-runs.json', mimeType: 'application/json', buffer: Buffer.from(file.text) });
  await runsListed(page, 2);
  assert.match(await page.locator('.mfp-runs-said').textContent(), /Imported 2 runs from mfp-runs\.json/);

  // Not a run: a message, nothing lost.
  await page.setInputFiles('.mfp-runs-file', { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "mf-playground-model"}') });
  await page.waitForFunction(() => /is not an mfp run/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
  await runsListed(page, 2);

  // The browser's storage full: a message, and the runs kept are untouched.
  await page.evaluate(() => {
    IDBObjectStore.prototype.add = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.click('.mfp-runs-keep');
  await page.waitForFunction(() => /storage for this page is full/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
  await runsListed(page, 2);
  assert.deepEqual(problems, []);
});

test('a run of other data is refused when opened and when compared, saying why', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=article-random&epochs=3`);
  await ready(page);
  await runsListed(page, 2); // the first test's runs, kept by this browser
  await trainTo(page, 3);
  await runsListed(page, 3);
  const rows = page.locator('.mfp-runs-table tbody tr');
  const old = await rows.first().getAttribute('data-run');
  assert.match(await rows.first().locator('td').nth(1).textContent(), /not the loaded data/);
  await rows.first().locator('.mfp-runs-open').click();
  await page.waitForFunction(() => /was trained on other data/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
  // The model in place stays.
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '3');
  await page.check(`.mfp-runs-table tr[data-run="${old}"] input[type="checkbox"]`);
  const last = await rows.last().getAttribute('data-run');
  await page.check(`.mfp-runs-table tr[data-run="${last}"] input[type="checkbox"]`);
  await page.waitForSelector('.mfp-runs-refused');
  assert.match(await page.locator('.mfp-runs-refused').textContent(), /trained on different data/);
  assert.deepEqual(problems, []);
});

test('a browser that keeps nothing still keeps runs for the tab, and says so', async () => {
  const page = await env.browser.ctx.newPage();
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await page.goto(`${env.server.url}#data=seed-10x10&epochs=5`);
  await ready(page);
  await trainTo(page, 5);
  await runsListed(page, 1);
  assert.match(await page.locator('.mfp-runs-usage').textContent(), /keeps no runs for this page \(this browser has no IndexedDB\): they last until the tab is closed/);
});

test('a run mfp wrote on the same file opens in the page, to its figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-run-cli-'));
  const run = join(dir, 'cli-run.json');
  const ratings = join(ROOT, 'www', 'data', 'movietweetings', 'ratings.dat');
  // The page's defaults for this data: a fifth held out at random, seed 42, k = 8, 8 epochs.
  const printed = JSON.parse(execFileSync(mfp, ['train', '--train', ratings, '--split', '0.2', '--seed', '42', '--factors', '8', '--epochs', '8', '--json', '--run-out', run], { encoding: 'utf8' }).trim().split('\n').at(-1));
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=8&k=8`);
  await ready(page);
  const rows = page.locator('.mfp-runs-table tbody tr');
  await page.waitForSelector('.mfp-runs[data-runs]');
  const before = await rows.count();
  await page.setInputFiles('.mfp-runs-file', run);
  await page.waitForFunction((n) => document.querySelectorAll('.mfp-runs-table tbody tr').length === n + 1, before);
  const row = rows.last();
  assert.match(await row.locator('th').textContent(), /mf squared, k = 8, 8 epochs$/);
  assert.doesNotMatch(await row.locator('td').nth(1).textContent(), /not the loaded data/, 'the same data: the same fingerprint');
  await row.locator('.mfp-runs-open').click();
  await page.waitForFunction(() => /^Opened run/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
  // The page's split is mfp's: no note that the test part differs, and the same test RMSE.
  assert.doesNotMatch(await page.locator('.mfp-runs-said').textContent(), /another test part/);
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '8');
  assert.equal(await metric(page, 'test-rmse'), printed.test_rmse.toFixed(4));
  assert.deepEqual(problems, []);
});

test('a page without the Runs panel keeps no runs', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=seed-10x10&epochs=5&panels=loss`);
  await ready(page);
  await page.waitForSelector('.mfp-runs[data-runs]', { state: 'attached' });
  const before = await page.locator('.mfp-runs').getAttribute('data-runs');
  await trainTo(page, 5);
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.mfp-runs').getAttribute('data-runs'), before);
  assert.deepEqual(problems, []);
});

test('a page that kept many runs opens as fast as one that kept none, and lists the runs an earlier version kept', async (t) => {
  // 120 runs of 368 KB (k = 64 on MovieTweetings): 44 MB, in the store as the page kept them
  // before runs had heads (version 1: the runs' JSON only). Opening the page lists them from
  // their heads (made once, when the store is upgraded, and on later loads read alone): no
  // callback of the store over 50 ms.
  const dir = mkdtempSync(join(tmpdir(), 'mfp-run-many-'));
  const file = join(dir, 'run.json');
  const ratings = join(ROOT, 'www', 'data', 'movietweetings', 'ratings.dat');
  execFileSync(mfp, ['train', '--train', ratings, '--split', '0.2', '--seed', '42', '--factors', '64', '--epochs', '2', '--run-out', file]);
  const json = readFileSync(file, 'utf8');
  const browser = await launch();
  try {
    const blank = await browser.ctx.newPage();
    await blank.goto(`${env.server.url}README.md`);
    await blank.evaluate((json) => new Promise((resolve, reject) => {
      const open = indexedDB.open('mf-playground', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const t = open.result.transaction('runs', 'readwrite');
        for (let i = 0; i < 120; i++) t.objectStore('runs').add({ json, saved: Date.now() });
        t.oncomplete = () => { open.result.close(); resolve(undefined); };
        t.onerror = () => reject(t.error);
      };
    }), json);
    await blank.close();
    for (const load of ['upgrade', 'again']) {
      const { page, problems } = await openPage(browser.ctx, `${env.server.url}#data=movietweetings`);
      await ready(page);
      await runsListed(page, 120);
      // What IndexedDB hands the page runs in its callbacks: reading every run whole there
      // froze the page for 1.4-1.6 s here.
      const tasks = await pageLongTasks(page);
      t.diagnostic(`${load}: ${JSON.stringify(tasks)}`);
      const slow = tasks.filter((x) => x.frame?.scripts.some((/** @type {string} */ s) => /^IDB\w+\.on\w+ .* (\d+) ms/.test(s) && Number(/ (\d+) ms/.exec(s)?.[1]) > 50));
      assert.deepEqual(slow, [], `${load}: reading the runs took over 50 ms`);
      assert.match(await page.locator('.mfp-runs-usage').textContent(), /^120 runs take 42\.\d MB of 100\.0 MB \(their models 4\d\.\d MB\)/);
      assert.match(await page.locator('.mfp-runs-table tr[data-run="120"] th').textContent(), /^120\. mf squared, k = 64, 2 epochs$/);
      assert.deepEqual(problems, []);
      if (load === 'again') {
        // A run listed from its head opens whole.
        await page.locator('.mfp-runs-table tr[data-run="120"] .mfp-runs-open').click();
        await page.waitForFunction(() => /^Opened run 120/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
        assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '2');
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('another tab holding an older store of runs: the page says so and lists the runs once it lets go; a newer one taking over is said when a run is kept', async () => {
  const browser = await launch();
  try {
    // A tab of the page as it was (version 1 of the store), still open.
    const old = await browser.ctx.newPage();
    await old.goto(`${env.server.url}README.md`);
    await old.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('mf-playground', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        /** @type {any} */ (window).held = open.result;
        resolve(undefined);
      };
    }));
    const { page, problems } = await openPage(browser.ctx, `${env.server.url}#data=seed-10x10&epochs=3`);
    await ready(page);
    await page.waitForFunction(() => /open when the other tabs of this page are closed or reloaded/.test(document.querySelector('.mfp-runs-usage')?.textContent ?? ''));
    await old.close();
    await page.waitForFunction(() => /^No runs yet/.test(document.querySelector('.mfp-runs-usage')?.textContent ?? ''));
    await trainTo(page, 3);
    await runsListed(page, 1);
    // A newer version elsewhere upgrades the store: this page lets it go, and says so when it
    // next needs it; what it listed stays listed.
    const newer = await browser.ctx.newPage();
    await newer.goto(`${env.server.url}README.md`);
    await newer.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('mf-playground', 3);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => resolve(undefined);
    }));
    await page.click('.mfp-runs-keep');
    await page.waitForFunction(() => /took over the store of runs: reload this page/.test(document.querySelector('.mfp-runs-said')?.textContent ?? ''));
    assert.equal(await page.locator('.mfp-runs').getAttribute('data-runs'), '1');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the runs list sorts by any figure, by mouse or keyboard, and a run is renamed in place, for good', async () => {
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser.ctx, `${env.server.url}#data=movietweetings&epochs=2&k=8`);
    await ready(page);
    for (const [n, k] of [[1, '8'], [2, '1'], [3, '4']]) {
      if (n > 1) await setFactors(page, k);
      await page.click(n > 1 ? '.mfp-reset' : '.mfp-train');
      if (n > 1) {
        await ready(page);
        await page.click('.mfp-train');
      }
      await page.waitForSelector('.mfp[data-status="idle"][data-epoch="2"]');
      await runsListed(page, n);
    }
    const order = () => page.locator('.mfp-runs-table tbody tr').evaluateAll((rows) => rows.map((r) => Number(/** @type {HTMLElement} */ (r).dataset.run)));
    const rmse = async () => (await page.locator('.mfp-runs-table tbody tr td:nth-child(6)').allTextContents()).map(Number);
    assert.deepEqual(await order(), [1, 2, 3]);
    await page.click('.mfp-runs-table th[data-column="test_rmse"] button');
    const up = await rmse();
    assert.deepEqual(up, up.slice().sort((a, b) => a - b), `ascending: ${up}`);
    assert.equal(await page.locator('.mfp-runs-table th[data-column="test_rmse"]').getAttribute('aria-sort'), 'ascending');
    // Again, from the keyboard: the header keeps the focus and the order turns.
    assert.equal(await page.evaluate(() => document.activeElement?.closest('th')?.dataset.column), 'test_rmse');
    await page.keyboard.press('Enter');
    const down = await rmse();
    assert.deepEqual(down, up.slice().reverse(), `descending: ${down}`);
    assert.equal(await page.locator('.mfp-runs-table th[data-column="test_rmse"]').getAttribute('aria-sort'), 'descending');
    assert.notDeepEqual(up, down, 'three models of 8, 1 and 4 factors differ');

    // Rename run 2: Escape leaves the name, Enter keeps the new one, in the run itself.
    const name2 = page.locator('.mfp-runs-table tr[data-run="2"] th');
    const before = await name2.textContent();
    await page.click('.mfp-runs-table tr[data-run="2"] .mfp-runs-rename');
    await page.keyboard.type('thrown away');
    await page.keyboard.press('Escape');
    assert.equal(await name2.textContent(), before);
    await page.click('.mfp-runs-table tr[data-run="2"] .mfp-runs-rename');
    await page.keyboard.type('one factor, the baseline');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.mfp-runs-table tr[data-run="2"] th')?.textContent === '2. one factor, the baseline');
    assert.match(await page.locator('.mfp-runs-said').textContent(), /Run 2 renamed: one factor, the baseline\./);
    // After a reload, and in what is exported.
    await page.reload();
    await ready(page);
    await runsListed(page, 3);
    assert.equal(await page.locator('.mfp-runs-table tr[data-run="2"] th').textContent(), '2. one factor, the baseline');
    await page.check('.mfp-runs-table tr[data-run="2"] input[type="checkbox"]');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.mfp-runs-export')]);
    const file = JSON.parse(readFileSync(await dl.path(), 'utf8'));
    assert.deepEqual(file.runs.map((/** @type {any} */ r) => r.name), ['one factor, the baseline']);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
