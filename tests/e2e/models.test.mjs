// Bigger models in the page: the model menu comes from the engine, a neural family (GMF, MLP,
// NeuMF) takes its defaults, trains in the worker, explains its predictions by its own parts,
// races beside MF, travels in a link, and a bad tower is a clear error that keeps the data.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, metric, openPage, ready, screenshot, trainTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

/** The engine's description, as the command line prints it. */
function describe() {
  return JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'mfp'), ['algorithms', '--json'], { encoding: 'utf8' }));
}

/** The values of a select's options. @param {import('playwright-core').Page} page @param {string} name */
async function options(page, name) {
  return page.locator(`.mfp-knobs select[name="${name}"] option`).evaluateAll((els) => els.map((e) => [/** @type {HTMLOptionElement} */ (e).value, e.textContent]));
}

test('the model menu is the engine\'s; a network takes its defaults, trains and explains itself', async () => {
  const d = describe();
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=seed-10x10&epochs=60`);
  await ready(page);
  assert.deepEqual(await options(page, 'family'), d.families.map((f) => [f.name, f.label]));
  const knob = (/** @type {string} */ name) => page.locator(`.mfp-knobs [name="${name}"]`);
  // MF: every optimiser, biases, no tower.
  assert.deepEqual((await options(page, 'algorithm')).map(([v]) => v), d.algorithms.map((a) => a.name));
  assert.equal(await knob('layers').isEnabled(), false);
  assert.equal(await knob('biases').isEnabled(), true);
  const neumf = d.families.find((f) => f.uses.includes('layers') && f.uses.includes('negatives') && f.name === 'neumf');
  await knob('family').selectOption('neumf');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  // Its defaults, its optimisers, its knobs.
  assert.equal(await knob('nFactors').inputValue(), String(neumf.defaults.nFactors));
  assert.equal(await knob('learningRate').inputValue(), String(neumf.defaults.learningRate));
  assert.equal(await knob('layers').inputValue(), neumf.defaults.layers);
  assert.deepEqual((await options(page, 'algorithm')).map(([v]) => v).sort(), [...neumf.optimizers].sort());
  assert.equal(await knob('layers').isEnabled(), true);
  assert.equal(await knob('biases').isEnabled(), false);
  assert.equal(await knob('batchSize').isEnabled(), true);
  // Trains in the worker like MF, with a falling loss, at the rate the link set.
  await knob('learningRate').fill('0.01');
  await knob('learningRate').dispatchEvent('change');
  await trainTo(page, 60);
  const history = await page.evaluate(() => document.querySelector('.mfp-chart-tools') !== null);
  assert.ok(history);
  assert.ok(Number(await metric(page, 'train-loss')) < 0.69, `loss ${await metric(page, 'train-loss')}`);
  // The explanation: the output bias, the GMF factors' parts and the tower's, adding up.
  const box = await page.locator('.mfp-panel-predicted canvas').boundingBox();
  await page.mouse.click(box.x + (4.5 * box.width) / 10, box.y + (2.5 * box.height) / 10);
  await page.waitForSelector('.mfp-bars [data-term="tower"]');
  const terms = await page.locator('.mfp-bars [data-term]').evaluateAll((rows) =>
    rows.map((r) => ({ term: r.getAttribute('data-term'), value: Number(r.getAttribute('data-value')) })));
  assert.equal(terms[0].term, 'bias');
  assert.ok(terms.some((t) => t.term.startsWith('factor-')));
  const score = terms.find((t) => t.term === 'score').value;
  const sum = terms.filter((t) => t.term !== 'score').reduce((s, t) => s + t.value, 0);
  assert.ok(Math.abs(sum - score) < 1e-4, `${sum} vs ${score}`);
  assert.match(await page.locator('.mfp-formula').textContent(), /^s = b .* \+ h·\(p_u ⊙ q_i\) .* \+ tower .*gradient × input: user embedding/);
  await screenshot(page, 'neumf-trained');
  // Add yourself: the network places a new user with its items and layers held fixed.
  const adds = page.locator('.mfp-add-row select');
  for (let k = 0; k < 2; k++) await adds.nth(k).selectOption('1');
  await page.click('.mfp-add-go');
  await page.waitForSelector('.mfp-add-list[data-added="5"]');
  assert.match(await page.locator('.mfp-add-msg').textContent() ?? '', /^From your 2 ratings:/);
  // The map shows either of NeuMF's embedding tables: GMF's first, the MLP's on request.
  const tables = page.locator('.mfp-embed-table');
  await page.waitForSelector('.mfp-embeddings[data-table="gmf"]');
  assert.equal(await tables.isVisible(), true);
  assert.deepEqual(await tables.locator('option').evaluateAll((os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value)), ['gmf', 'mlp']);
  await tables.selectOption('mlp');
  await page.waitForSelector('.mfp-embeddings[data-table="mlp"]');
  // The link carries the family and the tower; opened again, it gives the same numbers.
  const loss = await metric(page, 'train-loss');
  await page.click('.mfp-share');
  const url = await page.locator('.mfp').getAttribute('data-share-url');
  assert.match(url, /family=neumf/);
  const again = await openPage(env.browser.ctx, url);
  await ready(again.page);
  assert.equal(await again.page.locator('.mfp-knobs [name="family"]').inputValue(), 'neumf');
  await trainTo(again.page, 60);
  assert.equal(await metric(again.page, 'train-loss'), loss);
  await again.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad tower is a clear error that keeps the data; a mistyped one is refused at once', async () => {
  const { page } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&family=mlp&layers=16,0,8&epochs=3`);
  await page.waitForSelector('.mfp[data-loading="false"]');
  await page.waitForFunction(() => /a layer of size 0 has no units/.test(document.querySelector('.mfp-error')?.textContent ?? ''));
  // The data is still there: a good tower trains on it.
  const layers = page.locator('.mfp-knobs [name="layers"]');
  await layers.fill('16,8');
  await layers.dispatchEvent('change');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="0"]');
  await trainTo(page, 3);
  assert.ok(Number(await metric(page, 'test-rmse')) > 0);
  await layers.fill('16,eight');
  await layers.dispatchEvent('change');
  assert.equal(await layers.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('.mfp-error').textContent(), /write widths separated by commas/);
  assert.equal(await page.locator('.mfp-train').isDisabled(), true);
  await page.close();
});

