// The exploration lab as a user meets it: run the policies, read the curves' numbers (the same
// as `mfp simulate` gives for the same settings), pause and step, an A/B test with its interval,
// the A/A peeking experiment, and the trained model as the world.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, openPage, screenshot, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

async function openLab(hash = '#panels=lab') {
  const opened = await openPage(env.browser.ctx, `${env.server.url}${hash}`);
  await opened.page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  await opened.page.locator('.mfp-panel-lab').scrollIntoViewIfNeeded();
  return opened;
}

/** The command line's final figures for the same settings, by policy. */
function simulate(args) {
  const bin = join(ROOT, 'target', 'debug', 'mfp');
  const out = execFileSync(bin, ['simulate', '--json', ...args], { encoding: 'utf8' });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const last = Math.max(...lines.map((l) => l.round ?? 0));
  return Object.fromEntries(lines.filter((l) => l.round === last && l.name).map((l) => [l.name, l]));
}

test('the policies run to the end, and their numbers are the engine\'s own', async () => {
  const { page, problems } = await openLab();
  await page.fill('.mfp-lab-rounds', '40');
  await page.click('.mfp-lab-run');
  await page.waitForSelector('.mfp-lab[data-lab="done"]', { timeout: 60_000 });
  const summary = await page.locator('.mfp-lab-summary').textContent();
  assert.match(summary, /^After 40 rounds\./);
  const cli = simulate(['--rounds', '40']);
  for (const [name, label] of [['greedy', 'Greedy'], ['epsilon-greedy', 'ε-greedy'], ['ucb', 'UCB'], ['thompson', 'Thompson'], ['random', 'Random']]) {
    const m = new RegExp(`${label}: CTR (\\d+\\.\\d+), regret ([0-9,]+), coverage (\\d+)%, Gini (\\d+\\.\\d+)`).exec(summary);
    assert.ok(m, `${label} in ${summary}`);
    assert.equal(m[1], cli[name].ctr.toFixed(3), `${name} CTR`);
    assert.equal(Number(m[2].replace(/,/g, '')), Math.round(cli[name].regret), `${name} regret`);
    assert.equal(Number(m[3]), Math.round(100 * cli[name].coverage), `${name} coverage`);
    assert.equal(m[4], cli[name].gini.toFixed(2), `${name} Gini`);
  }
  // Every chart has drawn and says what it shows in words.
  for (const c of ['ctr', 'regret', 'coverage', 'gini']) {
    assert.match(await page.locator(`.mfp-lab-${c}`).getAttribute('aria-label') ?? '', /after 40 rounds: Greedy/);
  }
  await screenshot(page, 'lab-compare');
  assert.deepEqual(problems, []);
  await page.close();
});

