// The embeddings map beyond PCA, as a user meets it: t-SNE and UMAP laid out step by step in
// the worker (the map moves, the page never stalls), paused and resumed, kept in the link and
// reproduced from it, the coordinates downloaded as CSV and Projector TSV and the map as PNG and
// SVG; and successive PCA maps turned to match the one before while a model trains.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openPage, pageLongTasks, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after }, { height: 900 });

/** @param {import('playwright-core').Page} page @param {string} selector */
async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

const HASH = '#data=synthetic&su=120&si=90&sc=4&k=8&epochs=40&lr=0.02&panels=embeddings,loss';

test('t-SNE lays the items out step by step, keeps the link, and downloads what it shows', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}${HASH}`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(page, 40);
  await page.locator('.mfp-panel-embeddings').scrollIntoViewIfNeeded();
  await page.evaluate(() => { /** @type {any} */ (window).__longTasks.length = 0; });
  await page.selectOption('.mfp-embed-layout', 'tsne');
  // It moves: a step short of the end is drawn before the end is.
  await page.waitForFunction(() => /iteration \d+ of 750/.test(document.querySelector('.mfp-embed-layout-status')?.textContent ?? ''));
  await page.waitForSelector('.mfp-embed-layout-row[data-layout="done"]', { timeout: 60_000 });
  assert.match(await page.locator('.mfp-embed-layout-status').textContent(), /^t-SNE \(perplexity 29\.67\) of the model at epoch 40, all 90 items: done: 750 iterations\.$/);
  assert.equal(await page.locator('.mfp-embeddings canvas.mfp-scatter').getAttribute('data-shown'), '90');
  assert.match(await page.locator('.mfp-embed-method').textContent(), /^t-SNE of the factors/);
  assert.match(await page.evaluate(() => location.hash), /map=tsne/);
  const long = await pageLongTasks(page);
  assert.deepEqual(long, [], 'no long task while the map converges');
  await screenshot(page, 'map-tsne');
  // The genres gather: each item's nearest neighbour on the map is of its genre far more often
  // than chance (a quarter, with four genres; the generator's genres come in two related pairs).
  const csv = await downloaded(page, '.mfp-embed-csv');
  assert.equal(csv.name, 'map-tsne-synthetic.csv');
  const rows = csv.text.trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.length, 90);
  const pts = rows.map((r) => ({ group: r[4], x: Number(r[5]), y: Number(r[6]) }));
  const same = pts.filter((p, i) => {
    let best = -1;
    let d = Infinity;
    pts.forEach((q, j) => {
      const e = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
      if (j !== i && e < d) [d, best] = [e, j];
    });
    return pts[best].group === p.group;
  }).length;
  assert.ok(same >= 45, `${same} of 90 items sit next to their own genre`);
  const [vectors, metadata] = await Promise.all([
    new Promise((resolve) => page.once('download', async (d) => resolve(readFileSync(await d.path(), 'utf8')))),
    new Promise((resolve) => {
      let n = 0;
      page.on('download', async (d) => {
        if (++n === 2) resolve(readFileSync(await d.path(), 'utf8'));
      });
    }),
    page.click('.mfp-embed-tsv'),
  ]);
  assert.equal(/** @type {string} */ (vectors).trim().split('\n').length, 90);
  assert.match(/** @type {string} */ (metadata), /^kind\tindex\tid\tlabel\tgroup\nitem\t/);
  const svg = await downloaded(page, '.mfp-embeddings .mfp-export-svg');
  assert.match(svg.text, /^<svg/);
  assert.equal((await downloaded(page, '.mfp-embeddings .mfp-export-png')).name, 'embedding-map.png');

  // The link reproduces the map: the same coordinates.
  const link = await page.evaluate(() => location.href);
  const again = await openPage(env.browser.ctx, link);
  await again.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(again.page, 40);
  await again.page.waitForSelector('.mfp-embed-layout-row[data-layout="done"]', { timeout: 60_000 });
  assert.equal((await downloaded(again.page, '.mfp-embed-csv')).text, csv.text);
  assert.deepEqual([...problems, ...again.problems], []);
});

test('UMAP pauses and resumes; its knobs restart it; bad knobs say why', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}${HASH}&map=umap&nn=10`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(page, 40);
  await page.waitForFunction(() => /epoch \d+ of 500/.test(document.querySelector('.mfp-embed-layout-status')?.textContent ?? ''));
  await page.click('.mfp-embed-pause');
  await page.waitForSelector('.mfp-embed-layout-row[data-layout="paused"]');
  // The step asked for before the pause lands; then nothing moves.
  await page.waitForTimeout(300);
  const at = await page.locator('.mfp-embed-layout-status').textContent();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.mfp-embed-layout-status').textContent(), at, 'paused: it stays');
  assert.match(at ?? '', /\(paused\)/);
  await page.click('.mfp-embed-pause');
  await page.waitForSelector('.mfp-embed-layout-row[data-layout="done"]', { timeout: 60_000 });
  assert.match(await page.locator('.mfp-embed-layout-status').textContent(), /^UMAP of the model at epoch 40, all 90 items: done: 500 epochs\.$/);
  assert.equal(await page.locator('.mfp-embed-neighbours').inputValue(), '10');
  // Users instead: the users are laid out.
  await page.selectOption('.mfp-embed-show', 'users');
  await page.waitForFunction(() => /all 120 users: done/.test(document.querySelector('.mfp-embed-layout-status')?.textContent ?? ''), null, { timeout: 60_000 });
  // Back to PCA: the PCA map of users and items.
  await page.selectOption('.mfp-embed-show', 'both');
  await page.selectOption('.mfp-embed-layout', 'pca');
  await page.waitForFunction(() => document.querySelector('.mfp-embeddings canvas.mfp-scatter')?.getAttribute('data-shown') === '210');
  assert.match(await page.locator('.mfp-embed-method').textContent(), /^PCA of the factors/);
  await screenshot(page, 'map-umap-back-to-pca');
  // A perplexity out of range: t-SNE says why, the map stays PCA's.
  await page.selectOption('.mfp-embed-layout', 'tsne');
  await page.waitForSelector('.mfp-embed-layout-row[data-layout="done"]', { timeout: 60_000 });
  await page.fill('.mfp-embed-perplexity', '500');
  await page.locator('.mfp-embed-perplexity').dispatchEvent('change');
  await page.waitForSelector('.mfp-embed-layout-row[data-layout="failed"]');
  assert.match(await page.locator('.mfp-embed-layout-status').textContent(), /perplexity = 500: must lie between 2 and 100/);
  assert.deepEqual(problems, []);
});

test('while a model trains, each PCA map is turned to match the one before', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&su=120&si=90&sc=4&k=8&epochs=6&lr=0.02&speed=slow&panels=embeddings,loss`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(page, 6);
  await page.waitForFunction(() => /turned \(orthogonal Procrustes\)/.test(document.querySelector('.mfp-embed-method')?.textContent ?? ''));
  assert.deepEqual(problems, []);
});
