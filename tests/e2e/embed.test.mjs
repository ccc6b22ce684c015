// Embedding: a documentation page with three widgets (two custom elements, one mount()), an
// iframe configured through its URL, and the whole site served under a sub-path.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, startServer, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

/** The widget of a host: inside a custom element's shadow root, or the mount() root itself. */
const widget = (/** @type {string} */ host) => (host === '#third' ? '#third.mfp' : `${host} .mfp`);
const ready = (/** @type {string} */ host) => `${widget(host)}[data-status="idle"][data-loading="false"][data-epoch="0"]`;

test('three widgets on one page: own workers, own state, scoped styles, events and methods', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}www/docs.html`);
  for (const host of ['#w1', '#w2', '#third']) await page.waitForSelector(ready(host));
  const engines = page.workers().filter((w) => w.url().endsWith('/www/engine.worker.js'));
  assert.equal(engines.length, 3, 'one worker per widget');
  // Compact: no data panel, only the chosen knobs.
  assert.equal(await page.locator('#w1 .mfp-data').isVisible(), false);
  const visible = async (host) => page.locator(`${host} .mfp-toolbar .mfp-knobs .mfp-field:not([hidden]) :is(input, select)`).evaluateAll((els) => els.map((e) => e.getAttribute('name')));
  assert.deepEqual(await visible('#w1'), ['nFactors', 'learningRate', 'reg', 'nEpochs']);
  assert.deepEqual(await visible('#w2'), ['nFactors', 'learningRate']);
  // Events on the element, methods on the element; the other widgets stay where they were.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__events = [];
    for (const t of ['epoch', 'trained']) document.getElementById('w1')?.addEventListener(t, (e) => w.__events.push([t, /** @type {any} */ (e).detail.epoch]));
    /** @type {any} */ (document.getElementById('w1')).train();
  });
  await page.waitForSelector('#w1 .mfp[data-status="idle"][data-epoch="100"]');
  const events = await page.evaluate(() => /** @type {any} */ (window).__events);
  assert.equal(events.filter(([t]) => t === 'epoch').length, 100);
  assert.deepEqual(events.at(-1), ['trained', 100]);
  assert.equal(await page.locator('#w2 .mfp').getAttribute('data-epoch'), '0');
  assert.equal(await page.locator('#third.mfp').getAttribute('data-epoch'), '0');
  await page.evaluate(() => /** @type {any} */ (document.getElementById('w2')).setParams({ nFactors: 3 }));
  assert.equal(await page.locator('#w2 .mfp-knobs input[name="nFactors"]').inputValue(), '3');
  // A removed attribute gives its knob back to the data set's preset (60 epochs for synthetic).
  await page.evaluate(() => document.getElementById('w2')?.removeAttribute('epochs'));
  assert.equal(await page.locator('#w2 .mfp-knobs input[name="nEpochs"]').inputValue(), '60');
  await page.evaluate(() => document.getElementById('w2')?.setAttribute('epochs', '7'));
  await page.evaluate(() => document.getElementById('w2')?.setAttribute('epochs', '7'));
  assert.equal(await page.locator('#w2 .mfp-knobs input[name="nEpochs"]').inputValue(), '7');
  // Only that attribute's knob follows: the factors set by setParams stay (k="2" is not re-applied).
  assert.equal(await page.locator('#w2 .mfp-knobs input[name="nFactors"]').inputValue(), '3');
  // A removed attribute gives its knob back to the data set's preset (60 epochs for synthetic).
  await page.evaluate(() => document.getElementById('w2')?.removeAttribute('epochs'));
  assert.equal(await page.locator('#w2 .mfp-knobs input[name="nEpochs"]').inputValue(), '60');
  await page.evaluate(() => document.getElementById('w2')?.setAttribute('epochs', '7'));
  // The mount() widget trains from its own buttons and reports through its root's events.
  await page.click('#third .mfp-train');
  await page.waitForFunction(() => /trained 20 epochs/.test(document.getElementById('log')?.textContent ?? ''), null, { timeout: 30_000 });
  // Scoped: every rule of the widget's stylesheet is about .mfp elements, and the host's text
  // keeps the host's look.
  const css = readFileSync(join(ROOT, 'www', 'style.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const selectors = [...css.matchAll(/(^|})\s*([^{}@]+)\{/g)].map((m) => m[2].trim()).filter((s) => s && !/^(from|to|\d+%)$/.test(s));
  const unscoped = selectors.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => !/^\.mfp/.test(s));
  assert.deepEqual(unscoped, []);
  const hostStyle = await page.locator('.host-text').evaluate((el) => [getComputedStyle(el).fontSize, getComputedStyle(el).marginTop]);
  assert.deepEqual(hostStyle, ['15px', '15px']);
  await screenshot(page, 'docs-three-widgets');
  assert.deepEqual(problems, []);
  await page.close();
});

test('setParams with several knobs applies every one of them to the engine', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}www/docs.html`);
  await page.waitForSelector(ready('#w1'));
  // A reference widget with the learning rate from the start, beside the docs page's first one.
  await page.evaluate(() => {
    const el = document.createElement('mf-playground');
    el.id = 'ref';
    for (const [k, v] of Object.entries({ preset: 'seed-10x10', panels: 'loss', lr: '0.05', compact: '' })) el.setAttribute(k, v);
    document.querySelector('main')?.append(el);
  });
  await page.waitForSelector(ready('#ref'));
  /** One epoch of a widget, its report. @param {string} id */
  const stepOnce = (id) => page.evaluate((id) => new Promise((resolve) => {
    const el = /** @type {any} */ (document.getElementById(id));
    el.addEventListener('epoch', (/** @type {any} */ e) => resolve(e.detail), { once: true });
    el.step();
  }), id);
  // Two knobs in one call: the first ('speed') only touches the page; the learning rate must
  // still reach the engine (it was dropped: only the first changed knob was applied).
  await page.evaluate(() => /** @type {any} */ (document.getElementById('w1')).setParams({ speed: 'slow', learningRate: 0.05 }));
  const got = await stepOnce('w1');
  const want = await stepOnce('ref');
  assert.equal(got.epoch, 1);
  assert.equal(got.loss, want.loss, 'the first epoch ran at the new learning rate');
  assert.equal(got.rmse, want.rmse);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an iframe is configured through its URL and tells its host about training', async () => {
  const page = await env.browser.ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setContent(`<iframe src="${env.server.url}www/embed.html#data=synthetic&panels=loss,embeddings&compact=1&epochs=20&k=2" width="1000" height="900"></iframe>`);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__messages = [];
    window.addEventListener('message', (e) => e.data?.source === 'mf-playground' && w.__messages.push(e.data.type));
  });
  const frame = page.frameLocator('iframe');
  await frame.locator('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]').waitFor();
  assert.equal(await frame.locator('.mfp-knobs input[name="nFactors"]').inputValue(), '2');
  assert.equal(await frame.locator('.mfp-panel-embeddings').isVisible(), true);
  assert.equal(await frame.locator('.mfp-panel-observed').isVisible(), false);
  await frame.locator('.mfp-train').click();
  await frame.locator('.mfp[data-status="idle"][data-epoch="20"]').waitFor();
  await page.waitForFunction(() => /** @type {any} */ (window).__messages.includes('trained'));
  const messages = await page.evaluate(() => /** @type {any} */ (window).__messages);
  assert.equal(messages.filter((t) => t === 'epoch').length, 20);
  await screenshot(page, 'iframe-embed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the site works under a sub-path of a static host', async () => {
  const server = await startServer(ROOT, '/docs/mf-playground/');
  try {
    assert.match(server.url, /\/docs\/mf-playground\/$/);
    const outside = await fetch(server.url.replace('/docs/mf-playground/', '/index.html'));
    assert.equal(outside.status, 404, 'nothing is served outside the sub-path');
    const { page, problems } = await openPage(env.browser.ctx, `${server.url}index.html#data=movietweetings&epochs=5`);
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
    await page.click('.mfp-train');
    await page.waitForSelector('.mfp[data-status="idle"][data-epoch="5"]');
    const docs = await openPage(env.browser.ctx, `${server.url}www/docs.html`);
    for (const host of ['#w1', '#w2', '#third']) await docs.page.waitForSelector(ready(host));
    assert.deepEqual([...problems, ...docs.problems], []);
    assert.ok(requests.every((u) => u.startsWith(server.url) || u.startsWith('blob:')), requests.join('\n'));
    await docs.page.close();
    await page.close();
  } finally {
    server.stop();
  }
});
