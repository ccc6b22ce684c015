// Evaluation as a user meets it: early stopping with the best epoch marked, ratings turned into
// 0/1 by a threshold, and charts and tables taken out as PNG, SVG and CSV.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

async function open(hash) {
  const opened = await openPage(env.browser.ctx, `${env.server.url}${hash}`);
  await opened.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  return opened;
}

/** Clicks a download button and returns the file's bytes and name. */
async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

test('early stopping stops at the patience, marks the best epoch, and goes back to it', async () => {
  const { page, problems } = await open('#data=synthetic&k=32&reg=0&lr=0.05&init=0.3&stop=3&epochs=500&test=0.2');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp-stopped:not([hidden])', { timeout: 60_000 });
  const text = await page.locator('.mfp-stopped-text').textContent();
  const m = /Early stopping at epoch (\d+): the validation error has not improved for 3 epochs\. The best was epoch (\d+)\./.exec(text);
  assert.ok(m, text);
  const [stopAt, best] = [Number(m[1]), Number(m[2])];
  assert.equal(stopAt, best + 3);
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), String(stopAt));
  // The history says the same: validation error lowest at the best epoch.
  const csv = (await downloaded(page, '.mfp-panel-loss .mfp-export-csv')).bytes.toString('utf8').trim().split('\n');
  assert.deepEqual(csv[0].split(','), ['epoch', 'train_loss', 'train_rmse', 'test_rmse', 'test_mae', 'validation_rmse', 'milliseconds']);
  const val = csv.slice(1).map((l) => Number(l.split(',')[5]));
  assert.equal(val.length, stopAt);
  assert.equal(val.indexOf(Math.min(...val)) + 1, best);
  // The best epoch is marked on the chart: its SVG has the marker's label.
  const svg = (await downloaded(page, '.mfp-panel-loss .mfp-export-svg')).bytes.toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes(`>best epoch ${best}</text>`), 'marker in the SVG');
  assert.ok((svg.match(/<path /g) ?? []).length >= 4, 'curves and grid as paths');
  await screenshot(page, 'early-stopping');
  await page.click('.mfp-restore-best');
  await page.waitForSelector(`.mfp[data-epoch="${best}"]`);
  assert.ok(await page.locator('.mfp-stopped').isHidden());
  assert.deepEqual(problems, []);
  await page.close();
});

test('the metric over epochs: the model evaluated after nearly every epoch, as its training reports it', async () => {
  const { page, problems } = await open('#data=synthetic&epochs=60&panels=loss,evaluation');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="60"]');
  await page.waitForSelector('.mfp-eval-table[data-epoch="60"]');
  const table = (await downloaded(page, '.mfp-eval-epochs-tools .mfp-export-csv')).bytes.toString('utf8').trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(table[0].slice(0, 4), ['epoch', 'Test RMSE', 'Test MAE', 'Train RMSE']);
  const epochs = table.slice(1).map((r) => Number(r[0]));
  assert.ok(epochs.every((e, j) => j === 0 || e > epochs[j - 1]), `epochs in order: ${epochs}`);
  // The worker evaluates after every epoch it can afford (here nearly all); the page's own
  // refreshes alone saw two or three epochs of this run.
  assert.ok(epochs.length >= 20, `${epochs.length} epochs evaluated: ${epochs}`);
  assert.equal(epochs[0], 0, 'the chart starts from the untrained model');
  assert.equal(epochs.at(-1), 60);
  // Each evaluated epoch's test RMSE is the one training reported for that epoch.
  const history = (await downloaded(page, '.mfp-panel-loss .mfp-export-csv')).bytes.toString('utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const row of table.slice(1)) {
    const e = Number(row[0]);
    if (e === 0) continue;
    const reported = Number(history[e - 1][3]);
    assert.equal(Number(history[e - 1][0]), e);
    assert.ok(Math.abs(Number(row[1]) - reported) < 1e-6, `epoch ${e}: evaluated ${row[1]}, reported ${reported}`);
  }
  // Another k: the errors over epochs stay; the ranking metrics of the earlier epochs were at
  // k = 10, so only the epoch evaluated at k = 5 has them.
  await page.fill('.mfp-eval-k', '5');
  await page.locator('.mfp-eval-k').blur();
  await page.waitForFunction(() => /NDCG@5/.test(document.querySelector('.mfp-eval-table')?.textContent ?? ''));
  const atFive = (await downloaded(page, '.mfp-eval-epochs-tools .mfp-export-csv')).bytes.toString('utf8').trim().split('\n').map((l) => l.split(','));
  const ndcg = atFive[0].indexOf('NDCG@5');
  assert.ok(ndcg > 0, atFive[0].join(','));
  assert.equal(atFive.length, table.length);
  assert.ok(atFive.slice(1, -1).every((r) => r[ndcg] === '' && r[1] !== ''), 'earlier epochs: test RMSE, no NDCG@5');
  assert.ok(Number(atFive.at(-1)?.[ndcg]) > 0, 'the last epoch: NDCG@5');
  assert.deepEqual(problems, []);
  await page.close();
  // With no test part there is no test error to draw: the chart offers what there is.
  const seed = await open('#data=seed-10x10&panels=evaluation');
  await seed.page.waitForSelector('.mfp-eval-table[data-epoch="0"]');
  assert.equal(await seed.page.locator('.mfp-eval-metric').inputValue(), 'train-rmse');
  assert.equal(await seed.page.locator('.mfp-eval-metric option[value="test-rmse"]').isDisabled(), true);
  assert.match(await seed.page.locator('.mfp-eval-chart').getAttribute('aria-label') ?? '', /^Train RMSE over epochs 0 to 0: Model 0\.\d{4}/);
  assert.deepEqual(seed.problems, []);
  await seed.page.close();
});

