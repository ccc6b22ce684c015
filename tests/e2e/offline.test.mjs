// The single-file build (tools/build-offline.sh): dist/mf-playground.html opened from the file
// system, no server, no network: it trains, loads the built-in data, and asks for nothing.

import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { ROOT, launch, screenshot } from './harness.mjs';

const FILE = join(ROOT, 'dist', 'mf-playground.html');
/** @type {Awaited<ReturnType<typeof launch>>} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

test('the single file works from file:// with no network', async () => {
  assert.ok(existsSync(FILE), 'run tools/build-offline.sh first (the test command does)');
  const size = statSync(FILE).size;
  assert.ok(size < 3 * 2 ** 20, `${(size / 2 ** 20).toFixed(1)} MB`);
  const page = await browser.ctx.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  browser.ctx.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(FILE).href);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 30_000 });
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="100"]');
  await page.selectOption('.mfp-knobs select[name="dataset"]', 'movietweetings');
  await page.waitForFunction(() => /300 users × 150 items/.test(document.querySelector('.mfp-status')?.textContent ?? ''));
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="40"]', { timeout: 30_000 });
  await page.waitForFunction(() => /\(\d{4}\)/.test(document.querySelector('.mfp-rec-list')?.textContent ?? ''));
  await screenshot(page, 'offline-file');
  const foreign = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
  await page.close();
});