test('pause stops the loop, step adds one round, a changed knob starts again', async () => {
  const { page, problems } = await openLab();
  await page.fill('.mfp-lab-rounds', '3000');
  await page.click('.mfp-lab-run');
  await page.waitForFunction(() => /Round \d+ of 3000/.test(document.querySelector('.mfp-lab-status')?.textContent ?? ''));
  await page.click('.mfp-lab-pause');
  await page.waitForSelector('.mfp-lab[data-lab="paused"]');
  await page.waitForTimeout(300);
  const at = Number(/Round (\d+)/.exec(await page.locator('.mfp-lab-status').textContent())[1]);
  assert.ok(at < 3000);
  await page.waitForTimeout(300);
  assert.match(await page.locator('.mfp-lab-status').textContent(), new RegExp(`Round ${at} of`), 'nothing ran after Pause');
  await page.click('.mfp-lab-step');
  await page.waitForFunction((n) => new RegExp(`Round ${n + 1} of`).test(document.querySelector('.mfp-lab-status')?.textContent ?? ''), at);
  // Keyboard: the epsilon slider moves with the arrow keys and the experiment starts again.
  await page.focus('.mfp-lab-epsilon');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /Settings changed/.test(document.querySelector('.mfp-lab-status')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-lab-epsilon-value').textContent(), '0.11');
  assert.equal(await page.locator('.mfp-lab-summary').textContent(), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an A/B test shows the difference with its interval; A/A tests show what peeking does', async () => {
  const { page, problems } = await openLab();
  await page.fill('.mfp-lab-rounds', '60');
  // A policy comparison first: the A/B test must leave it as it is (it wiped its charts).
  await page.click('.mfp-lab-run');
  await page.waitForSelector('.mfp-lab[data-lab="done"]', { timeout: 60_000 });
  const compared = await page.locator('.mfp-lab-summary').textContent();
  const regretChart = await page.locator('.mfp-lab-regret').getAttribute('aria-label');
  await page.selectOption('.mfp-lab-ab-a', 'random');
  await page.selectOption('.mfp-lab-ab-b', 'ucb');
  await page.click('.mfp-lab-ab-run');
  await page.waitForSelector('.mfp-lab[data-ab="done"]', { timeout: 60_000 });
  assert.equal(await page.locator('.mfp-lab-summary').textContent(), compared, 'the comparison is kept');
  assert.equal(await page.locator('.mfp-lab-regret').getAttribute('aria-label'), regretChart);
  // ... and goes on from where it was.
  await page.click('.mfp-lab-step');
  await page.waitForFunction(() => /Round 61 of/.test(document.querySelector('.mfp-lab-status')?.textContent ?? ''));
  const text = await page.locator('.mfp-lab-ab-text').textContent();
  const m = /Round 60: B − A = ([+−][0-9.]+) \(CTR ([0-9.]+) vs ([0-9.]+)\), 95% interval \[([+−][0-9.]+), ([+−][0-9.]+)\]: (not )?significant/.exec(text);
  assert.ok(m, text);
  const num = (/** @type {string} */ s) => Number(s.replace('−', '-'));
  assert.ok(num(m[4]) <= num(m[1]) && num(m[1]) <= num(m[5]));
  // The command line agrees, interval and all.
  const out = execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['simulate', '--ab', 'random,ucb', '--rounds', '60', '--json'], { encoding: 'utf8' });
  const iv = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.interval).at(-1).interval;
  assert.equal(num(m[1]).toFixed(3), iv.diff.toFixed(3));
  assert.equal(num(m[4]).toFixed(3), iv.low.toFixed(3));
  // Against random, UCB wins clearly.
  assert.ok(iv.low > 0, 'UCB beats random');
  assert.equal(m[6], undefined);

  await page.fill('.mfp-lab-rounds', '100');
  await page.click('.mfp-lab-aa');
  await page.waitForSelector('.mfp-lab[data-aa="done"]', { timeout: 60_000 });
  const aa = await page.locator('.mfp-lab-aa-text').textContent();
  const pm = /waiting for the planned end, (\d+)% declare a difference .* stopping at the first significant look, (\d+)% do/.exec(aa);
  assert.ok(pm, aa);
  assert.ok(Number(pm[1]) <= 12 && Number(pm[2]) > 2 * Number(pm[1]), aa);
  await screenshot(page, 'lab-ab');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the trained model can be the world, once there is one', async () => {
  const { page, problems } = await openLab('#data=movietweetings&epochs=10&panels=lab,loss');
  await page.selectOption('.mfp-lab-world', 'model');
  await page.fill('.mfp-lab-rounds', '10');
  await page.click('.mfp-lab-run');
  await page.waitForFunction(() => /train a model first/.test(document.querySelector('.mfp-lab-status')?.textContent ?? ''));
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="10"]', { timeout: 30_000 });
  await page.click('.mfp-lab-run');
  await page.waitForSelector('.mfp-lab[data-lab="done"]', { timeout: 60_000 });
  assert.match(await page.locator('.mfp-lab-summary').textContent(), /^After 10 rounds\. Greedy: CTR/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('off-policy estimates from many logs, beside the true CTR, are the engine\'s own', async () => {
  const { page, problems } = await openLab();
  await page.selectOption('.mfp-ope-logging', 'uniform');
  await page.selectOption('.mfp-ope-target', 'greedy');
  await page.fill('.mfp-ope-impressions', '2000');
  await page.fill('.mfp-ope-logs', '30');
  await page.click('.mfp-ope-run');
  await page.waitForSelector('.mfp-ope[data-ope="done"]', { timeout: 60_000 });
  const bin = join(ROOT, 'target', 'debug', 'mfp');
  const cli = JSON.parse(execFileSync(bin, ['simulate', '--json', '--seed', '7', '--off-policy', 'uniform,greedy', '--impressions', '2000', '--logs', '30'], { encoding: 'utf8' }));
  const verdict = await page.locator('.mfp-ope-verdict').textContent();
  assert.ok(verdict.includes(`true CTR is ${cli.trueCtr.toFixed(3)}`), verdict);
  assert.ok(verdict.includes(`up to ${Math.round(cli.maxWeight)} times`), verdict);
  for (const e of cli.estimators) {
    const cells = await page.locator(`.mfp-ope-table tr[data-estimator="${e.name}"] td`).allTextContents();
    assert.equal(cells[0], e.mean.toFixed(3), `${e.name} mean`);
    assert.equal(cells[3], e.rmse.toFixed(3), `${e.name} RMSE`);
  }
  // Uniform logs and a greedy target: weights of up to 200, IPS swings far more than the naive
  // CTR, which is steady and wrong.
  const by = Object.fromEntries(cli.estimators.map((/** @type {any} */ e) => [e.name, e]));
  assert.ok(by.ips.spread > 5 * by.naive.spread && Math.abs(by.naive.bias) > 3 * by.naive.spread, JSON.stringify(cli));
  // A log that never explores is refused, saying what to do.
  await page.selectOption('.mfp-ope-logging', 'greedy');
  await page.selectOption('.mfp-ope-target', 'uniform');
  await page.click('.mfp-ope-run');
  await page.waitForFunction(() => /give the logging policy some exploration/.test(document.querySelector('.mfp-ope-status')?.textContent ?? ''));
  await screenshot(page, 'lab-off-policy');
  assert.deepEqual(problems, []);
});
