// The classroom: every lesson walked through as a learner does it, until the page's own check
// passes; a teacher's hidden and locked knobs and challenge; presenter mode and its shortcuts;
// an automated accessibility check (axe-core) with no serious or critical violation.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function lesson(n) {
  const opened = await openPage(env.browser.ctx, `${env.server.url}#lesson=${n}`);
  await opened.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.match(await opened.page.locator('.mfp-lesson-title').textContent(), new RegExp(`^Lesson ${n} of 15: `));
  assert.equal(await opened.page.locator('.mfp-lesson').getAttribute('data-check'), 'open');
  return opened;
}
/** Waits for the lesson's check to pass, then keeps a screenshot of the lesson as it stands. */
async function passed(page) {
  await page.waitForSelector('.mfp-lesson[data-check="passed"]', { timeout: 90_000 });
  const n = /^Lesson (\d+)/.exec(await page.locator('.mfp-lesson-title').textContent() ?? '')?.[1];
  await page.waitForTimeout(500); // the panels' last refresh after the step that passed
  await screenshot(page, `lesson-${n}`);
}
async function train(page, epochs) {
  await page.click('.mfp-train');
  await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${epochs}"]`, { timeout: 60_000 });
}

test('every lesson, walked through until its check passes', async () => {
  // 1. Click an unknown cell after training.
  let { page, problems } = await lesson(1);
  await train(page, 40);
  const canvas = page.locator('.mfp-panel-observed canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  let clicked = false;
  for (let r = 0; r < 60 && !clicked; r++) {
    for (let c = 0; c < 40 && !clicked; c += 3) {
      const [x, y] = [box.x + ((c + 0.5) * box.width) / 40, box.y + ((r + 0.5) * box.height) / 60];
      await page.mouse.move(x, y);
      if (/observed unknown/.test(await page.locator('.mfp-panel-observed .mfp-hover').textContent())) {
        await page.mouse.click(x, y);
        clicked = true;
      }
    }
  }
  assert.ok(clicked);
  await passed(page);
  const all = [...problems];
  await page.close();

  // 2. k = 2, 60 epochs.
  ({ page, problems } = await lesson(2));
  await train(page, 60);
  await passed(page);
  all.push(...problems);
  await page.close();

  // 3. Without biases, then with.
  ({ page, problems } = await lesson(3));
  await train(page, 40);
  await page.check('.mfp-knobs input[name="biases"]');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await train(page, 40);
  await passed(page);
  all.push(...problems);
  await page.close();

  // 4. The race.
  ({ page, problems } = await lesson(4));
  await page.click('.mfp-race-start');
  await passed(page);
  all.push(...problems);
  await page.close();

  // 5. Over-fitting with λ = 0 (the test error turns up, visibly), then λ = 0.1.
  ({ page, problems } = await lesson(5));
  await train(page, 60);
  // The training chart says in words where the curves went: the test error ends above where it
  // started (not merely flat), and the check waits for λ > 0.
  const curves = await page.locator('.mfp-panel-loss canvas').first().getAttribute('aria-label') ?? '';
  const m = /test RMSE (\d+\.\d+) to (\d+\.\d+)/.exec(curves);
  assert.ok(m && Number(m[2]) > 1.1 * Number(m[1]), `the test error turns up visibly: ${curves}`);
  assert.equal(await page.locator('.mfp-lesson').getAttribute('data-check'), 'open');
  await page.locator('.mfp-knobs input[name="reg"]').fill('0.1');
  await page.locator('.mfp-knobs input[name="reg"]').blur();
  await train(page, 60);
  await passed(page);
  all.push(...problems);
  await page.close();

  // 6. k = 5 in the evaluation panel.
  ({ page, problems } = await lesson(6));
  await train(page, 40);
  await page.fill('.mfp-eval-k', '5');
  await page.locator('.mfp-eval-k').blur();
  await passed(page);
  all.push(...problems);
  await page.close();

  // 7. The sweep, then a point of the size front.
  ({ page, problems } = await lesson(7));
  await page.fill('.mfp-sweep-factors', '1, 4, 16');
  await page.click('.mfp-sweep-run');
  await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 60_000 });
  await page.click('.mfp-sweep-table tr[data-front="yes"] .mfp-sweep-load');
  await passed(page);
  all.push(...problems);
  await page.close();

  // 8. The lab.
  ({ page, problems } = await lesson(8));
  await page.fill('.mfp-lab-rounds', '30');
  await page.click('.mfp-lab-run');
  await passed(page);
  all.push(...problems);
  await page.close();

  // 9. An A/B test, then the A/A tests.
  ({ page, problems } = await lesson(9));
  await page.fill('.mfp-lab-rounds', '30');
  await page.click('.mfp-lab-ab-run');
  await page.waitForSelector('.mfp-lab[data-ab="done"]', { timeout: 60_000 });
  await page.click('.mfp-lab-aa');
  await passed(page);
  all.push(...problems);
  await page.close();

  // 10. Without normalisation, then with each user's mean; the explanation starts from it.
  ({ page, problems } = await lesson(10));
  assert.equal(await page.locator('.mfp-knobs select[name="normalization"]').inputValue(), 'none');
  await train(page, 40);
  const plain = Number(await page.locator('dd[data-metric="test-rmse"]').textContent());
  await page.selectOption('.mfp-knobs select[name="normalization"]', 'user-mean');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.match(await page.evaluate(() => location.hash), /norm=user-mean/);
  await train(page, 40);
  await passed(page);
  const normalised = Number(await page.locator('dd[data-metric="test-rmse"]').textContent());
  assert.ok(Number.isFinite(plain) && Number.isFinite(normalised) && plain !== normalised, `${plain} ${normalised}`);
  const cell = page.locator('.mfp-panel-predicted canvas');
  await cell.scrollIntoViewIfNeeded();
  const cb = await cell.boundingBox();
  await page.mouse.click(cb.x + cb.width * 0.3, cb.y + cb.height * 0.3);
  await page.waitForSelector('.mfp-bar-row[data-term="offset"]');
  // The bars add up to the prediction (before clipping) in the data's units.
  const sum = await page.$$eval('.mfp-bar-row[data-term]:not([data-term="score"])', (rows) => rows.reduce((s, r) => s + Number(r.dataset.value), 0));
  const offset = Number(await page.locator('.mfp-bar-row[data-term="offset"]').getAttribute('data-value'));
  assert.ok(offset >= 1 && offset <= 10, `the offset is a user's mean on the 1-10 scale: ${offset}`);
  assert.match(await page.locator('.mfp-explain .mfp-formula').textContent(), /offset \+ spread × score/);
  assert.ok(Number.isFinite(sum));
  await screenshot(page, 'lesson-10-explained');
  all.push(...problems);
  await page.close();

  // 11. Add yourself.
  ({ page, problems } = await lesson(11));
  await train(page, 30);
  const selects = page.locator('.mfp-add-row select');
  for (let k = 0; k < 3; k++) await selects.nth(k).selectOption({ index: 8 - k });
  await page.click('.mfp-add-go');
  await passed(page);
  // Next and previous move between lessons, each with its own link.
  await page.click('.mfp-lesson-prev');
  await page.waitForFunction(() => /^Lesson 10 of 15/.test(document.querySelector('.mfp-lesson-title')?.textContent ?? ''));
  assert.match(await page.evaluate(() => location.hash), /lesson=10/);
  all.push(...problems);
  await page.close();

  // 12. Is a bigger model worth it? MF, then NeuMF, then the sweep with both.
  ({ page, problems } = await lesson(12));
  await train(page, 30);
  await page.locator('.mfp-knobs [name="family"]').selectOption('neumf');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  assert.equal(await page.locator('.mfp-knobs [name="layers"]').inputValue(), '64,32,16,8');
  await train(page, 30);
  assert.equal(await page.locator('.mfp-lesson').getAttribute('data-check'), 'open');
  await page.check('.mfp-sweep-families [value="mf"]');
  await page.check('.mfp-sweep-families [value="neumf"]');
  await page.fill('.mfp-sweep-towers', '16,8');
  await page.fill('.mfp-sweep-factors', '4, 16');
  await page.fill('.mfp-sweep-regs', '0.05');
  await page.fill('.mfp-sweep-epochs', '10');
  await page.click('.mfp-sweep-run');
  await passed(page);
  const models = await page.locator('.mfp-sweep-table tbody tr td:first-child').allTextContents();
  assert.deepEqual(models, ['Matrix factorisation', 'Matrix factorisation', 'NeuMF 16,8', 'NeuMF 16,8']);
  all.push(...problems);
  await page.close();

  // 13. The article's own model on its random matrix: GMF with its settings, AUC near 0.5.
  ({ page, problems } = await lesson(13));
  await page.locator('.mfp-knobs [name="family"]').selectOption('gmf');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  for (const [name, value] of [['nFactors', '5'], ['batchSize', '32'], ['negatives', '0'], ['learningRate', '0.001']]) {
    const input = page.locator(`.mfp-knobs [name="${name}"]`);
    await input.fill(value);
    await input.dispatchEvent('change');
  }
  await train(page, 10);
  await passed(page);
  const auc = Number(await page.locator('[data-metric="eval-auc"]').textContent());
  assert.ok(auc > 0.4 && auc < 0.6, `AUC ${auc}`);
  assert.match(await page.locator('.mfp-lesson-text').textContent(), /5 × 5 outer product/);
  all.push(...problems);
  await page.close();

  // 14. New items: MF on a test part of new films, then the hybrid with the genres, which wins.
  ({ page, problems } = await lesson(14));
  assert.equal(await page.locator('.mfp-knobs [name="split"]').inputValue(), 'coldItems');
  await train(page, 30);
  assert.equal(await page.locator('.mfp-lesson').getAttribute('data-check'), 'open');
  const hybrid = await page.locator('.mfp-knobs [name="family"] option').evaluateAll((os) =>
    os.map((o) => /** @type {HTMLOptionElement} */ (o)).find((o) => /features/.test(o.textContent ?? ''))?.value);
  await page.locator('.mfp-knobs [name="family"]').selectOption(/** @type {string} */ (hybrid));
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await train(page, 30);
  await passed(page);
  all.push(...problems);
  await page.close();

  // 15. Is it really better? Two runs, k = 8 and k = 2, compared user by user.
  ({ page, problems } = await lesson(15));
  await page.waitForSelector('.mfp-runs[data-runs]');
  const before = Number(await page.locator('.mfp-runs').getAttribute('data-runs'));
  await train(page, 30);
  await page.waitForFunction((n) => Number(document.querySelector('.mfp-runs')?.getAttribute('data-runs')) >= n + 1, before);
  const k = page.locator('.mfp-knobs input[name="nFactors"]');
  await k.fill('2');
  await k.dispatchEvent('change');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await train(page, 30);
  await page.waitForFunction((n) => Number(document.querySelector('.mfp-runs')?.getAttribute('data-runs')) >= n + 2, before);
  const rows = page.locator('.mfp-runs-table tbody tr');
  const n = await rows.count();
  await rows.nth(n - 2).locator('input[type="checkbox"]').check();
  assert.equal(await page.locator('.mfp-lesson').getAttribute('data-check'), 'open');
  await rows.nth(n - 1).locator('input[type="checkbox"]').check();
  await passed(page);
  assert.match(await page.locator('.mfp-runs-verdict tr[data-metric="ndcg@10"]').textContent(), /^NDCG@10\d+/);
  all.push(...problems);
  await page.close();
  assert.deepEqual(all, []);
});

