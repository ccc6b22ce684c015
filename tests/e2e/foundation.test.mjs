// The first slice, as a user meets it: open the page, train the article's 10x10 example, watch
// the loss fall epoch by epoch while the page stays responsive.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { measureFirstRender } from './first-render.mjs';
import { pageLongTasks, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

test('training the built-in 10x10 example streams epochs, lowers the loss and keeps the page responsive', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  const root = page.locator('.mfp');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await assert.doesNotReject(page.locator('.mfp-heatmap').first().waitFor());
  assert.match(await page.locator('.mfp-status').textContent(), /10 users × 10 items, 100 ratings \(100% known\), implicit 0\/1/);

  // Collect every epoch event the widget emits, and long tasks from the moment we press Train.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__epochs = [];
    w.__statuses = new Set();
    const el = /** @type {HTMLElement} */ (document.querySelector('.mfp'));
    el.addEventListener('mfp:epoch', (e) => w.__epochs.push(/** @type {CustomEvent} */ (e).detail));
    new MutationObserver(() => w.__statuses.add(el.dataset.status)).observe(el, { attributes: true });
    w.__longTasks.length = 0;
  });
  await page.locator('.mfp-knobs input[name="nEpochs"]').fill('300');
  await page.locator('.mfp-knobs input[name="nEpochs"]').press('Enter');
  await page.locator('.mfp-knobs input[name="nEpochs"]').blur();
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="300"]', { timeout: 30_000 });

  const { epochs, statuses } = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return { epochs: w.__epochs, statuses: [...w.__statuses] };
  });
  const longTasks = await pageLongTasks(page);
  assert.ok(statuses.includes('training'), `status went through training: ${statuses}`);
  assert.deepEqual(epochs.map((r) => r.epoch), Array.from({ length: 300 }, (_, k) => k + 1), 'one progress event per epoch, in order');
  assert.ok(epochs.every((r) => Number.isFinite(r.loss) && !r.diverged));
  const first = epochs[0].loss;
  const last = epochs.at(-1).loss;
  assert.ok(last < 0.5 * first, `loss fell: ${first} -> ${last}`);
  assert.equal(await root.getAttribute('data-epoch'), '300');
  const shownLoss = Number(await page.locator('[data-metric="train-loss"]').textContent());
  assert.ok(Math.abs(shownLoss - last) < 1e-4, `shown loss ${shownLoss} is the last epoch's ${last}`);
  assert.deepEqual(longTasks, [], 'no long task over 50 ms while training');

  // The predicted matrix separates the 1s from the 0s: hover two cells and read them.
  const canvas = page.locator('.mfp-panel-predicted canvas');
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await canvas.boundingBox());
  const cell = async (row, col) => {
    await page.mouse.move(box.x + ((col + 0.5) * box.width) / 10, box.y + ((row + 0.5) * box.height) / 10);
    return page.locator('.mfp-panel-predicted .mfp-hover').textContent();
  };
  const one = await cell(2, 4); // user 3, item 5 holds a 1
  const zero = await cell(0, 9); // user 1, item 10 holds a 0
  const pOne = Number(/predicted ([\d.]+)/.exec(one ?? '')?.[1]);
  const pZero = Number(/predicted ([\d.]+)/.exec(zero ?? '')?.[1]);
  assert.match(one ?? '', /User 3, item 5: observed 1/);
  assert.ok(pOne > 0.5 && pZero < 0.5, `p(1-cell) = ${pOne}, p(0-cell) = ${pZero}`);

  await screenshot(page, 'foundation-trained');
  assert.deepEqual(problems, []);
});

test('pause stops asking for epochs, step adds exactly one, reset returns to epoch 0', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#epochs=100000&lr=0.01`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  // Before any training there is nothing to pause or resume: the toggle reads Pause, disabled.
  const toggle = page.locator('.mfp-pause');
  const toggleState = async () => `${await toggle.textContent()} ${(await toggle.isDisabled()) ? 'disabled' : 'enabled'}`;
  assert.equal(await toggleState(), 'Pause disabled');
  await page.click('.mfp-train');
  await page.waitForFunction(() => Number(/** @type {HTMLElement} */ (document.querySelector('.mfp')).dataset.epoch) > 20);
  assert.equal(await toggleState(), 'Pause enabled');
  await page.click('.mfp-pause');
  await page.waitForSelector('.mfp[data-status="idle"]');
  assert.equal(await toggleState(), 'Resume enabled');
  const paused = Number(await page.locator('.mfp').getAttribute('data-epoch'));
  await page.waitForTimeout(300);
  assert.equal(Number(await page.locator('.mfp').getAttribute('data-epoch')), paused, 'nothing trains while paused');
  await page.click('.mfp-step');
  await page.waitForSelector(`.mfp[data-epoch="${paused + 1}"]`);
  await page.click('.mfp-reset');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.equal(await page.locator('[data-metric="train-loss"]').textContent(), '–');
  assert.equal(await toggleState(), 'Pause disabled');
  assert.deepEqual(problems, []);
});

