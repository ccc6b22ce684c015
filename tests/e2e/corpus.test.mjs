// The bad-input corpus (tests/corpus/) walked through the page the way a user meets it: each
// file chosen in the picker gets its line and column in the message, the page stays usable, and
// the data and model loaded before are kept. Then the page's documented limits.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
const CORPUS = join(ROOT, 'tests', 'corpus');

const entries = readFileSync(join(CORPUS, 'expected.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [file, options, line, column, words] = l.split('\t');
    return { file, options, line: Number(line), column: Number(column), words };
  });

/** Sets the data panel's read options the way the manifest says (and clears the others). */
async function setOptions(page, spec) {
  const o = Object.fromEntries(spec === '-' ? [] : spec.split(',').map((kv) => kv.split('=')));
  await page.selectOption('.mfp-format', o.layout === 'dense' ? 'dense' : 'auto');
  await page.selectOption('.mfp-feedback', o.feedback ?? 'auto');
  const [min, max] = o.scale ? o.scale.split('..') : ['', ''];
  await page.fill('.mfp-scale-min', min);
  await page.fill('.mfp-scale-max', max);
}

/** Trains the built-in example a few epochs: the state every bad file must leave alone. */
async function trainedPage() {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=seed-10x10`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  for (let k = 0; k < 3; k++) {
    await page.click('.mfp-step');
    await page.waitForSelector(`.mfp[data-epoch="${k + 1}"]`);
  }
  await page.click('.mfp-data > summary');
  return { page, problems };
}

async function kept(page, what) {
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '3', `${what}: the model is kept`);
  assert.match(await page.locator('.mfp-status').textContent(), /10 users × 10 items/, `${what}: the data is kept`);
}

test(`all ${entries.length} bad files get line and column; data and model are kept`, async () => {
  assert.ok(entries.length >= 40);
  const { page, problems } = await trainedPage();
  for (const e of entries) {
    await setOptions(page, e.options);
    await page.setInputFiles('.mfp input[type="file"]', join(CORPUS, 'bad', e.file));
    const shown = await page.waitForFunction(
      (name) => {
        const el = document.querySelector('.mfp-file-error');
        return el && !el.hidden && el.textContent?.startsWith(`${name}:`) ? el.textContent : null;
      },
      e.file,
      { timeout: 10_000 },
    );
    const text = /** @type {string} */ (await shown.jsonValue());
    assert.ok(text.includes(`${e.file}: line ${e.line}, column ${e.column}: `), `${e.file}: ${text}`);
    assert.ok(text.includes(e.words), `${e.file}: ${text} (want ${e.words})`);
    assert.match(text, /unchanged/);
    await kept(page, e.file);
    // The next file's message must be its own: hide this one as a new read does.
    await page.evaluate(() => {
      const el = /** @type {HTMLElement} */ (document.querySelector('.mfp-file-error'));
      el.hidden = true;
      el.textContent = '';
    });
  }
  await setOptions(page, '-');
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined, 'no script from a file ran');
  assert.equal(await page.locator('.mfp script, .mfp img').count(), 0);
  // Still usable: training goes on from where it was.
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="4"]');
  // Only the engine's refusals were logged, nothing else went wrong.
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad scale in the page is refused before reading', async () => {
  const { page, problems } = await trainedPage();
  await page.fill('.mfp-scale-min', '5');
  await page.fill('.mfp-scale-max', '1');
  await page.setInputFiles('.mfp input[type="file"]', join(ROOT, 'tests', 'e2e', 'fixtures', 'small.csv'));
  await page.waitForSelector('.mfp-file-error:not([hidden])');
  assert.match(await page.locator('.mfp-file-error').textContent(), /small\.csv: the scale needs a minimum below its maximum/);
  await kept(page, 'bad scale');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the documented limits: a file over 64 MB and data with too many users get a message, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfp-big-'));
  try {
    const { page, problems } = await trainedPage();
    // Over the file limit: refused before it is read.
    const huge = join(dir, 'huge.csv');
    const line = 'user-000000,item-000000,3\n';
    writeFileSync(huge, line.repeat(Math.ceil((65 * 2 ** 20) / line.length)));
    await page.setInputFiles('.mfp input[type="file"]', huge);
    await page.waitForSelector('.mfp-file-error:not([hidden])');
    assert.match(await page.locator('.mfp-file-error').textContent(), /huge\.csv is 65\.0 MB; the page reads files up to 64 MB/);
    await kept(page, 'huge file');

    // Under the file limit but over the users limit: read in the worker, then refused.
    const many = join(dir, 'many-users.csv');
    const rows = [];
    for (let u = 0; u <= 1_000_000; u++) rows.push(`${u},${u % 50},${1 + (u % 5)}`);
    writeFileSync(many, rows.join('\n'));
    await page.setInputFiles('.mfp input[type="file"]', many);
    await page.waitForFunction(() => /many-users/.test(document.querySelector('.mfp-file-error')?.textContent ?? ''), null, { timeout: 60_000 });
    const msg = await page.locator('.mfp-file-error').textContent();
    assert.match(msg, /the data has 1,000,001 users; the page takes at most 1,000,000 \(the mfp command line has no limit\)/);
    await kept(page, 'too many users');
    await screenshot(page, 'corpus-limit-message');
    await page.click('.mfp-step');
    await page.waitForSelector('.mfp[data-status="idle"][data-epoch="4"]');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
