// English and Chinese: every interface text has a translation, the language comes from the link,
// and switching it keeps the data and the model.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

test('every interface text has a Chinese translation', async () => {
  const { interfaceKeys } = await import(pathToFileURL(join(ROOT, 'tools', 'i18n-keys.mjs')).href);
  const { ZH } = await import(pathToFileURL(join(ROOT, 'www', 'i18n-zh.js')).href);
  const keys = await interfaceKeys();
  assert.ok(keys.length > 250, `${keys.length} texts found`);
  assert.deepEqual(keys.filter((k) => !(k in ZH)), []);
  // Placeholders survive translation.
  for (const k of keys) {
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    assert.equal(names(ZH[k]), names(k), `placeholders of ${k}`);
  }
});

test('the page in Chinese from the link, and a switch that keeps the model', async () => {
  const zh = await openPage(env.browser.ctx, `${env.server.url}#lang=zh&data=synthetic&epochs=20`);
  await zh.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.equal(await zh.page.locator('.mfp-train').textContent(), '训练');
  assert.equal(await zh.page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await zh.page.locator('header p[data-lang="zh"]').isVisible(), true);
  assert.equal(await zh.page.locator('header p[data-lang="en"]').isVisible(), false);
  await zh.page.click('.mfp-train');
  await zh.page.waitForSelector('.mfp[data-status="idle"][data-epoch="20"]');
  assert.match(await zh.page.locator('.mfp-status').textContent(), /60 个用户 × 40 个物品.*第 20 \/ 20 轮 · 已训练/);
  assert.equal(await zh.page.locator('label[for] >> text=因子数 k').count(), 1);
  await screenshot(zh.page, 'i18n-zh');
  // A bad file's message: the position in Chinese, the engine's words as written.
  await zh.page.setInputFiles('.mfp input[type="file"]', join(ROOT, 'tests', 'e2e', 'fixtures', 'bad.csv'));
  await zh.page.waitForSelector('.mfp-file-error:not([hidden])');
  assert.match(await zh.page.locator('.mfp-file-error').textContent(), /^bad\.csv：第 3 行第 3 列：rating "lots" is not a number。之前载入的数据保持不变。$/);
  assert.deepEqual(zh.problems, []);
  await zh.page.close();

  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#epochs=10`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="10"]');
  const before = await page.locator('[data-metric="train-rmse"]').textContent();
  await page.selectOption('.mfp-lang', 'zh');
  await page.waitForFunction(() => document.querySelector('.mfp-train')?.textContent === '训练');
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '10', 'the model is kept');
  assert.equal(await page.locator('[data-metric="train-rmse"]').textContent(), before);
  assert.match(await page.locator('.mfp-status').textContent(), /第 10 \/ 10 轮/);
  assert.equal(await page.locator('.mfp-panel-loss h3').textContent(), '训练');
  assert.match(await page.evaluate(() => location.hash), /lang=zh/);
  await page.selectOption('.mfp-lang', 'en');
  await page.waitForFunction(() => document.querySelector('.mfp-train')?.textContent === 'Train');
  assert.match(await page.locator('.mfp-status').textContent(), /epoch 10 of 10 · trained/);
  assert.deepEqual(problems, []);
  await page.close();
});
