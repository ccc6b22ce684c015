// Text from a user's file never runs, and the page asks for nothing but its own files.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser({ before, after });

test('ids and titles holding HTML and script are shown as text, never run', async () => {
  const { page, problems } = await openPage(env.browser.ctx, env.server.url);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  const evil = [
    'user,item,rating',
    '"<img src=x onerror=""window.__xss=1"">","<script>window.__xss=2</script>",5',
    '"<img src=x onerror=""window.__xss=1"">",plain,3',
    'bob,"<script>window.__xss=2</script>",4',
    'bob,plain,1',
    'cy,"<b onmouseover=window.__xss=3>bold</b>",2',
    'cy,plain,4',
  ].join('\n');
  await page.click('.mfp-data > summary');
  await page.fill('.mfp-paste', evil);
  await page.click('.mfp-preview-paste');
  await page.waitForSelector('.mfp-preview:not([hidden])');
  assert.match(await page.locator('.mfp-preview-table').textContent(), /<script>window.__xss=2<\/script>/);
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="30"]');
  await page.selectOption('.mfp-rec-user', '1');
  await page.waitForFunction(() => document.querySelectorAll('.mfp-rec-list li').length > 0);
  const shown = await page.locator('.mfp-panel-recommend').textContent();
  assert.match(shown, /<b onmouseover=window.__xss=3>bold<\/b>|<script>window.__xss=2<\/script>/);
  // Hover every cell of the observed matrix: the labels go through textContent too.
  const box = await page.locator('.mfp-panel-observed canvas').boundingBox();
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) await page.mouse.move(box.x + ((c + 0.5) * box.width) / 3, box.y + ((r + 0.5) * box.height) / 3);
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__xss), undefined);
  assert.equal(await page.locator('.mfp script, .mfp img, .mfp b').count(), 0, 'no element came from the data');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page requests only its own files', async () => {
  const requests = [];
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=5`);
  page.on('request', (r) => requests.push(r.url()));
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="5"]');
  await page.reload();
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  const workerRequests = [];
  for (const w of page.workers()) workerRequests.push(w.url());
  const all = [...requests, ...workerRequests];
  // The engine: the threaded package where the page is isolated (tools/serve.py isolates it)
  // and it was built, else the plain one.
  assert.ok(all.some((u) => /\/www\/pkg(-threads)?\/mf_playground_bg\.wasm$/.test(u)), all.join(' '));
  assert.ok(all.some((u) => u.endsWith('/www/data/movietweetings/ratings.dat')));
  const foreign = all.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a strict Content-Security-Policy is set and nothing the page does violates it', async () => {
  const violations = [];
  const { page, problems } = await openPage(env.browser.ctx, `${env.server.url}#data=movietweetings&epochs=5`);
  page.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  const header = (await fetch(env.server.url)).headers.get('content-security-policy') ?? '';
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const policy of [header, meta]) {
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
    assert.match(policy, /default-src 'self'/);
  }
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
  await page.click('.mfp-train');
  await page.waitForSelector('.mfp[data-status="idle"][data-epoch="5"]');
  await page.click('.mfp-race-start');
  await page.waitForSelector('[data-race="done"]', { timeout: 30_000 });
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).__violations), [], 'using the page breaks no rule');
  assert.deepEqual(problems, [], 'no violation was logged while the page loaded either');
  // The policy is in force: an inline script and eval are refused.
  const blocked = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    // The driver's own evaluation may run string code (CDP allows unsafe-eval while it
    // evaluates): leave it first, as the page's own code would be.
    await new Promise((r) => setTimeout(r, 0));
    let evalRan = false;
    try {
      evalRan = new Function('return true')();
    } catch (e) {
      evalRan = /** @type {Error} */ (e).name !== 'EvalError';
    }
    setTimeout('window.__timer = 1', 0);
    await new Promise((r) => setTimeout(r, 100));
    return { inline: /** @type {any} */ (window).__inline, timer: /** @type {any} */ (window).__timer, evalRan };
  });
  assert.deepEqual(blocked, { inline: undefined, timer: undefined, evalRan: false });
  await page.waitForFunction(() => /** @type {any} */ (window).__violations.length >= 2);
  assert.deepEqual(violations.length >= 1, true, 'the refusals are reported');
  assert.deepEqual(problems.filter((p) => !/Content Security Policy|EvalError/.test(p)), []);
  await page.close();
});
