// Taking results out and bringing a model back: export the model, import it after a reset and
// get the same predictions number for number; embeddings as Projector TSV; predictions and
// recommendations as CSV; a model for other data refused with a message.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), path: await dl.path(), text: readFileSync(await dl.path(), 'utf8') };
}

test('a model exported and imported after a reset predicts exactly the same and trains on', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=8`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="8"]');
  const metric = (/** @type {string} */ name) => page.locator(`[data-metric="${name}"]`).textContent();
  const trained = { train: await metric('train-rmse'), test: await metric('test-rmse') };
  await page.click('.mfp-io > summary');
  const model = await downloaded(page, '.mfp-io-model');
  assert.equal(model.name, 'model-movietweetings.json');
  const json = JSON.parse(model.text);
  assert.equal(json.format, 'mf-playground-model');
  assert.equal(json.epoch, 8);
  assert.equal(json.params.nFactors ?? json.params.n_factors, 8);
  const before = await downloaded(page, '.mfp-io-predictions');
  assert.match(before.text, /^user,item,rating,prediction,part\n/);
  assert.equal(before.text.trim().split('\n').length, 1 + 7891);

  // A different model, then the import.
  await page.locator('.mfp-knobs input[name="nFactors"]').fill('3');
  await page.locator('.mfp-knobs input[name="nFactors"]').blur();
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="8"]');
  assert.notEqual((await downloaded(page, '.mfp-io-predictions')).text, before.text);
  await page.setInputFiles('.mfp-io-import', model.path);
  await page.waitForFunction(() => /Imported/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-knobs input[name="nFactors"]').inputValue(), '8', 'the knobs follow the model');
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '8');
  // The metrics strip shows the imported model's figures at once (it showed '–').
  assert.deepEqual({ train: await metric('train-rmse'), test: await metric('test-rmse') }, trained);
  assert.equal((await downloaded(page, '.mfp-io-predictions')).text, before.text, 'the same predictions, number for number');
  // And it trains on from epoch 8.
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="9"]');

  const [vectors, metadata] = await Promise.all([
    new Promise((resolve) => page.once('download', async (d) => resolve({ name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') }))),
    new Promise((resolve) => {
      let n = 0;
      page.on('download', async (d) => {
        if (++n === 2) resolve({ name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') });
      });
    }),
    page.click('.mfp-io-projector'),
  ]);
  assert.equal(/** @type {any} */ (vectors).name, 'item-vectors-movietweetings.tsv');
  const rows = /** @type {any} */ (vectors).text.trim().split('\n');
  assert.equal(rows.length, 150);
  assert.equal(rows[0].split('\t').length, 8);
  assert.equal(/** @type {any} */ (metadata).name, 'item-metadata-movietweetings.tsv');
  assert.match(/** @type {any} */ (metadata).text, /^id\ttitle\tbias\n\d+\t[^\t]+ \(\d{4}\)\t/);
  const recs = await downloaded(page, '.mfp-io-recommendations');
  assert.match(recs.text, /^user,rank,item,title,score\n/);
  assert.equal(recs.text.trim().split('\n').length, 1 + 300 * 10);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a model for other data is refused with a message, and the model loaded before stays', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=3`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="3"]');
  await page.click('.mfp-io > summary');
  const model = await downloaded(page, '.mfp-io-model');
  await page.selectOption('.mfp-knobs select[name="dataset"]', 'seed-10x10');
  await page.waitForSelector('.mfp[data-dataset="seed-10x10"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-epoch="1"]');
  await page.setInputFiles('.mfp-io-import', model.path);
  await page.waitForFunction(() => /load the data the model was trained on first/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''));
  assert.match(await page.locator('.mfp-io-status').textContent(), /300 users x 150 items from "movietweetings" \(7891 ratings\)/);
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '1');
  assert.deepEqual(problems.filter((p) => !/MfpError/.test(p)), []);
  await page.close();
});
