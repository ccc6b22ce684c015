// The engine's memory (its WebAssembly memory, which only grows: the peak) is shown with the
// metrics and follows what the engine holds.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

const megabytes = async (page) => {
  const text = (await page.locator('[data-metric="engine-memory"]').textContent()) ?? '';
  const m = /^(\d+\.\d) MB \(peak\)$/.exec(text);
  assert.ok(m, text);
  return Number(m[1]);
};

test('the engine memory is reported, and grows with a bigger data set', async () => {
  let { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=seed-10x10`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.waitForFunction(() => /MB/.test(document.querySelector('[data-metric="engine-memory"]')?.textContent ?? ''));
  const small = await megabytes(page);
  assert.ok(small > 0);
  const first = [...problems]; // before closing, which may cut off a request of its own
  await page.close();
  // A fresh page (a new worker) for the bigger data: reloading this one could abort its own
  // requests (the favicon) and report them as failures.
  ({ page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&su=2000&si=2000&sd=0.5&k=32`));
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 60_000 });
  await page.waitForFunction((mb) => {
    const m = /^(\d+\.\d) MB/.exec(document.querySelector('[data-metric="engine-memory"]')?.textContent ?? '');
    return m && Number(m[1]) > mb + 10;
  }, small, { timeout: 30_000 });
  const big = await megabytes(page);
  assert.ok(big > small + 10, `${small} MB then ${big} MB for 2,000,000 ratings`);
  assert.deepEqual([...first, ...problems], []);
  await page.close();
});