test('an out-of-range knob is refused with a message and the model is kept', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-epoch="1"]');
  const lr = page.locator('.mfp-knobs input[name="learningRate"]');
  await lr.fill('-3');
  await lr.blur();
  await page.waitForSelector('.mfp-error:not([hidden])');
  assert.match(await page.locator('.mfp-error').textContent(), /Learning rate must be between/);
  assert.equal(await lr.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '1', 'the model was kept');
  assert.ok(await page.locator('.mfp-train').isDisabled());
  await lr.fill('0.05');
  await lr.blur();
  await page.waitForSelector('.mfp-error[hidden]', { state: 'attached' });
  assert.deepEqual(problems, []);
});

test('a huge learning rate shows divergence instead of NaNs', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#loss=squared&lr=9&k=8`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-diverged="true"][data-status="idle"]');
  assert.match(await page.locator('.mfp-error').textContent(), /diverged at epoch \d+/);
  assert.equal(await page.locator('[data-metric="train-loss"]').textContent(), 'not a number');
  // No NaN reaches a table, a hover read-out or a chart label.
  await page.waitForTimeout(300);
  const text = await page.locator('.mfp').innerText();
  assert.doesNotMatch(text, /NaN|Infinity/);
  const box = await page.locator('.mfp-panel-predicted canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  assert.doesNotMatch(await page.locator('.mfp-panel-predicted').innerText(), /NaN|Infinity/);
  // The model can be reset, and a sane learning rate then trains.
  await page.locator('.mfp-knobs input[name="learningRate"]').fill('0.01');
  await page.locator('.mfp-knobs input[name="learningRate"]').blur();
  await page.click('.mfp-reset');
  await page.waitForSelector('.mfp[data-diverged="false"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.ok(await page.locator('.mfp-error').isHidden());
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-diverged="false"][data-status="idle"][data-epoch="1"]');
  assert.match(await page.locator('[data-metric="train-loss"]').textContent(), /^\d+\.\d+$/);
  assert.deepEqual(problems, []);
});

test('first interactive render: no task over 50 ms before the page is ready (the 1 s target is shown by bench/run.sh first_render)', async (t) => {
  // Main-thread tasks from navigation to interactive, on the article's example and on
  // MovieTweetings, three cold loads each: none over 50 ms. The widget mounts in a task of its
  // own, canvases take their size from their ResizeObserver (a frame never forces the layout),
  // and panels off screen are not laid out (content-visibility): measured with the CPU slowed
  // three times, the first frame's layout went from 60-80 ms to 46-50 and no frame forces it;
  // thirty quiet loads had no task over 50 ms. A busy machine can still stretch one load's
  // task past 50 ms (another process took the core), so one load in three may have one, and
  // none may reach 100 ms (the one-task mount of 54-116 ms that main.js once had).
  for (const hash of ['', '#data=movietweetings']) {
    const loads = [];
    for (let r = 0; r < 3; r++) loads.push(await measureFirstRender(env.browser.ctx, `${env.server.url}${hash}`));
    t.diagnostic(`${hash || 'default'}: tasks over 50 ms per load ${loads.map((l) => l.longTasks.map((x) => x.duration).join('+') || 'none').join(', ')}`);
    const slow = loads.filter((l) => l.longTasks.length > 0);
    assert.ok(slow.length <= 1, `${slow.length} of 3 loads had a task over 50 ms before interactive: ${JSON.stringify(slow.map((l) => l.longTasks))}`);
    const worst = Math.max(0, ...loads.flatMap((l) => l.longTasks.map((x) => x.duration)));
    assert.ok(worst < 100, `a task of ${worst} ms before interactive: ${JSON.stringify(loads.map((l) => l.longTasks))}`);
  }
  const m = await measureFirstRender(env.browser.ctx, env.server.url);
  t.diagnostic(`first interactive render ${m.interactive.toFixed(0)} ms, first contentful paint ${m.fcp.toFixed(0)} ms, ${(m.bytes / 1024).toFixed(0)} KiB transferred`);
  assert.ok(Number.isFinite(m.fcp) && Number.isFinite(m.interactive), JSON.stringify(m));
  assert.ok(m.fcp <= m.interactive, 'content is painted before the page is ready to use');
  // Everything came over the wire with the cache off: at least the wasm engine (compressed or not).
  assert.ok(m.bytes > 200 * 1024, `${m.bytes} bytes`);
});
