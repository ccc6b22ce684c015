// The balance sweep and cross-validation from the page, checked against the engine's own
// numbers (`mfp sweep` and `mfp cv` on the same MovieTweetings file, same knobs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DATASET_PRESETS, DEFAULTS } from '../../www/state.js';
import { ROOT, openPage, screenshot, startServer, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
const MFP = join(ROOT, 'target', 'debug', 'mfp');
const RATINGS = join(ROOT, 'www', 'data', 'movietweetings', 'ratings.dat');
/** The MovieTweetings preset's knobs, as mfp flags (read from the page's own table). */
const PRESET = { ...DEFAULTS, ...DATASET_PRESETS.movietweetings };
const KNOBS = [
  '--factors', PRESET.nFactors, '--lr', PRESET.learningRate, '--reg', PRESET.reg, '--epochs', PRESET.nEpochs,
  '--seed', PRESET.seed, '--init-std', PRESET.initStd,
].map(String);

function jsonLines(args) {
  return execFileSync(MFP, args, { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
}

async function open(hash) {
  const opened = await openPage(env.browser.ctx, `${env.server.url}${hash}`);
  await opened.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  return opened;
}

test('the sweep: every point and both fronts as the engine gives them; a click trains that model', async () => {
  const { page, problems } = await open('#data=movietweetings&panels=balance,loss');
  await page.fill('.mfp-sweep-factors', '1, 4, 16');
  await page.fill('.mfp-sweep-regs', '0.05');
  await page.fill('.mfp-sweep-epochs', '10, 20');
  await page.click('.mfp-sweep-run');
  await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 60_000 });
  const rows = await page.locator('.mfp-sweep-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.equal(rows.length, 6);
  const cli = jsonLines(['sweep', '--train', RATINGS, '--split', '0.2', ...KNOBS, '--grid-factors', '1,4,16', '--grid-regs', '0.05', '--grid-epochs', '10,20', '--json']);
  const fin = cli.at(-1);
  rows.forEach((r, k) => {
    const c = cli[k];
    assert.equal(r[0], 'Matrix factorisation');
    assert.deepEqual([Number(r[1]), Number(r[2]), Number(r[3])], [c.factors, c.reg, c.epochs]);
    assert.equal(Number(r[4].replace(/,/g, '')), c.parameters);
    assert.ok(Math.abs(Number(r[5]) - c.test_rmse) < 2e-4, `point ${k + 1}: page ${r[5]}, engine ${c.test_rmse}`);
    assert.equal(r[8].includes('size'), fin.front_size.includes(k + 1), `point ${k + 1} on the size front`);
  });
  // The chart says which points are on the size front, as the table does.
  const label = await page.locator('.mfp-sweep-size').getAttribute('aria-label');
  assert.match(label, /^Test RMSE against parameters, 6 points; on the front: /);
  assert.equal((label.match(/k = /g) ?? []).length, fin.front_size.length);
  await screenshot(page, 'sweep');
  // Click the first point of the size front on the chart: that model is trained.
  const first = fin.front_size[0] - 1;
  // Where the chart puts that dot: log-scaled parameters across, test RMSE up, as xy-chart.js draws.
  const box = await page.locator('.mfp-sweep-size').boundingBox();
  const lx = cli.slice(0, 6).map((c) => Math.log10(c.parameters));
  const ys = rows.map((r) => Number(r[5]));
  const [x0, x1] = [Math.min(...lx), Math.max(...lx)];
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.08;
  const [y0, y1] = [Math.min(...ys) - pad, Math.max(...ys) + pad];
  const x = box.x + 56 + ((lx[first] - x0) / (x1 - x0)) * (box.width - 68);
  const y = box.y + 10 + (box.height - 46) * (1 - (ys[first] - y0) / (y1 - y0));
  const want = `Matrix factorisation, k = ${cli[first].factors}, λ = ${cli[first].reg}, ${cli[first].epochs} epochs`;
  await page.mouse.move(x, y);
  assert.ok((await page.locator('.mfp-sweep-hover').textContent()).startsWith(want), await page.locator('.mfp-sweep-hover').textContent());
  await page.mouse.click(x, y);
  const clicked = true;
  assert.ok(clicked, `found ${want} on the chart`);
  await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${cli[first].epochs}"]`, { timeout: 30_000 });
  assert.equal(await page.locator('.mfp-knobs input[name="nFactors"]').inputValue(), String(cli[first].factors));
  const testRmse = Number(await page.locator('[data-metric="test-rmse"]').textContent());
  assert.ok(Math.abs(testRmse - cli[first].test_rmse) < 2e-4, `loaded model ${testRmse}, sweep ${cli[first].test_rmse}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the default sweep can be cancelled; its table then stops growing', async () => {
  const { page, problems } = await open('#data=movietweetings&panels=balance');
  await page.click('.mfp-sweep-run');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-sweep-table tbody tr').length >= 3, null, { timeout: 30_000 });
  await page.click('.mfp-sweep-cancel');
  await page.waitForSelector('.mfp-sweep[data-sweep="cancelled"]');
  const n = await page.locator('.mfp-sweep-table tbody tr').count();
  assert.ok(n < 36);
  await page.waitForTimeout(800);
  assert.equal(await page.locator('.mfp-sweep-table tbody tr').count(), n);
  assert.match(await page.locator('.mfp-sweep-status').textContent(), new RegExp(`Cancelled after ${n} points`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('cross-validation in the page gives the engine\'s fold errors', async () => {
  const { page, problems } = await open('#data=movietweetings&panels=evaluation');
  await page.fill('.mfp-cv-folds', '3');
  await page.click('.mfp-cv-run');
  await page.waitForSelector('.mfp-cv[data-cv="done"]', { timeout: 60_000 });
  const cells = await page.locator('.mfp-cv-table tbody tr[data-fold]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const cli = jsonLines(['cv', '--train', RATINGS, '--folds', '3', ...KNOBS, '--json']);
  assert.equal(cells.length, 3);
  const mean = (await page.locator('[data-metric="cv-test-rmse"]').textContent()) ?? '';
  const cliMean = cli.at(-1).test_rmse_mean;
  assert.ok(Math.abs(Number(mean.split(' ± ')[0]) - cliMean) < 2e-4, `mean ${mean} vs ${cliMean}`);
  for (let f = 0; f < 3; f++) {
    const pageRmse = Number(cells[f][2]); // Fold, Train RMSE, Test RMSE, Test MAE, ms
    assert.ok(Math.abs(Number(cells[f][1]) - cli[f].train_rmse) < 2e-4, `fold ${f + 1} train RMSE`);
    assert.ok(Math.abs(pageRmse - cli[f].test_rmse) < 2e-4, `fold ${f + 1}: page ${pageRmse}, engine ${cli[f].test_rmse}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

/** The race's last errors by racer, once it is done, and how many workers it ran on. */
async function race(/** @type {import('playwright-core').Page} */ page) {
  await page.click('.mfp-race-start');
  await page.waitForSelector('.mfp-race[data-race="done"]', { timeout: 300_000 });
  const values = await page.locator('.mfp-race-legend li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-racer')} ${li.getAttribute('data-value')}`));
  return { values, workers: Number(await page.locator('.mfp-race').getAttribute('data-workers')) };
}

/** Loads a ratings file from the data panel. */
async function loadFile(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ file) {
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-file', file);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 60_000 });
}

test('served without isolation, a long sweep, cross-validation and race take extra workers, to the same numbers', async () => {
  // One thread per engine there: once the work left is long enough to pay for them, the points
  // and folds are shared among engines of their own (one per core), each given the data by
  // replaying the requests that made it. 200,000 generated ratings, so a point takes a while.
  const dir = mkdtempSync(join(tmpdir(), 'mfp-pool-'));
  const file = join(dir, 'ratings.csv');
  execFileSync(MFP, ['generate', '--out', file, '--users', '2000', '--items', '1000', '--ratings', '200000', '--seed', '3'], { stdio: 'ignore' });
  const P = { ...DEFAULTS, ...DATASET_PRESETS.file };
  const knobs = ['--lr', P.learningRate, '--seed', P.seed, '--init-std', P.initStd].map(String);
  const plain = await startServer(ROOT, '/', { isolated: false });
  try {
    const { page, problems } = await openPage(env.browser.ctx, `${plain.url}#panels=balance,evaluation,race`);
    await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await loadFile(page, file);
    // The folds train for the Epochs knob (the file's preset set it to 30).
    await page.fill('.mfp-knobs [name="nEpochs"]', '40');
    await page.locator('.mfp-knobs [name="nEpochs"]').blur();
    await page.fill('.mfp-sweep-factors', '8, 32, 128');
    await page.fill('.mfp-sweep-regs', '0.02, 0.1');
    await page.fill('.mfp-sweep-epochs', '40');
    await page.click('.mfp-sweep-run');
    await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 300_000 });
    const workers = Number(await page.locator('.mfp-sweep').getAttribute('data-workers'));
    assert.equal(workers, Math.min(cores, 6), 'a worker per core (within the memory budget)');
    if (workers > 1) assert.match(await page.locator('.mfp-sweep-status').textContent() ?? '', new RegExp(`on ${workers} workers`));
    const rows = await page.locator('.mfp-sweep-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const cli = jsonLines(['sweep', '--train', file, '--split', String(P.testFraction), ...knobs, '--grid-factors', '8,32,128', '--grid-regs', '0.02,0.1', '--grid-epochs', '40', '--json']);
    const fin = cli.at(-1);
    assert.equal(rows.length, 6);
    rows.forEach((r, k) => {
      const c = cli[k];
      assert.deepEqual([Number(r[1]), Number(r[2]), Number(r[3])], [c.factors, c.reg, c.epochs], 'the points in order');
      assert.ok(Math.abs(Number(r[5]) - c.test_rmse) < 2e-4, `point ${k + 1}: page ${r[5]}, engine ${c.test_rmse}`);
      assert.equal(r[8].includes('size'), fin.front_size.includes(k + 1), `point ${k + 1} on the size front`);
    });
    // The helpers are gone with the sweep: only the engine's worker is left.
    const alone = async () => {
      for (let i = 0; i < 50 && page.workers().length > 1; i++) await page.waitForTimeout(100);
      assert.equal(page.workers().length, 1, page.workers().map((w) => w.url()).join(' '));
    };
    await alone();
    // Cross-validation's folds are shared out too (40 epochs each), with the engine's errors.
    await page.fill('.mfp-cv-folds', '5');
    await page.click('.mfp-cv-run');
    await page.waitForSelector('.mfp-cv[data-cv="done"]', { timeout: 300_000 });
    assert.equal(Number(await page.locator('.mfp-cv').getAttribute('data-workers')), Math.min(cores, 5));
    const cells = await page.locator('.mfp-cv-table tbody tr[data-fold]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const cv = jsonLines(['cv', '--train', file, '--folds', '5', '--factors', String(P.nFactors), '--reg', String(P.reg), '--epochs', '40', ...knobs, '--json']);
    assert.deepEqual(cells.map((c) => c[0]), ['1', '2', '3', '4', '5'], 'the folds in order');
    for (let f = 0; f < 5; f++) assert.ok(Math.abs(Number(cells[f][2]) - cv[f].test_rmse) < 2e-4, `fold ${f + 1}: page ${cells[f][2]}, engine ${cv[f].test_rmse}`);
    await alone();
    // The race's racers are shared out (each helper catches up on the epochs it takes over) to
    // the numbers of a page that says it has one core, where the engine steps them all.
    await page.fill('.mfp-knobs [name="nEpochs"]', '4');
    await page.locator('.mfp-knobs [name="nEpochs"]').blur();
    const pooled = await race(page);
    assert.equal(pooled.workers, Math.min(cores, 7), 'a worker per core, for 7 racers');
    if (pooled.workers > 1) assert.match(await page.locator('.mfp-race-note').textContent() ?? '', new RegExp(`${pooled.workers} workers`));
    await alone();
    assert.deepEqual(problems, []);
    await page.close();
    const lone = await openPage(env.browser.ctx, `${plain.url}#panels=race`, { cores: 1 });
    await lone.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
    await loadFile(lone.page, file);
    await lone.page.fill('.mfp-knobs [name="nEpochs"]', '4');
    await lone.page.locator('.mfp-knobs [name="nEpochs"]').blur();
    const alonePage = await race(lone.page);
    assert.equal(alonePage.workers, 1);
    assert.equal(pooled.values.length, 7);
    assert.deepEqual(pooled.values, alonePage.values, 'every racer to the same numbers');
    assert.deepEqual(lone.problems, []);
    await lone.page.close();
  } finally {
    plain.stop();
  }
});
