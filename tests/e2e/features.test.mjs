// Features beyond ids in the page, the way a user meets them: MovieLens files as they come
// (u.data, u.item with its 19 genre flags, u.user), the hybrid model on items it never saw
// against matrix factorisation, what the features add to one prediction and where they sit on
// the map, and bad feature files refused with their line and column, nothing lost.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, metric, openPage, ready, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

/** MovieLens 100K's genres, in u.item's order. */
const GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

/**
 * MovieLens-shaped files in which taste follows genre: 160 users who each like one of six
 * genres, 120 films of one or two genres, 3,200 ratings (seeded, so every run is the same).
 */
function movielens() {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const liked = [1, 5, 8, 11, 14, 15];
  const items = Array.from({ length: 120 }, (_, i) => {
    const g = liked[i % 6];
    return rand() < 0.3 ? [g, liked[(i + 1 + Math.floor(rand() * 5)) % 6]] : [g];
  });
  const users = Array.from({ length: 160 }, (_, u) => liked[u % 6]);
  const data = [];
  for (let u = 0; u < users.length; u++) {
    const seen = new Set();
    while (seen.size < 20) seen.add(Math.floor(rand() * items.length));
    for (const i of seen) {
      const fan = items[i].includes(users[u]);
      const r = Math.max(1, Math.min(5, Math.round((fan ? 4.4 : 2.2) + (rand() - 0.5) * 1.6)));
      data.push(`${u + 1}\t${i + 1}\t${r}\t${880000000 + data.length}`);
    }
  }
  const item = items.map((gs, i) => `${i + 1}|Film ${i + 1} (1995)|01-Jan-1995||http://x|${GENRES.map((_, g) => (gs.includes(g) ? 1 : 0)).join('|')}`);
  const jobs = ['student', 'writer', 'engineer', 'artist'];
  const user = users.map((_, u) => `${u + 1}|${18 + (u * 7) % 50}|${u % 2 ? 'F' : 'M'}|${jobs[u % 4]}|${10000 + u * 13}`);
  const dir = mkdtempSync(join(tmpdir(), 'mfp-features-'));
  for (const [name, lines] of /** @type {const} */ ([['u.data', data], ['u.item', item], ['u.user', user]])) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

/** Opens the data panel and loads a ratings file through its picker. @param {import('playwright-core').Page} page @param {string} path */
async function loadRatings(page, path) {
  await ready(page);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-file', path);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
}

/** Text of the element `selector`. @param {import('playwright-core').Page} page @param {string} selector */
const text = async (page, selector) => (await page.locator(selector).textContent()) ?? '';

test('MovieLens files as they come: genres and user attributes as features; on new items the hybrid beats MF, as mfp says', async () => {
  const dir = movielens();
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=loss,predicted,explain,embeddings`);
  await loadRatings(page, join(dir, 'u.data'));
  assert.equal(await text(page, '.mfp-item-features-have'), 'none');
  // u.item's 19 flags become the items' features, all of each item's genres.
  await page.setInputFiles('.mfp input.mfp-titles-file', join(dir, 'u.item'));
  await page.waitForFunction(() => /^120 with features, 6 distinct: /.test(document.querySelector('.mfp-item-features-have')?.textContent ?? ''));
  // u.user as it comes: age in bins, gender and occupation as categories, the zip code skipped.
  await page.setInputFiles('.mfp input.mfp-user-features-file', join(dir, 'u.user'));
  await page.waitForFunction(() => /read as u\.user/.test(document.querySelector('.mfp-features-status')?.textContent ?? ''));
  assert.match(await text(page, '.mfp-features-status'), /160 users have features, 11 distinct\. Columns: age \(numeric, 5\), gender \(categorical, 2\), occupation \(categorical, 4\), zip \(skipped, 160\)\./);
  assert.match(await text(page, '.mfp-features-preview'), /^userfeatures1age \d+-\d+, gender=M, occupation=student2age \d+-\d+, gender=F, occupation=writer/);
  await screenshot(page, 'features-movielens');

  // Matrix factorisation on a test part of new items (every rating of a fifth of the films).
  const knobs = async () => {
    for (const [name, value] of [['nEpochs', '40'], ['nFactors', '8'], ['learningRate', '0.02'], ['reg', '0.05'], ['seed', '42'], ['initStd', '0.1']]) {
      await page.locator(`.mfp-knobs [name="${name}"]`).fill(value);
      await page.locator(`.mfp-knobs [name="${name}"]`).dispatchEvent('change');
    }
  };
  await knobs();
  await page.locator('.mfp-knobs [name="split"]').selectOption('coldItems');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 40);
  const mf = Number(await metric(page, 'test-rmse'));
  // The hybrid model: a new model (the file's presets again, then the same knobs), the same split.
  await page.locator('.mfp-knobs [name="family"]').selectOption('hybrid');
  await knobs();
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 40);
  const hybrid = Number(await metric(page, 'test-rmse'));
  assert.ok(hybrid < 0.85 * mf, `new items: hybrid ${hybrid}, MF ${mf}`);
  // The same numbers as the command line, from the same files and knobs.
  const out = execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['train', '--train', join(dir, 'u.data'), '--titles', join(dir, 'u.item'),
    '--user-features', join(dir, 'u.user'), '--family', 'hybrid', '--split', '0.2', '--split-by', 'new-items', '--factors', '8', '--lr', '0.02',
    '--reg', '0.05', '--epochs', '40', '--seed', '42', '--init-std', '0.1', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const want = JSON.parse(out.trim().split('\n').at(-1));
  assert.equal(hybrid.toFixed(4), want.test_rmse.toFixed(4), 'the page and mfp train the same hybrid');

  // One prediction: what the user's and the item's features add.
  const canvas = page.locator('.mfp-panel-predicted canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await canvas.boundingBox());
  await page.mouse.click(box.x + box.width / 3, box.y + box.height / 3);
  await page.waitForSelector('.mfp-feature-parts:not([hidden])');
  // The user's attributes and the film's genres, each with its part.
  assert.match(await text(page, '.mfp-feature-parts'), /^What the features add .*: (.+ [+−]\d\.\d+ · ){3,}/);
  assert.match(await text(page, '.mfp-feature-parts'), /gender=[MF] [+−]/);
  // The map: the features among the users and the items.
  await page.waitForSelector('.mfp-embed-features-label:not([hidden])');
  await screenshot(page, 'features-hybrid-trained');

  // A network takes the same features as extra inputs: GMF on the new films, without and with.
  const useFeatures = page.locator('.mfp-knobs [name="useFeatures"]');
  assert.equal(await useFeatures.isEnabled(), false, 'matrix factorisation and the hybrid have no such choice');
  await page.locator('.mfp-knobs [name="family"]').selectOption('gmf');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  assert.equal(await useFeatures.isEnabled(), true);
  await page.locator('.mfp-knobs [name="loss"]').selectOption('squared');
  await page.locator('.mfp-knobs [name="nEpochs"]').fill('40');
  await page.locator('.mfp-knobs [name="nEpochs"]').dispatchEvent('change');
  await page.locator('.mfp-knobs [name="learningRate"]').fill('0.01');
  await page.locator('.mfp-knobs [name="learningRate"]').dispatchEvent('change');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 40);
  const gmf = Number(await metric(page, 'test-rmse'));
  await page.waitForSelector('.mfp-embed-features-label[hidden]', { state: 'attached' });
  await useFeatures.check();
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 40);
  const gmfWith = Number(await metric(page, 'test-rmse'));
  // Its features on its map (GMF's embeddings), as the hybrid's were on the factors', and in
  // the explanation of a cell (GMF has no tower: none is shown).
  await page.waitForSelector('.mfp-embed-features-label:not([hidden])');
  await canvas.scrollIntoViewIfNeeded();
  const cell = /** @type {{ x: number, y: number, width: number, height: number }} */ (await canvas.boundingBox());
  await page.mouse.click(cell.x + cell.width / 2, cell.y + cell.height / 2);
  await page.waitForFunction(() => /^s = b /.test(document.querySelector('.mfp-formula')?.textContent ?? ''));
  assert.doesNotMatch(await text(page, '.mfp-formula'), /tower|not a number/);
  assert.match(await text(page, '.mfp-feature-parts'), /gender=[MF] [+−]/);
  assert.ok(gmfWith < 0.9 * gmf, `new items, GMF: with features ${gmfWith}, without ${gmf}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad feature files say what and where; the features and the model kept', async () => {
  const dir = movielens();
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=loss`);
  await loadRatings(page, join(dir, 'u.data'));
  await trainTo(page, 30);
  // Item features pasted, as a list; then dropped on the items' line, as columns with a header.
  await page.fill('.mfp-features-paste', '1,Comedy|Drama\n2,Drama\n999,Horror\n');
  await page.click('.mfp-features-paste-item');
  await page.waitForFunction(() => /pasted text, read as lists: 2 items have features, 2 distinct\. .* 1 lines of ids the data does not have were skipped\./.test(document.querySelector('.mfp-features-status')?.textContent ?? ''));
  assert.match(await text(page, '.mfp-item-features-have'), /^2 with features, 2 distinct: Drama \(2\), Comedy \(1\)$/);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['movie,decade,colour\n1,1990s,yes\n2,1980s,no\n3,1990s,yes\n'], 'items.csv', { type: 'text/csv' }));
    document.querySelector('.mfp-item-features')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /items\.csv, read as columns: 3 items have features, 4 distinct/.test(document.querySelector('.mfp-features-status')?.textContent ?? ''));
  // A word in a column of numbers: the line and the column; what was there stays.
  await page.setInputFiles('.mfp input.mfp-user-features-file', {
    name: 'users.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`user,age\n${Array.from({ length: 30 }, (_, u) => `${u + 1},${u === 11 ? 'old' : 20 + u}`).join('\n')}\n`),
  });
  await page.waitForFunction(() => /line 13, column 2: column "age" holds numbers, and "old" is not one/.test(document.querySelector('.mfp-features-error')?.textContent ?? ''));
  assert.match(await text(page, '.mfp-features-error'), /^users\.csv: line 13, column 2: .*\. The features loaded before are unchanged\.$/);
  assert.equal(await text(page, '.mfp-user-features-have'), 'none');
  // Ids that match nothing: the users' file given as the items'.
  await page.setInputFiles('.mfp input.mfp-item-features-file', { name: 'u.user', mimeType: 'text/plain', buffer: Buffer.from('9001|24|M|technician|85711\n9002|53|F|other|94043\n') });
  await page.waitForFunction(() => /none of the file's 2 ids is one of the ratings' items/.test(document.querySelector('.mfp-features-error')?.textContent ?? ''));
  assert.match(await text(page, '.mfp-item-features-have'), /^3 with features, 4 distinct/);
  // Too many distinct features for the limits.
  const many = `1,${Array.from({ length: 20_001 }, (_, k) => `t${k}`).join('|')}\n`;
  await page.fill('.mfp-features-paste', many);
  await page.click('.mfp-features-paste-item');
  await page.waitForFunction(() => /line 1, column 2: "t20000" would be feature 20001: a side has at most 20000/.test(document.querySelector('.mfp-features-error')?.textContent ?? ''));
  // The data and the model are as they were.
  assert.equal(await page.locator('.mfp').getAttribute("data-epoch"), "30");
  // Remove takes a side's features away.
  await page.click('.mfp-item-features-remove');
  await page.waitForFunction(() => document.querySelector('.mfp-item-features-have')?.textContent === 'none');
  await screenshot(page, 'features-errors');
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicks: the engine offers BPR, and the hybrid trained with it ranks new items as mfp does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-bpr-'));
  const [clicks, items] = [join(dir, 'clicks.csv'), join(dir, 'items.csv')];
  const mfp = join(ROOT, 'target', 'debug', 'mfp');
  execFileSync(mfp, ['generate', '--implicit', '--clicks-only', '--users', '300', '--items', '200', '--ratings', '12000', '--taste', '3',
    '--out', clicks, '--item-features', items, '--seed', '5'], { stdio: 'ignore' });
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=loss,evaluation`);
  await loadRatings(page, clicks);
  await page.setInputFiles('.mfp input.mfp-item-features-file', items);
  await page.waitForFunction(() => /^200 with features/.test(document.querySelector('.mfp-item-features-have')?.textContent ?? ''));
  const loss = page.locator('.mfp-knobs select[name="loss"]');
  assert.deepEqual(await loss.locator('option').evaluateAll((o) => o.map((x) => /** @type {HTMLOptionElement} */ (x).value)), ['squared', 'logistic', 'bpr'],
    'the losses the engine describes');
  await page.locator('.mfp-knobs [name="split"]').selectOption('coldItems');
  await page.locator('.mfp-knobs [name="family"]').selectOption('hybrid');
  await loss.selectOption('bpr');
  for (const [name, value] of [['nEpochs', '20'], ['nFactors', '8'], ['learningRate', '0.05'], ['reg', '0.001'], ['negatives', '1'], ['seed', '42'], ['initStd', '0.1']]) {
    await page.locator(`.mfp-knobs [name="${name}"]`).fill(value);
    await page.locator(`.mfp-knobs [name="${name}"]`).dispatchEvent('change');
  }
  assert.equal(await page.locator('.mfp-knobs [name="negatives"]').isEnabled(), true, 'BPR draws its pairs: the negatives knob applies');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 20);
  assert.match(page.url(), /loss=bpr/, 'a link carries the loss');
  await page.waitForSelector('.mfp-eval-table[data-epoch="20"]');
  const auc = Number(await metric(page, 'eval-auc'));
  const want = JSON.parse(execFileSync(mfp, ['train', '--train', clicks, '--item-features', items, '--family', 'hybrid', '--loss', 'bpr',
    '--split', '0.2', '--split-by', 'new-items', '--factors', '8', '--lr', '0.05', '--reg', '0.001', '--negatives', '1', '--epochs', '20',
    '--seed', '42', '--init-std', '0.1', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1));
  assert.equal(auc.toFixed(3), want.auc.toFixed(3), 'the page and mfp train and rank the same');
  assert.ok(auc > 0.6, `new items ranked by their features: AUC ${auc}`);
  // The slices, as mfp prints them: the users by activity, and the new films are all long tail.
  for (const [name, field] of [['ndcg-cold', 'ndcg_at_10_cold_users'], ['ndcg-medium', 'ndcg_at_10_medium_users'], ['ndcg-heavy', 'ndcg_at_10_heavy_users'],
    ['recall-tail', 'recall_at_10_tail_items'], ['tail-share', 'tail_share']]) {
    assert.equal(await metric(page, `eval-${name}`), want[field].toFixed(3), name);
  }
  assert.equal(await metric(page, 'eval-tail-share'), '1.000');
  assert.equal(await metric(page, 'eval-recall-head'), '–', 'no new film is in the head');
  // Is it really better? The model against each baseline, user by user.
  assert.deepEqual(await page.locator('.mfp-eval-versus tbody tr').evaluateAll((rows) => rows.map((r) => /** @type {HTMLElement} */ (r).dataset.versus)),
    ['bias-only', 'popularity', 'random']);
  const num = (/** @type {string | undefined} */ s) => Number((s ?? '').replace('−', '-'));
  const diff = num(await metric(page, 'versus-random-diff'));
  const [lo, hi] = ((await metric(page, 'versus-random-interval')) ?? '').slice(1, -1).split(', ').map(num);
  assert.ok(lo <= diff && diff <= hi, `${lo} ${diff} ${hi}`);
  assert.match(await text(page, '.mfp-eval-versus-note'), /on the same \d+ test users/);
  // The training loss is BPR's, the mean over pairs: below ln 2, where it starts.
  assert.ok(Number(await metric(page, 'train-loss')) < Math.log(2), 'the pairs are learnt');
  await screenshot(page, 'features-bpr');
  assert.deepEqual(problems, []);
  await page.close();
});
