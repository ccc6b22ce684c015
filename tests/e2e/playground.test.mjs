// The playground as a user meets it: every built-in data set, editing a cell, explaining a
// prediction, embeddings, recommendations, adding oneself, the race, the evaluation and
// cross-validation, and a shared link that reproduces the same numbers. A user's own files are
// in files.test.mjs.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, metric, openPage, ready, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

/**
 * Moves the pointer over the map until it is over an item (the hover line says so) and clicks it.
 * @param {import('playwright-core').Page} page @param {{ x: number, y: number, width: number, height: number }} box
 */
async function clickAnItem(page, box) {
  for (let y = 0.1; y < 0.95; y += 0.04) {
    for (let x = 0.1; x < 0.95; x += 0.03) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
      if (/^Item /.test((await page.locator('.mfp-embed-hover').textContent()) ?? '')) {
        await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
        return true;
      }
    }
  }
  return false;
}

test('the synthetic generator shows its truth, genres and a test error', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=30`);
  await ready(page);
  assert.match(await page.locator('.mfp-status').textContent(), /60 users × 40 items/);
  assert.equal(await page.locator('.mfp-panel-truth').isVisible(), true);
  await trainTo(page, 30);
  await page.waitForFunction(() => document.querySelectorAll('.mfp-embeddings .mfp-legend .mfp-swatch').length === 4);
  assert.deepEqual(await page.locator('.mfp-embeddings .mfp-legend .mfp-swatch').allTextContents(), ['Action', 'Comedy', 'Drama', 'Sci-Fi']);
  const test = Number(await metric(page, 'test-rmse'));
  const train = Number(await metric(page, 'train-rmse'));
  assert.ok(test > 0 && train > 0 && test < 1.5, `train ${train}, test ${test}`);
  // A generator knob regenerates the data.
  const users = page.locator('.mfp-synth input[name="synUsers"]');
  await users.fill('80');
  await users.blur();
  await page.waitForFunction(() => /80 users/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await page.close();
});

test('MovieTweetings loads with titles and trains with a test split', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=10`);
  await ready(page);
  assert.match(await page.locator('.mfp-status').textContent(), /300 users × 150 items, 7891 ratings/);
  await trainTo(page, 10);
  assert.ok(Number(await metric(page, 'test-rmse')) > 0);
  assert.ok(Number(await metric(page, 'test-mae')) > 0);
  await page.waitForFunction(() => document.querySelectorAll('.mfp-rec-list li button').length === 5);
  const recs = await page.locator('.mfp-rec-list li').allTextContents();
  assert.equal(recs.length, 5);
  assert.ok(recs.every((r) => /\(\d{4}\)/.test(r)), `titles with years: ${recs}`);
  const credits = await page.locator('.page-footer').textContent();
  assert.match(credits, /Simon Dooms/);
  assert.match(credits, /CrowdRec workshop at RecSys 2013/);
  const licence = await page.request.get(new URL('www/data/movietweetings/LICENSE', env.server.url).href);
  assert.match(await licence.text(), /Copyright \(c\) 2013 Simon Dooms/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('editing a cell keeps the model and training goes on', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#epochs=20`);
  await ready(page);
  await trainTo(page, 20);
  const canvas = page.locator('.mfp-panel-observed canvas');
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + (9.5 * box.width) / 10, box.y + (0.5 * box.height) / 10); // user 1, item 10
  await page.waitForFunction(() => !(/** @type {HTMLInputElement} */ (document.querySelector('.mfp-edit-value')).disabled));
  assert.match(await page.locator('.mfp-edit-label').textContent(), /User 1, item 10:/);
  assert.equal(await page.locator('.mfp-edit-value').inputValue(), '0');
  await page.fill('.mfp-edit-value', '1');
  await page.click('.mfp-edit-set');
  // Typing scrolled the editor into view: measure the matrix again.
  const moved = await canvas.boundingBox();
  await page.mouse.move(moved.x + (9.3 * moved.width) / 10, moved.y + (0.4 * moved.height) / 10);
  await page.mouse.move(moved.x + (9.6 * moved.width) / 10, moved.y + (0.6 * moved.height) / 10);
  await page.waitForFunction(() => /observed 1,/.test(document.querySelector('.mfp-panel-observed .mfp-hover')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '20', 'no reset');
  await page.locator('.mfp-knobs input[name="nEpochs"]').fill('60');
  await page.locator('.mfp-knobs input[name="nEpochs"]').blur();
  await page.click('.mfp-pause'); // Resume
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="60"]');
  // An implicit cell only takes 0 or 1.
  await page.fill('.mfp-edit-value', '3');
  await page.click('.mfp-edit-set');
  await page.waitForSelector('.mfp-error:not([hidden])');
  assert.match(await page.locator('.mfp-error').textContent(), /implicit feedback must be 0 or 1/);
  assert.deepEqual(problems.filter((p) => !/MfpError/.test(p)), []);
  await page.close();
});