test('a lesson in Chinese', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#lesson=2&lang=zh`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.match(await page.locator('.mfp-lesson-title').textContent(), /^第 2 课，共 15 课：用 k = 2 做分解：嵌入图$/);
  assert.match(await page.locator('.mfp-lesson-task').textContent(), /^试一试：/);
  await screenshot(page, 'lesson-zh');
  assert.deepEqual(problems, []);
  await page.close();
});

test('teacher mode: hidden and locked knobs, and a challenge the page checks and celebrates', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&test=0.2&k=4&hide=seed,init,batch&lock=k&challenge=test-rmse:0.9&maxk=4`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  for (const name of ['seed', 'initStd', 'batchSize']) assert.equal(await page.locator(`.mfp-knobs input[name="${name}"]`).isVisible(), false, name);
  assert.equal(await page.locator('.mfp-knobs input[name="nFactors"]').isDisabled(), true);
  assert.equal(await page.locator('.mfp-knobs input[name="learningRate"]').isDisabled(), false);
  assert.equal(await page.locator('.mfp-challenge').textContent(), 'Challenge: test RMSE below 0.9 with at most 4 factors.');
  await train(page, 60);
  await page.waitForSelector('.mfp[data-challenge="met"]');
  assert.match(await page.locator('.mfp-challenge').textContent(), /Met at epoch 60: test RMSE 0\.\d{4} with k = 4\. Well done!/);
  await screenshot(page, 'teacher-challenge');
  assert.deepEqual(problems, []);
  await page.close();
});

test('presenter mode: large type, high contrast, keyboard shortcuts and their help', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#present=1&epochs=30`);
  await page.waitForSelector('.mfp.mfp-present[data-status="idle"][data-loading="false"][data-epoch="0"]');
  assert.equal(await page.locator('.mfp').evaluate((el) => getComputedStyle(el).fontSize), '20px');
  await page.keyboard.press('Space');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="30"]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.mfp[data-epoch="31"]');
  await page.keyboard.press('r');
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.keyboard.press('?');
  assert.equal(await page.locator('.mfp-help').isVisible(), true);
  assert.match(await page.locator('.mfp-help').textContent(), /Space.*train, pause or resume/);
  await screenshot(page, 'presenter-help');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.mfp-help').isVisible(), false);
  // Typing in a knob is typing, not a shortcut.
  await page.locator('.mfp-knobs input[name="nEpochs"]').focus();
  await page.keyboard.press('r');
  assert.equal(await page.locator('.mfp').getAttribute('data-epoch'), '0');
  await page.locator('.mfp-knobs input[name="nEpochs"]').blur();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.mfp[data-epoch="1"]');
  await screenshot(page, 'presenter');
  assert.deepEqual(problems, []);
  await page.close();
});

test('axe-core finds no serious or critical accessibility violation', async () => {
  for (const hash of ['#data=synthetic&test=0.2&epochs=10', '#lesson=5&present=1', '#data=movietweetings&lang=zh&epochs=5']) {
    const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}${hash}`);
    await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
    await page.click('.mfp-train');
    await page.waitForSelector('.mfp[data-status="idle"]:not([data-epoch="0"])');
    await page.waitForTimeout(600);
    await page.evaluate(AXE);
    const bad = await page.evaluate(async () => {
      const r = await /** @type {any} */ (window).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(bad, [], hash);
    assert.deepEqual(problems, []);
    await page.close();
  }
});
