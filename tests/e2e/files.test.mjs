// A user's own files in the page: the picker, a drop and a paste, a bad file; MovieLens u.data
// with u.item (and u.genre) given with the ratings or after them; a separate test file; and
// links that carry a small file or name a big one.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, metric, openPage, ready, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const FIXTURES = join(ROOT, 'tests', 'e2e', 'fixtures');
const env = useServerAndBrowser({ before, after });

test('a file from the picker is previewed, then loaded; a bad file leaves everything as it was', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await ready(page);
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-epoch="1"]');
  await page.click('.mfp-data > summary');

  // A bad file: a message with line and column; data and model untouched.
  await page.setInputFiles('.mfp input[type="file"]', join(FIXTURES, 'bad.csv'));
  await page.waitForSelector('.mfp-file-error:not([hidden])');
  const err = await page.locator('.mfp-file-error').textContent();
  assert.match(err, /bad\.csv: line 3, column 3: rating "lots" is not a number/);
  assert.match(err, /unchanged/);
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '1');
  assert.match(await page.locator('.mfp-status').textContent(), /10 users × 10 items/);

  // A good file: preview first, nothing replaced until Load.
  await page.setInputFiles('.mfp input[type="file"]', join(FIXTURES, 'small.csv'));
  await page.waitForSelector('.mfp-preview:not([hidden])');
  assert.match(await page.locator('.mfp-detected').textContent(), /one rating per line, comma separated, with a header/);
  assert.match(await page.locator('.mfp-detected-stats').textContent(), /4 users × 3 items, 9 ratings \(75\.0% filled\), scale 1–5/);
  assert.deepEqual(await page.locator('.mfp-preview-table tr').first().locator('th').allTextContents(), ['user', 'item', 'rating']);
  assert.match(await page.locator('.mfp-status').textContent(), /10 users × 10 items/, 'not loaded yet');
  await page.click('.mfp-load');
  await page.waitForFunction(() => /4 users × 3 items/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  await page.waitForSelector('.mfp[data-dataset="file"][data-epoch="0"]');
  assert.equal(await page.locator('.mfp-knobs select[name="dataset"]').inputValue(), 'file');
  await trainTo(page, 30);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dropping a file and pasting text both reach the preview', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await ready(page);
  await page.click('.mfp-data > summary');
  const text = readFileSync(join(FIXTURES, 'small.csv'), 'utf8');
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('.mfp-drop')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  assert.match(await page.locator('.mfp-detected').textContent(), /^dropped\.csv: /);
  await page.click('.mfp-cancel');
  await page.fill('.mfp-paste', 'u1\ti1\t4\nu1\ti2\t2\nu2\ti1\t5\n');
  await page.click('.mfp-preview-paste');
  await page.waitForSelector('.mfp-preview:not([hidden])');
  assert.match(await page.locator('.mfp-detected').textContent(), /pasted text: one rating per line, tab separated/);
  await page.fill('.mfp-paste', 'u1,i1,4\nu1,i1,5\n');
  await page.click('.mfp-preview-paste');
  await page.waitForSelector('.mfp-file-error:not([hidden])');
  assert.match(await page.locator('.mfp-file-error').textContent(), /line 2, column 3: user "u1" already rated item "i1" on line 1/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a shared link carries a small file, and an edited example, inside it', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await ready(page);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input[type="file"]', join(FIXTURES, 'small.csv'));
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  const k = page.locator('.mfp-knobs [name="nFactors"]');
  await k.fill('2');
  await k.blur();
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await trainTo(page, 30);
  const numbers = await metric(page, 'train-rmse');
  await page.click('.mfp-share');
  await page.waitForFunction(() => /inline=/.test(document.querySelector('.mfp')?.getAttribute('data-share-url') ?? ''));
  const url = await page.locator('.mfp').getAttribute('data-share-url');
  assert.match(url, /#data=file&.*k=2.*&inline=[\w-]+$/);
  const other = await openPage(env.browser.ctx, url);
  await other.page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.match(await other.page.locator('.mfp-status').textContent(), /4 users × 3 items, 9 ratings/);
  await trainTo(other.page, 30);
  assert.equal(await metric(other.page, 'train-rmse'), numbers, 'the same numbers from the link alone');

  // An edited built-in example travels the same way.
  const edit = await openPage(env.browser.ctx, `${env.server.url}#epochs=5`);
  await ready(edit.page);
  const box = await edit.page.locator('.mfp-panel-observed canvas').boundingBox();
  await edit.page.mouse.click(box.x + box.width * 0.95, box.y + box.height * 0.05);
  await edit.page.fill('.mfp-edit-value', '1');
  await edit.page.click('.mfp-edit-set');
  await edit.page.click('.mfp-share');
  await edit.page.waitForFunction(() => /inline=/.test(document.querySelector('.mfp')?.getAttribute('data-share-url') ?? ''));
  const editedUrl = await edit.page.locator('.mfp').getAttribute('data-share-url');
  const again = await openPage(env.browser.ctx, editedUrl);
  await again.page.waitForSelector('.mfp[data-dataset="file"][data-loading="false"][data-epoch="0"]');
  assert.match(await again.page.locator('.mfp-status').textContent(), /10 users × 10 items, 100 ratings/);
  await again.page.locator('.mfp-panel-observed canvas').scrollIntoViewIfNeeded();
  const cell = await again.page.locator('.mfp-panel-observed canvas').boundingBox();
  await again.page.mouse.move(cell.x + cell.width * 0.95, cell.y + cell.height * 0.05);
  await again.page.waitForFunction(() => /User 1, item 10: observed 1/.test(document.querySelector('.mfp-panel-observed .mfp-hover')?.textContent ?? ''));
  assert.deepEqual([...problems, ...other.problems, ...edit.problems, ...again.problems], []);
  for (const p of [page, other.page, edit.page, again.page]) await p.close();
});