test('explaining a prediction shows terms that add up to the score', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#epochs=40&k=3`);
  await ready(page);
  await trainTo(page, 40);
  const box = await page.locator('.mfp-panel-predicted canvas').boundingBox();
  await page.mouse.click(box.x + (4.5 * box.width) / 10, box.y + (2.5 * box.height) / 10); // user 3, item 5
  await page.waitForSelector('.mfp-bars [data-term="score"]');
  assert.match(await page.locator('.mfp-explain-title').textContent(), /User 3 × 5/);
  const terms = await page.locator('.mfp-bars [data-term]').evaluateAll((rows) =>
    rows.map((r) => ({ term: r.getAttribute('data-term'), value: Number(r.getAttribute('data-value')) })));
  assert.deepEqual(terms.map((t) => t.term).slice(0, 3), ['mu', 'user-bias', 'item-bias']);
  const score = terms.find((t) => t.term === 'score').value;
  const sum = terms.filter((t) => t.term !== 'score').reduce((s, t) => s + t.value, 0);
  assert.ok(Math.abs(sum - score) < 1e-4, `${sum} vs ${score}`);
  assert.match(await page.locator('.mfp-formula').textContent(), /r̂ = μ \+ b_u \+ b_i \+ p_u·q_i = .*→\s+σ\(/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('embeddings: clicking an item lists its neighbours; recommendations explain themselves; add yourself', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=40`);
  await ready(page);
  await trainTo(page, 40);
  await page.waitForFunction(() => /PCA/.test(document.querySelector('.mfp-embed-method')?.textContent ?? ''));
  assert.match(await page.locator('.mfp-embed-method').textContent(), /PCA of the factors: the axes keep \d+% and \d+%/);
  await page.selectOption('.mfp-embed-show', 'items');
  // The map drawn with the 40 items alone (its axes fit them) before the pointer looks for one.
  await page.waitForSelector('.mfp-scatter[data-shown="40"]');
  await page.locator('.mfp-scatter').scrollIntoViewIfNeeded();
  const box = await page.locator('.mfp-scatter').boundingBox();
  // Find an item under the pointer on a still map and click it. A refresh of the map after
  // training may make its points glide under the pointer (a loaded machine draws it late): then
  // look again, as a person would.
  let clicked = false;
  for (let attempt = 0; attempt < 3 && !clicked; attempt++) {
    await page.waitForSelector('.mfp-embeddings:not([data-gliding])');
    assert.ok(await clickAnItem(page, box), 'found an item to click');
    clicked = await page.waitForSelector('.mfp-neighbour-list li', { timeout: 5000 }).then(() => true, () => false);
  }
  assert.ok(clicked, 'a click on an item lists its neighbours');
  assert.equal(await page.locator('.mfp-neighbour-list li').count(), 5);

  await page.selectOption('.mfp-rec-user', '3');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-rec-list li button').length === 5);
  await page.locator('.mfp-rec-list li button').first().click();
  await page.waitForSelector('.mfp-bars [data-term="score"]');
  assert.match(await page.locator('.mfp-explain-title').textContent(), /^User u4 × /);

  const selects = page.locator('.mfp-add-row select');
  await selects.nth(0).selectOption('5');
  await selects.nth(1).selectOption('1');
  await page.click('.mfp-add-go');
  await page.waitForSelector('.mfp-add-list li');
  assert.equal(await page.locator('.mfp-add-list li').count(), 5);
  assert.match(await page.locator('.mfp-add-msg').textContent(), /From your 2 ratings/);
  await screenshot(page, 'playground-synthetic');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a shared link reproduces the same run, number for number', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic`);
  await ready(page);
  const set = async (name, value) => {
    const input = page.locator(`.mfp-knobs [name="${name}"]`);
    await input.fill(value);
    await input.blur();
  };
  await set('seed', '7');
  await set('nFactors', '3');
  await set('nEpochs', '25');
  await page.selectOption('.mfp-knobs select[name="algorithm"]', 'adam');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(page, 25);
  const numbers = [await metric(page, 'train-rmse'), await metric(page, 'test-rmse')];
  await page.click('.mfp-share');
  const url = await page.locator('.mfp').getAttribute('data-share-url');
  assert.match(url, /#data=synthetic&.*algo=adam/);
  const other = await openPage(env.browser.ctx, url);
  await ready(other.page);
  await trainTo(other.page, 25);
  assert.deepEqual([await metric(other.page, 'train-rmse'), await metric(other.page, 'test-rmse')], numbers);
  assert.deepEqual([...problems, ...other.problems], []);
  await page.close();
  await other.page.close();
});

test('the optimiser race overlays SGD, Adam, RMSprop and ALS from the same start, and the networks beside them', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=15`);
  await ready(page);
  await page.locator('.mfp-race-start').scrollIntoViewIfNeeded();
  await page.click('.mfp-race-start');
  await page.waitForSelector('.mfp-race[data-race="done"]', { timeout: 30_000 });
  const racers = await page.locator('.mfp-race-legend li').evaluateAll((els) =>
    els.map((e) => ({ name: e.getAttribute('data-racer'), value: Number(e.getAttribute('data-value')), text: e.textContent })));
  // MF's racing optimisers, then the neural families, as the engine describes them.
  const d = JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['algorithms', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(racers.map((r) => r.name), [...d.algorithms.filter((a) => a.race), ...d.families.filter((f) => f.race)].map((a) => a.name));
  for (const r of racers) {
    assert.ok(r.value > 0 && r.value < 2, `${r.name}: ${r.value}`);
    assert.match(r.text, /after 15 epochs, (< 0\.1|[\d.]+) ms per epoch/);
  }
  assert.match(await page.locator('.mfp-race-note').textContent(), /Test RMSE per epoch/);
  // The race leaves the main model alone.
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '0');
  assert.deepEqual(problems, []);
  await page.close();
});

test('visible panels are chosen in the menu and kept in the link', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=seed-10x10&panels=loss,predicted`);
  await ready(page);
  const visible = async () => page.locator('.mfp-panel').evaluateAll((els) =>
    els.filter((e) => !(/** @type {HTMLElement} */ (e)).hidden).map((e) => e.className.replace(/.*mfp-panel-/, '')));
  assert.deepEqual(await visible(), ['loss', 'predicted']);
  await page.click('.mfp-panels-menu > summary');
  await page.check('.mfp-panels-menu [name="panel-explain"]');
  assert.deepEqual(await visible(), ['loss', 'predicted', 'explain']);
  assert.match(decodeURIComponent(page.url()), /panels=loss,predicted,explain/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the embedding map moves while the model trains', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=40&speed=slow`);
  await ready(page);
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="training"]');
  const snap = () => page.locator('.mfp-scatter').evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
  await page.waitForFunction(() => Number(document.querySelector('.mfp')?.getAttribute('data-epoch')) >= 3);
  const a = await snap();
  await page.waitForTimeout(700);
  const b = await snap();
  assert.equal(await page.locator('.mfp').getAttribute('data-status'), 'training', 'still training');
  assert.notEqual(a, b, 'the points moved');
  await page.click('.mfp-pause');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the evaluation table sets the model against the baselines, at an adjustable k', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=20&panels=loss,evaluation`);
  await ready(page);
  await trainTo(page, 20);
  await page.waitForFunction(() => document.querySelector('[data-metric="eval-test-rmse"]')?.textContent === document.querySelector('[data-metric="test-rmse"]')?.textContent);
  const head = await page.locator('.mfp-eval-table thead th').allTextContents();
  assert.deepEqual(head, ['', 'Model', 'Global mean', 'Bias only', 'Popularity', 'Random']);
  const cell = async (name) => Number(await page.locator(`[data-metric="eval-${name}"]`).textContent());
  for (const name of ['precision-at-k', 'recall-at-k', 'f1-at-k', 'ndcg-at-k', 'map-at-k', 'auc', 'coverage']) {
    const v = await cell(name);
    assert.ok(v >= 0 && v <= 1, `${name} = ${v}`);
  }
  const rows = await page.locator('.mfp-eval-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const rmse = rows.find((r) => r[0] === 'Test RMSE');
  assert.ok(Number(rmse[1]) < Number(rmse[2]), `the model (${rmse[1]}) beats the global mean (${rmse[2]})`);
  assert.ok(rows.some((r) => r[0] === 'Precision@10'));
  // NCF's sampled protocol beside the full ranking: the model and every baseline that ranks, none
  // for the global mean (it gives every item the same score).
  const hr = rows.find((r) => r[0] === 'HR@10, 99 sampled (NCF)');
  assert.ok(hr, rows.map((r) => r[0]).join(' | '));
  for (const j of [1, 3, 4, 5]) assert.ok(Number(hr[j]) >= 0 && Number(hr[j]) <= 1, `${hr}`);
  assert.equal(hr[2], '–');
  assert.ok(Number(hr[4]) > Number(hr[5]), `popularity (${hr[4]}) hits more often than random (${hr[5]})`);
  assert.match(await page.locator('.mfp-eval-note').textContent() ?? '', /Neural Collaborative Filtering's protocol/);
  // Whole-star ratings count as relevant from a whole number three quarters up the scale (8 on
  // MovieTweetings' 10 stars, 4 on MovieLens' 5), and the note says what counts and why
  // popularity may rank better than the model.
  assert.equal(await page.locator('.mfp-eval-threshold').inputValue(), '8');
  assert.match(await page.locator('.mfp-eval-note').textContent() ?? '', /a test rating ≥ 8 is relevant.*Popularity can rank better than the model/);
  await page.fill('.mfp-eval-k', '5');
  await page.locator('.mfp-eval-k').blur();
  await page.waitForFunction(() => [...document.querySelectorAll('.mfp-eval-table th')].some((th) => th.textContent === 'Precision@5'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('k-fold cross-validation runs fold by fold, reports mean and spread, and can be cancelled', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=20&panels=evaluation`);
  await ready(page);
  await page.fill('.mfp-cv-folds', '4');
  await page.click('.mfp-cv-run');
  await page.waitForSelector('.mfp-cv[data-cv="done"]', { timeout: 30_000 });
  const rows = await page.locator('.mfp-cv-table tbody tr[data-fold]').evaluateAll((trs) => trs.map((tr) => Number(tr.children[2].textContent)));
  assert.equal(rows.length, 4);
  const mean = rows.reduce((s, x) => s + x, 0) / 4;
  const shown = await page.locator('[data-metric="cv-test-rmse"]').textContent();
  const [m, sd] = shown.split('±').map((x) => Number(x));
  assert.ok(Math.abs(m - mean) < 1e-3, `${m} vs ${mean}`);
  assert.ok(sd > 0 && sd < m, `sd ${sd}`);
  assert.equal(await page.locator('.mfp-cv-progress').isHidden(), true);
  // Other data: the finished results described the old data, so they go.
  await page.selectOption('.mfp-knobs select[name="dataset"]', 'seed-10x10');
  await page.waitForSelector('.mfp-cv[data-cv="idle"]');
  assert.equal(await page.locator('.mfp-cv-table tr').count(), 0);
  assert.equal(await page.locator('.mfp-cv-status').textContent(), '');
  assert.deepEqual(problems, []);
  await page.close();

  // Cancel, on data big enough for a fold to take a while.
  const big = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&su=1000&si=1000&sd=0.4&k=32&epochs=60&panels=evaluation`);
  await ready(big.page);
  await big.page.fill('.mfp-cv-folds', '10');
  await big.page.click('.mfp-cv-run');
  await big.page.waitForSelector('.mfp-cv[data-cv="running"]');
  assert.equal(await big.page.locator('.mfp-cv-run').textContent(), 'Cancel');
  await big.page.click('.mfp-cv-run');
  await big.page.waitForSelector('.mfp-cv[data-cv="idle"]');
  assert.match(await big.page.locator('.mfp-cv-status').textContent(), /Cancelled/);
  assert.ok((await big.page.locator('.mfp-cv-table tbody tr[data-fold]').count()) < 10, 'stopped before the last fold');
  assert.deepEqual(big.problems, []);
  await big.page.close();
});

test('texts that a change leaves as they were are not written again', async () => {
  // Writing a text, even the same one, makes the browser lay the page out again; the widget
  // renders on every change of its state, so what stays the same must stay untouched: the same
  // text nodes and legend entries before and after.
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=5`);
  await ready(page);
  await trainTo(page, 5);
  await page.waitForFunction(() => document.querySelectorAll('.mfp-embeddings .mfp-legend .mfp-swatch').length > 0);
  // The watched nodes: kept in the page at the first call, then each compared with the one now.
  const watched = () => page.evaluate(() => {
    const w = /** @type {any} */ (window);
    /** @type {Record<string, Node | null | undefined>} */
    const now = {
      epoch: document.querySelector('[data-metric="epoch"]')?.firstChild,
      memory: document.querySelector('[data-metric="engine-memory"]')?.firstChild,
      lossLegend: document.querySelector('.mfp-loss-legend')?.firstChild,
      mapLegend: document.querySelector('.mfp-embeddings .mfp-legend')?.firstChild,
    };
    w.__kept ??= now;
    return Object.fromEntries(Object.entries(now).map(([k, node]) => [k, Boolean(node) && node === w.__kept[k]]));
  });
  assert.deepEqual(await watched(), { epoch: true, memory: true, lossLegend: true, mapLegend: true }, 'the nodes to watch are there');
  // A change of state that leaves those texts alone: a knob that only takes effect on Reset.
  await page.locator('.mfp-knobs select[name="speed"]').selectOption('slow');
  await page.waitForFunction(() => /(^#|&)speed=slow(&|$)/.test(location.hash));
  // And one that redraws the map: the embeddings asked for again.
  await page.locator('.mfp-embed-show').selectOption('items');
  await page.locator('.mfp-embed-show').selectOption('both');
  await page.waitForTimeout(300);
  assert.deepEqual(await watched(), { epoch: true, memory: true, lossLegend: true, mapLegend: true });
  // One more epoch: the curves and the map are redrawn, their legends stay.
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="6"]');
  await page.waitForTimeout(500);
  const { epoch, lossLegend, mapLegend } = await watched();
  assert.deepEqual({ epoch, lossLegend, mapLegend }, { epoch: false, lossLegend: true, mapLegend: true });
  assert.deepEqual(problems, []);
});

test('the optimiser menu and its rules come from the engine\'s registry', async () => {
  // The registry as the command line describes it: the same engine, the same list.
  const mfp = join(ROOT, 'target', 'debug', 'mfp');
  const { algorithms } = JSON.parse(execFileSync(mfp, ['algorithms', '--json'], { encoding: 'utf8' }));
  assert.ok(algorithms.length >= 5);
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=5`);
  await ready(page);
  const menu = page.locator('.mfp-knobs select[name="algorithm"]');
  const options = await menu.locator('option').evaluateAll((els) => els.map((e) => [/** @type {HTMLOptionElement} */ (e).value, e.textContent]));
  assert.deepEqual(options, algorithms.map((a) => [a.name, a.label]));
  // Each algorithm enables the knobs it reads, and the loss only where it has a choice.
  for (const a of algorithms) {
    await menu.selectOption(a.name);
    await page.waitForSelector('.mfp[data-status="idle"]');
    const enabled = async (name) => page.locator(`.mfp-knobs [name="${name}"]`).isEnabled();
    assert.equal(await enabled('learningRate'), a.uses.includes('learningRate'), `${a.name}: learning rate`);
    assert.equal(await enabled('batchSize'), a.uses.includes('batchSize'), `${a.name}: batch`);
    assert.equal(await enabled('loss'), a.losses.length > 1, `${a.name}: loss`);
    assert.equal(await enabled('normalization'), a.normalizes, `${a.name}: normalisation (squared loss)`);
  }
  await page.close();
  // A link naming an optimiser the engine does not have: the default, and a message saying so.
  const bad = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&algo=magic-descent&epochs=5`);
  await bad.page.waitForSelector('.mfp[data-loading="false"]');
  assert.equal(await bad.page.locator('.mfp-knobs select[name="algorithm"]').inputValue(), 'sgd');
  assert.match(await bad.page.locator('.mfp-error').textContent() ?? '', /optimiser "magic-descent", which the engine does not have: using sgd/);
  await trainTo(bad.page, 5);
  await bad.page.close();
  assert.deepEqual(problems, []);
});

test('no rule about a particular optimiser or model family is written in the page\'s code', () => {
  // The page learns the optimisers and families from the engine (algorithms.js); its code names
  // none of them but the default knob values. Translations (i18n-zh.js) may hold their labels.
  const d = JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['algorithms', '--json'], { encoding: 'utf8' }));
  const names = [...d.algorithms, ...d.families].map((a) => a.name).filter((n) => n !== 'sgd' && n !== 'mf');
  assert.ok(names.includes('adam') && names.includes('neumf'), names.join(', '));
  const found = [];
  const walk = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!['pkg', 'pkg-threads', 'pkg-spark', 'data'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.js') && e.name !== 'i18n-zh.js') {
        const src = readFileSync(p, 'utf8');
        for (const n of names) if (new RegExp(`['"\`]${n}['"\`]`).test(src)) found.push(`${e.name}: ${n}`);
      }
    }
  };
  walk(join(ROOT, 'www'));
  assert.deepEqual(found, []);
});

test('add yourself: any item can be found by its title and rated', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=20&panels=recommend,loss`);
  await ready(page);
  await trainTo(page, 20);
  // The first rows are the file's first items; the search finds any other by its title.
  await page.fill('.mfp-add-search', 'godfather');
  await page.waitForSelector('.mfp-add-found .mfp-add-pick');
  const found = await page.locator('.mfp-add-found .mfp-add-pick').allTextContents();
  assert.ok(found.length >= 1 && found.every((f) => /godfather/i.test(f)), found.join(' | '));
  await page.locator('.mfp-add-found .mfp-add-pick').first().click();
  const row = page.locator('.mfp-add-row').first();
  assert.equal(await row.locator('span').textContent(), found[0]);
  await row.locator('select').selectOption('10');
  await page.click('.mfp-add-go');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-add-list li').length === 5);
  const recs = await page.locator('.mfp-add-list li').allTextContents();
  assert.ok(!recs.some((r) => r.startsWith(`${found[0]} (`)), 'the rated item is not recommended back');
  await page.fill('.mfp-add-search', 'zzzz-no-such-film');
  await page.waitForFunction(() => /No item matches/.test(document.querySelector('.mfp-add-found')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await page.close();
});

test('before anything runs, charts say what to press; heatmaps carry their colour scale; presenter mode keeps the data panel shut', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&panels=loss,observed,residual,race`);
  await ready(page);
  // The training chart's picture (its SVG export draws the same) says what to press, not 1-2 / 0-1 axes.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.mfp-panel-loss .mfp-export-svg')]);
  const svg = readFileSync(await dl.path(), 'utf8');
  assert.match(svg, /Press Train: the error of each epoch is drawn here\./);
  assert.doesNotMatch(svg, />epoch</, 'no empty axes');
  // Colour scales: the data's scale under the observed matrix, ± half of it around 0 under the residual.
  const status = await page.locator('.mfp-status').textContent() ?? '';
  const [, lo, hi] = /scale ([0-9.]+)–([0-9.]+)/.exec(status) ?? [];
  assert.equal(await page.locator('.mfp-panel-observed .mfp-scale-lo').textContent(), String(+Number(lo).toPrecision(3)));
  assert.equal(await page.locator('.mfp-panel-observed .mfp-scale-hi').textContent(), String(+Number(hi).toPrecision(3)));
  assert.equal(await page.locator('.mfp-panel-residual .mfp-scale-mid').textContent(), '0');
  await page.close();
  const presenter = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&present=1`);
  await ready(presenter.page);
  assert.equal(await presenter.page.locator('.mfp-data').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false);
  await presenter.page.close();
  assert.deepEqual([...problems, ...presenter.problems], []);
});

test('the embeddings map finds an item by its title and lists its neighbours', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=10&panels=embeddings,loss`);
  await ready(page);
  await trainTo(page, 10);
  await page.waitForFunction(() => /PCA/.test(document.querySelector('.mfp-embed-method')?.textContent ?? ''));
  await page.fill('.mfp-embed-find', 'dark knight');
  await page.waitForSelector('.mfp-embed-found .mfp-embed-pick');
  const title = await page.locator('.mfp-embed-found .mfp-embed-pick').first().textContent();
  assert.match(title ?? '', /dark knight/i);
  await page.locator('.mfp-embed-found .mfp-embed-pick').first().click();
  await page.waitForSelector('.mfp-neighbour-list li');
  assert.equal(await page.locator('.mfp-neighbour-list li').count(), 5);
  assert.match(await page.locator('.mfp-neighbours').textContent() ?? '', new RegExp(`Nearest to ${(title ?? '').replace(/[()]/g, '.')}`));
  assert.equal(await page.locator('.mfp-embed-hover').textContent(), `Item ${title}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the embeddings map zooms and pans, and picking follows the zoom', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=10&panels=embeddings,loss`);
  await ready(page);
  await trainTo(page, 10);
  await page.waitForFunction(() => /PCA/.test(document.querySelector('.mfp-embed-method')?.textContent ?? ''));
  await page.selectOption('.mfp-embed-show', 'items');
  await page.waitForSelector('.mfp-scatter[data-shown="150"]');
  await page.waitForSelector('.mfp-embeddings:not([data-gliding])');
  assert.equal(await page.locator('.mfp-embed-fit').isDisabled(), true);
  await page.click('.mfp-embed-zoom-in');
  await page.click('.mfp-embed-zoom-in');
  assert.equal(await page.locator('.mfp-scatter').getAttribute('data-zoom'), '4.00');
  assert.match(await page.locator('.mfp-embed-zoom-note').textContent() ?? '', /4\.0× closer/);
  // The wheel zooms about the pointer; a drag moves the view without changing the zoom.
  await page.locator('.mfp-scatter').scrollIntoViewIfNeeded();
  const box = await page.locator('.mfp-scatter').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => Number(document.querySelector('.mfp-scatter')?.getAttribute('data-zoom')) > 4);
  const zoomed = await page.locator('.mfp-scatter').getAttribute('data-zoom');
  await page.waitForTimeout(300);
  await screenshot(page, 'map-zoomed');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  assert.equal(await page.locator('.mfp-scatter').getAttribute('data-zoom'), zoomed);
  // Fit shows every point again; picking works in the zoomed frame too.
  await page.click('.mfp-embed-fit');
  assert.equal(await page.locator('.mfp-scatter').getAttribute('data-zoom'), '1.00');
  await page.click('.mfp-embed-zoom-in');
  assert.ok(await clickAnItem(page, box), 'an item under the pointer at 2× zoom');
  await page.waitForSelector('.mfp-neighbour-list li');
  assert.deepEqual(problems, []);
  await page.close();
});