test('the race runs MF\'s optimisers and the neural families side by side', async () => {
  const d = describe();
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&epochs=4&panels=race`);
  await ready(page);
  await page.click('.mfp-race-start');
  await page.waitForSelector('.mfp-race[data-race="done"]', { timeout: 60_000 });
  const legend = await page.locator('.mfp-race-legend li').allTextContents();
  const racers = [...d.algorithms.filter((a) => a.race), ...d.families.filter((f) => f.race)];
  assert.equal(legend.length, racers.length, legend.join('\n'));
  for (const r of racers) assert.ok(legend.some((l) => l.startsWith(`${r.label}:`)), `${r.label} in ${legend.join('\n')}`);
  await screenshot(page, 'race-with-networks');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a network exported and imported into MF\'s place predicts exactly the same and trains on', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&family=neumf&layers=16,8&k=4&epochs=6&lr=0.01`);
  await ready(page);
  await trainTo(page, 6);
  await page.click('.mfp-io > summary');
  const downloaded = async (/** @type {string} */ selector) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { path: await dl.path(), text: readFileSync(await dl.path(), 'utf8') };
  };
  const model = await downloaded('.mfp-io-model');
  assert.equal(JSON.parse(model.text).format, 'mf-playground-network');
  const before = await downloaded('.mfp-io-predictions');
  // Back to matrix factorisation, trained; then the network's file.
  await page.locator('.mfp-knobs [name="family"]').selectOption('mf');
  await ready(page);
  await trainTo(page, 6);
  assert.notEqual((await downloaded('.mfp-io-predictions')).text, before.text);
  await page.setInputFiles('.mfp-io-import', model.path);
  await page.waitForFunction(() => /Imported/.test(document.querySelector('.mfp-io-status')?.textContent ?? ''));
  assert.equal(await page.locator('.mfp-knobs [name="family"]').inputValue(), 'neumf', 'the knobs follow the model');
  assert.equal(await page.locator('.mfp-knobs [name="layers"]').inputValue(), '16,8');
  assert.equal((await downloaded('.mfp-io-predictions')).text, before.text, 'the same predictions, number for number');
  await page.click('.mfp-step');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="7"]');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a sweep of 0/1 data weighs HR@10 and says so', async () => {
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=synthetic&simp=1&panels=balance`);
  await ready(page);
  await page.fill('.mfp-sweep-factors', '2, 8');
  await page.fill('.mfp-sweep-regs', '0.01');
  await page.fill('.mfp-sweep-epochs', '5');
  await page.click('.mfp-sweep-run');
  await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 60_000 });
  const head = await page.locator('.mfp-sweep-table thead th').allTextContents();
  assert.ok(head.includes('HR@10'), head.join(' | '));
  const hr = await page.locator('.mfp-sweep-table tbody tr').evaluateAll((trs, col) => trs.map((tr) => Number(tr.children[col].textContent)), head.indexOf('HR@10'));
  assert.equal(hr.length, 2);
  assert.ok(hr.every((v) => v >= 0 && v <= 1), hr.join(', '));
  assert.match(await page.locator('.mfp-sweep-size').getAttribute('aria-label') ?? '', /^Test HR@10 against parameters, 2 points/);
  assert.match(await page.locator('.mfp-sweep-hover').textContent() ?? '', /click it to train/);
  assert.deepEqual(problems, []);
  await page.close();
});