test('a threshold turns ratings into 0/1, the loss follows, and back', async () => {
  const { page, problems } = await open('#data=synthetic&epochs=5');
  const threshold = page.locator('.mfp-knobs input[name="threshold"]');
  assert.equal(await threshold.isEnabled(), true);
  await threshold.fill('3.5');
  await threshold.blur();
  await page.waitForFunction(() => /implicit 0\/1/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-knobs select[name="loss"]').inputValue(), 'logistic');
  assert.match(await page.evaluate(() => location.hash), /thr=3\.5/);
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="5"]');
  // The observed matrix now holds 0 and 1 only.
  const box = await page.locator('.mfp-panel-observed canvas').boundingBox();
  const seen = new Set();
  for (let k = 0; k < 12; k++) {
    await page.mouse.move(box.x + ((k % 4) + 0.5) * (box.width / 40), box.y + (Math.floor(k / 4) + 0.5) * (box.height / 60));
    const t = await page.locator('.mfp-panel-observed .mfp-hover').textContent();
    const v = /observed ([0-9.]+|unknown)/.exec(t)?.[1];
    if (v && v !== 'unknown') seen.add(v);
  }
  assert.ok([...seen].every((v) => v === '0' || v === '1'), [...seen].join(' '));
  await threshold.fill('0');
  await threshold.blur();
  await page.waitForFunction(() => /scale/.test(document.querySelector('.mfp-status')?.textContent ?? '') || /explicit/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-knobs select[name="loss"]').inputValue(), 'squared');
  // On 0/1 data the threshold has nothing to do.
  const seed = await open('#data=seed-10x10');
  assert.equal(await seed.page.locator('.mfp-knobs input[name="threshold"]').isEnabled(), false);
  await seed.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('charts download as PNG and SVG', async () => {
  const { page, problems } = await open('#epochs=10');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="10"]');
  const png = await downloaded(page, '.mfp-panel-loss .mfp-export-png');
  assert.equal(png.name, 'training-curves.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const svg = await downloaded(page, '.mfp-panel-loss .mfp-export-svg');
  assert.equal(svg.name, 'training-curves.svg');
  assert.match(svg.bytes.toString('utf8'), />epoch<\/text>/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the evaluation chart draws the model over epochs with the baselines as reference lines, as in the table', async () => {
  const { page, problems } = await open('#data=synthetic&epochs=30&panels=evaluation,loss');
  // Freshly loaded data: the untrained model's table, not the previous data's and not a
  // lasting "Evaluating…".
  await page.waitForSelector('.mfp-eval-table tbody tr', { timeout: 15_000 });
  assert.doesNotMatch(await page.locator('.mfp-eval-note').textContent() ?? '', /Evaluating/);
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="30"]');
  // The table says which epoch it is of: the last one, once training has stopped.
  await page.waitForSelector('.mfp-eval-table[data-epoch="30"]', { timeout: 15_000 });
  await page.waitForFunction(() => /over epochs \d+ to 30/.test(document.querySelector('.mfp-eval-chart')?.getAttribute('aria-label') ?? ''), null, { timeout: 15_000 });
  const label = await page.locator('.mfp-eval-chart').getAttribute('aria-label');
  // The chart's values are the table's: the model's and each baseline's test RMSE.
  const cells = await page.locator('.mfp-eval-table tbody tr').first().locator('td').allTextContents();
  const [model, globalMean, biasOnly, popularity, random] = cells;
  assert.match(label, new RegExp(`^Test RMSE over epochs \\d+ to 30: Model ${model}, Global mean ${globalMean}, Bias only ${biasOnly}, Popularity ${popularity}, Random ${random}`));
  assert.match(await page.locator('.mfp-eval-legend').textContent(), /Global mean \(baseline\)/);
  await page.selectOption('.mfp-eval-metric', 'ndcg-at-k');
  assert.match(await page.locator('.mfp-eval-chart').getAttribute('aria-label'), /^NDCG@10 over epochs/);
  const csv = (await downloaded(page, '.mfp-panel-evaluation .mfp-export-csv')).bytes.toString('utf8').trim().split('\n');
  assert.deepEqual(csv[0].split(','), ['metric', 'model', 'global-mean', 'bias-only', 'popularity', 'random']);
  assert.equal(Number(csv[1].split(',')[1]).toFixed(4), model);
  await page.locator('.mfp-panel-evaluation').screenshot({ path: 'tests/e2e/artifacts/evaluation-chart.png' });
  assert.deepEqual(problems, []);
  await page.close();
});
