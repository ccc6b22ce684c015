// A model Spark MLlib's ALS saved, opened in the page: the folder picked, a .zip of it, and a
// folder that is not a model refused with the model kept. The folder here is the one
// `mfp export --spark-model` writes (tests/spark/roundtrip.py checks that Spark itself loads
// it and predicts the same, and that mfp reads the folders Spark writes); the page must predict
// what `mfp predict` predicts from the same folder.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
const MFP = join(ROOT, 'target', 'debug', 'mfp');
const RATINGS = join(ROOT, 'www', 'data', 'movietweetings', 'ratings.dat');

async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await dl.path(), 'utf8');
}

/** Predictions by "user,item" from CSV with a header naming user, item and prediction. */
function byPair(/** @type {string} */ csv) {
  const [head, ...rows] = csv.trim().split('\n');
  const col = head.split(',');
  const [u, i, p] = ['user', 'item', 'prediction'].map((c) => col.indexOf(c));
  return new Map(rows.map((r) => r.split(',')).map((c) => [`${c[u]},${c[i]}`, Number(c[p])]));
}

test('a Spark ALS model opens in the page, as a folder or a .zip, and predicts what mfp predicts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-spark-'));
  const model = join(dir, 'model.json');
  const folder = join(dir, 'als-model');
  execFileSync(MFP, ['train', '--train', RATINGS, '--split', '0.2', '--algo', 'als', '--factors', '6', '--epochs', '6', '--save', model], { stdio: 'ignore' });
  execFileSync(MFP, ['export', '--model', model, '--spark-model', folder], { stdio: 'ignore' });
  const want = byPair(execFileSync(MFP, ['predict', '--model', folder, '--train', RATINGS, '--data', RATINGS], { encoding: 'utf8' }));
  const zip = join(dir, 'als-model.zip');
  execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2], "als-model")', zip.replace(/\.zip$/, ''), dir]);
  // Not a model: a folder of another Spark model; and an ALS model's metadata without its tables.
  const other = join(dir, 'other');
  mkdirSync(join(other, 'metadata'), { recursive: true });
  writeFileSync(join(other, 'metadata', 'part-00000'), '{"class":"org.apache.spark.ml.feature.StringIndexerModel"}\n');
  const halfway = join(dir, 'halfway');
  mkdirSync(join(halfway, 'metadata'), { recursive: true });
  cpSync(join(dir, 'als-model', 'metadata'), join(halfway, 'metadata'), { recursive: true });

  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&panels=loss,embeddings,recommend`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-io > summary');
  const status = page.locator('.mfp-io-status');
  const check = async (/** @type {string} */ how) => {
    const got = byPair(await downloaded(page, '.mfp-io-predictions'));
    assert.equal(got.size, 7891);
    let worst = 0;
    for (const [pair, v] of got) worst = Math.max(worst, Math.abs(v - /** @type {number} */ (want.get(pair))));
    assert.ok(worst <= 1e-4, `${how}: the page's predictions are mfp's (largest difference ${worst})`);
  };

  await page.setInputFiles('.mfp-io-spark-folder', folder);
  await page.waitForFunction(() => /Opened the Spark model/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.match(await status.textContent() ?? '', /als-model.*rank 6 is a biased model of 6 factors|biased model/);
  assert.equal(await page.locator('.mfp-knobs input[name="nFactors"]').inputValue(), '6', 'the knobs follow the model');
  await check('the folder');
  await screenshot(page, 'spark-folder');

  // Another model meanwhile, then the .zip: the same predictions again.
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch]:not([data-epoch="0"])', { timeout: 30_000 });
  await page.setInputFiles('.mfp-io-spark-zip', zip);
  await page.waitForFunction(() => /Opened the Spark model als-model.zip/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''), null, { timeout: 30_000 });
  await check('the .zip');

  // A folder that is not an ALS model: a message naming the file; the model stays.
  const before = await downloaded(page, '.mfp-io-predictions');
  await page.setInputFiles('.mfp-io-spark-folder', other);
  await page.waitForFunction(() => /unchanged/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.match(await status.textContent() ?? '', /other\/metadata\/part-00000: the class is "org\.apache\.spark\.ml\.feature\.StringIndexerModel", not org\.apache\.spark\.ml\.recommendation\.ALSModel/);
  await page.setInputFiles('.mfp-io-spark-folder', halfway);
  await page.waitForFunction(() => /halfway: not a saved Spark ALS model: no part files in userFactors\/, itemFactors\//.test(document.querySelector('.mfp-io-status')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.equal(await downloaded(page, '.mfp-io-predictions'), before, 'the model loaded before is kept');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Code box writes the knobs for Spark, implicit and Surprise, or says why a tool cannot take them', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&algo=sgd&k=6&panels=loss`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-io > summary');
  const show = async (/** @type {string} */ tool) => {
    await page.selectOption('.mfp-code-tool', tool);
    await page.click('.mfp-code-show');
    await page.waitForSelector('.mfp-code:is([data-code="shown"], [data-code="refused"])');
    const shown = await page.locator('.mfp-code-script').isVisible();
    return { shown, script: shown ? await page.locator('.mfp-code-script').textContent() ?? '' : '', note: await page.locator('.mfp-code-note').textContent() ?? '' };
  };
  const labels = await page.locator('.mfp-code-tool option').allTextContents();
  assert.deepEqual(labels, ['Spark MLlib', 'implicit', 'Surprise'], 'the tools the engine describes');
  // SGD: Surprise's SVD, with the knobs; Spark refuses with the reason.
  const surprise = await show('surprise');
  assert.ok(surprise.shown, surprise.note);
  assert.match(surprise.script, /N_FACTORS = 6\b/);
  assert.match(surprise.script, /LR_ALL = 0\.005\b/);
  const spark = await show('pyspark');
  assert.equal(spark.shown, false);
  assert.match(spark.note, /Spark MLlib trains matrix factorisation with ALS only/);
  // ALS: the PySpark job, downloaded with the split it reads (the page's own test part).
  await page.selectOption('.mfp-knobs select[name="algorithm"]', 'als');
  await page.waitForSelector('.mfp[data-status="idle"]');
  const job = await show('pyspark');
  assert.ok(job.shown, job.note);
  assert.match(job.script, /RANK = 6\b/);
  await screenshot(page, 'code-box');
  const dir = mkdtempSync(join(tmpdir(), 'mfp-code-'));
  const names = ['job.py', 'train.csv', 'test.csv', 'users.csv', 'items.csv'];
  /** @type {Record<string, string>} */
  const files = {};
  const all = new Promise((resolve) => {
    page.on('download', async (d) => {
      files[d.suggestedFilename()] = readFileSync(await d.path(), 'utf8');
      if (Object.keys(files).length === names.length) resolve(null);
    });
  });
  // Five downloads from one click: not a navigation to wait for.
  await page.click('.mfp-code-download', { noWaitAfter: true });
  await all;
  assert.deepEqual(Object.keys(files).sort(), [...names].sort(), 'MovieTweetings ids are not plain integers: the maps come too');
  const rows = (/** @type {string} */ f) => files[f].trim().split('\n').length - 1;
  assert.equal(rows('train.csv') + rows('test.csv'), 7891, 'the split covers the data');
  for (const f of names) writeFileSync(join(dir, f), files[f]);
  // Where the Spark checks' environment is (tools/setup.sh --test), the downloaded job runs.
  const python = join(ROOT, '.venv-spark', 'bin', 'python');
  if (existsSync(python)) {
    const out = execFileSync(python, [join(dir, 'job.py')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    assert.equal(report.n_test, rows('test.csv'));
    assert.ok(report.test_rmse > 0 && report.test_rmse < 5, JSON.stringify(report));
  }
  assert.deepEqual(problems, []);
  await page.close();
});