test('a MovieLens u.data file with its u.item titles', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await ready(page);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-titles-file', join(FIXTURES, 'u.item'));
  await page.waitForFunction(() => document.querySelector('.mfp-titles-name')?.textContent === 'u.item');
  await page.setInputFiles('.mfp input.mfp-file', join(FIXTURES, 'u.data'));
  await page.waitForSelector('.mfp-preview:not([hidden])');
  assert.match(await page.locator('.mfp-detected').textContent(), /u\.data: one rating per line, tab separated, UTF-8 text/);
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="30"]');
  await page.selectOption('.mfp-rec-user', '2');
  await page.waitForFunction(() => /Kolya \(1996\)|L\.A\. Confidential/.test(document.querySelector('.mfp-rec-list')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await page.close();
});

test('u.item given after u.data: its titles and its 19 genre flags reach the loaded data', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=embeddings,recommend,loss`);
  await ready(page);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-file', join(FIXTURES, 'u.data'));
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="30"]');
  // The titles come second: applied to the loaded data, the model kept.
  await page.setInputFiles('.mfp input.mfp-titles-file', join(FIXTURES, 'u.item'));
  await page.waitForFunction(() => /Titles from u\.item applied/.test(document.querySelector('.mfp-data')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '30');
  await page.selectOption('.mfp-rec-user', '2');
  await page.waitForFunction(() => /Kolya \(1996\)|L\.A\. Confidential|Heavyweights/.test(document.querySelector('.mfp-rec-list')?.textContent ?? ''));
  // The genres are u.item's flags (Comedy, Crime, Children's), not its release dates.
  await page.waitForFunction(() => document.querySelectorAll('.mfp-embeddings .mfp-legend .mfp-swatch').length >= 3);
  const legend = await page.locator('.mfp-embeddings .mfp-legend .mfp-swatch').allTextContents();
  assert.ok(['Comedy', 'Crime', "Children's"].every((g) => legend.some((l) => l.includes(g))), legend.join(' | '));
  assert.ok(!legend.some((l) => /\d{2}-\w{3}-\d{4}/.test(l)), legend.join(' | '));
  await screenshot(page, 'u-item-after-u-data');
  // MovieLens's u.genre names those flags: here in Chinese, for a class; the legend follows.
  const zh = ['未知', '动作', '冒险', '动画', '儿童', '喜剧', '犯罪', '纪录片', '剧情', '奇幻', '黑色电影', '恐怖', '歌舞', '悬疑', '爱情', '科幻', '惊悚', '战争', '西部'];
  await page.setInputFiles('.mfp input.mfp-titles-file', { name: 'u.genre', mimeType: 'text/plain', buffer: Buffer.from(zh.map((n, i) => `${n}|${i}\n`).join('')) });
  await page.waitForFunction(() => /喜剧/.test(document.querySelector('.mfp-embeddings .mfp-legend')?.textContent ?? ''));
  const named = await page.locator('.mfp-embeddings .mfp-legend .mfp-swatch').allTextContents();
  assert.ok(['喜剧', '犯罪', '儿童'].every((g) => named.some((l) => l.includes(g))), named.join(' | '));
  // Titles for other data are refused with the reason; the data keeps its titles.
  await page.setInputFiles('.mfp input.mfp-titles-file', { name: 'movies.dat', mimeType: 'text/plain', buffer: Buffer.from('1::Toy Story (1995)::Animation\n') });
  await page.waitForFunction(() => /names none of the loaded data's items/.test(document.querySelector('.mfp-data')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link made with a file too big to carry opens ready, asks for that file, keeps its knobs and reproduces the run', async () => {
  // 3,000 ratings: more than a link carries (2,000).
  const dir = mkdtempSync(join(tmpdir(), 'mfp-link-'));
  const lines = ['user,item,rating'];
  for (let k = 0; k < 3000; k++) lines.push(`u${k % 150},i${Math.floor(k / 150)},${1 + ((k * 13) % 5)}`);
  const file = join(dir, 'ratings-3000.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const other = join(dir, 'ratings-3000-edited.csv');
  writeFileSync(other, `${lines.join('\n').replace(/^u1,i7,4$/m, 'u1,i7,5')}\n`);
  const loadFile = async (/** @type {any} */ page, /** @type {string} */ path) => {
    await page.setInputFiles('.mfp input.mfp-file', path);
    await page.waitForSelector('.mfp-preview:not([hidden])');
    await page.click('.mfp-load');
    await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  };
  const set = async (/** @type {any} */ page, /** @type {string} */ name, /** @type {string} */ value) => {
    await page.locator(`.mfp-knobs [name="${name}"]`).fill(value);
    await page.locator(`.mfp-knobs [name="${name}"]`).blur();
  };

  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await ready(page);
  await page.click('.mfp-data > summary');
  await loadFile(page, file);
  await set(page, 'nFactors', '12');
  await set(page, 'reg', '0.02');
  await set(page, 'nEpochs', '5');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 5);
  const numbers = [await metric(page, 'train-rmse'), await metric(page, 'test-rmse')];
  await page.click('.mfp-share');
  const url = await page.locator('.mfp').getAttribute('data-share-url');
  assert.match(url, /data=file/);
  assert.match(url, /file=ratings-3000\.csv/);
  assert.match(url, /fp=3000-[0-9a-f]{16}/);
  assert.match(url, /k=12/);
  assert.doesNotMatch(url, /inline=/);
  await page.close();

  // The link opens ready (it was stuck at "Loading the engine and the data…"), says which file.
  const b = await openPage(env.browser.ctx, url);
  await b.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  assert.match(await b.page.locator('.mfp-status').textContent() ?? '', /This link was made with ratings-3000\.csv \(3,000 ratings\): choose or drop that file/);
  assert.equal(await b.page.locator('.mfp-train').isDisabled(), true);
  await screenshot(b.page, 'link-awaits-file');
  await loadFile(b.page, file);
  assert.match(await b.page.locator('.mfp-data').textContent() ?? '', /The same file the link was made with/);
  // The link's knobs, not the file preset's (k 12 became 10, λ 0.02 became 0.05).
  assert.equal(await b.page.locator('.mfp-knobs [name="nFactors"]').inputValue(), '12');
  assert.equal(await b.page.locator('.mfp-knobs [name="reg"]').inputValue(), '0.02');
  await trainTo(b.page, 5);
  assert.deepEqual([await metric(b.page, 'train-rmse'), await metric(b.page, 'test-rmse')], numbers);
  await b.page.close();

  // Another file: said plainly, the knobs kept all the same.
  const c = await openPage(env.browser.ctx, url);
  await c.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  await loadFile(c.page, other);
  await c.page.waitForFunction(() => /not the file the link was made with/.test(document.querySelector('.mfp-error')?.textContent ?? ''));
  assert.equal(await c.page.locator('.mfp-knobs [name="nFactors"]').inputValue(), '12');
  await c.page.close();
  assert.deepEqual([...problems, ...b.problems, ...c.problems], []);
});

test('a separate test file (u1.test beside u1.base) is the test part, as mfp train --test makes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-testfile-'));
  const base = [];
  const test = [];
  for (let u = 1; u <= 60; u++) {
    for (let i = 1; i <= 40; i++) {
      if ((u * 3 + i * 5) % 4 !== 0) continue;
      const line = `${u}\t${i}\t${1 + ((u * 7 + i * 3) % 5)}\t8800000${u}`;
      ((u + i) % 5 === 0 ? test : base).push(line);
    }
  }
  test.push('999\t1\t3\t880000000'); // a user u1.base does not have: skipped
  writeFileSync(join(dir, 'u1.base'), `${base.join('\n')}\n`);
  writeFileSync(join(dir, 'u1.test'), `${test.join('\n')}\n`);
  const mfp = join(ROOT, 'target', 'debug', 'mfp');
  const out = execFileSync(mfp, ['train', '--train', join(dir, 'u1.base'), '--test', join(dir, 'u1.test'), '--factors', '10', '--lr', '0.01', '--reg', '0.05',
    '--epochs', '30', '--seed', '42', '--init-std', '0.1', '--json'], { encoding: 'utf8' }).trim().split('\n');
  const want = JSON.parse(out.at(-1));

  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=loss,evaluation`);
  await ready(page);
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-file', join(dir, 'u1.base'));
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.setInputFiles('.mfp input.mfp-test-file', join(dir, 'u1.test'));
  await page.waitForFunction(() => /u1\.test is the test part now \(\d+ ratings; 1 of users or items not in the data skipped\)/.test(document.querySelector('.mfp-data')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-knobs [name="testFraction"]').isDisabled(), true, 'the test share has nothing to do');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 30);
  assert.equal(await metric(page, 'test-rmse'), want.test_rmse.toFixed(4), 'the same test RMSE as mfp train --test');
  assert.equal(await metric(page, 'train-rmse'), want.train_rmse.toFixed(4));
  // Back to a random share.
  await page.click('.mfp-test-remove');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  assert.equal(await page.locator('.mfp-knobs [name="testFraction"]').isDisabled(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a file with timestamps: one rating per user (the latest) or the latest share held out, as mfp makes them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-times-'));
  const lines = [];
  for (let u = 1; u <= 60; u++) {
    for (let i = 1; i <= 40; i++) {
      if ((u * 3 + i * 5) % 4 !== 0) continue;
      // Times not in file order: each user's latest rating is somewhere in the middle.
      lines.push(`${u}\t${i}\t${1 + ((u * 7 + i * 3) % 5)}\t${880000000 + ((u * 13 + i * 29) % 97) * 1000 + u}`);
    }
  }
  const file = join(dir, 'u.data');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const mfp = join(ROOT, 'target', 'debug', 'mfp');
  const knobs = ['--factors', '10', '--lr', '0.01', '--reg', '0.05', '--epochs', '20', '--seed', '42', '--init-std', '0.1', '--json'];
  const run = (/** @type {string[]} */ how) => JSON.parse(execFileSync(mfp, ['train', '--train', file, ...how, ...knobs], { encoding: 'utf8' }).trim().split('\n').at(-1));
  const loo = run(['--protocol', 'loo']);
  assert.equal(loo.held_out, 'latest');
  const byTime = run(['--split', '0.2', '--split-by', 'time']);

  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#panels=loss,evaluation`);
  await ready(page);
  const split = page.locator('.mfp-knobs select[name="split"]');
  assert.deepEqual(await split.locator('option').evaluateAll((o) => o.map((x) => /** @type {HTMLOptionElement} */ (x).value)), ['random', 'onePerUser', 'coldItems', 'coldUsers'],
    'the split by time is not offered for data without times');
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input.mfp-file', file);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.deepEqual(await split.locator('option').evaluateAll((o) => o.map((x) => /** @type {HTMLOptionElement} */ (x).value)), ['random', 'onePerUser', 'latest', 'coldItems', 'coldUsers']);
  await page.fill('.mfp-knobs [name="nEpochs"]', '20');
  await page.locator('.mfp-knobs [name="nEpochs"]').blur();

  await split.selectOption('onePerUser');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  assert.equal(await page.locator('.mfp-knobs [name="testFraction"]').isDisabled(), true, 'one per user takes no share');
  await trainTo(page, 20);
  assert.equal(await metric(page, 'test-rmse'), loo.test_rmse.toFixed(4), 'the same held-out ratings and model as mfp train --protocol loo');
  assert.equal(await metric(page, 'train-rmse'), loo.train_rmse.toFixed(4));

  await split.selectOption('latest');
  await page.fill('.mfp-knobs [name="testFraction"]', '0.2');
  await page.locator('.mfp-knobs [name="testFraction"]').blur();
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 20);
  assert.equal(await metric(page, 'test-rmse'), byTime.test_rmse.toFixed(4), 'the same split by time as mfp train --split-by time');
  assert.match(page.url(), /split=latest/, 'a link carries the split');
  // The evaluation says where the split by time cut: the earliest time of the latest fifth.
  const cut = new Date(byTime.test_since * 1000).toISOString();
  // (The table of the one-per-user model, also at epoch 20, may still be showing: wait for this one's.)
  await page.waitForFunction(() => /Split by time/.test(document.querySelector('.mfp-eval-note')?.textContent ?? ''));
  assert.match(await page.locator('.mfp-eval-note').innerText(), new RegExp(`from ${cut.slice(0, 10)} ${cut.slice(11, 16)} UTC on`));
  assert.deepEqual(problems, []);
  await page.close();
});
