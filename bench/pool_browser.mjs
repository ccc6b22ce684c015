// The page's pool of workers (www/pool.js) against one worker: the wall time of the balance
// sweep and of cross-validation on 200,000 generated ratings (2,000 x 1,000, a tenth known; k =
// 32, 40 epochs for the folds), the page served without the COOP/COEP headers
// (one thread per engine, so the pool shares the points and folds out). "One worker" is the same
// page told it has one core. Rounds interleave the two; the ratio is the median of the rounds'.
//
//   bench/run.sh pool_browser [--rounds 5]

import { parseArgs } from 'node:util';
import { ROOT, launch, openPage, startServer } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const server = await startServer(ROOT, '/', { isolated: false });
const browser = await launch();

/** Seconds the page takes for the sweep and for 5-fold cross-validation. @param {boolean} one */
async function measure(one) {
  if (one) await browser.ctx.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { value: 1 }));
  const { page } = await openPage(browser.ctx, `${server.url}#data=synthetic&su=2000&si=1000&sd=0.1&k=32&epochs=40&lr=0.01&test=0.2&panels=balance,evaluation`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 60_000 });
  await page.fill('.mfp-sweep-factors', '8, 32, 128');
  await page.fill('.mfp-sweep-regs', '0.02, 0.1');
  await page.fill('.mfp-sweep-epochs', '40');
  let t0 = Date.now();
  await page.click('.mfp-sweep-run');
  await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 300_000 });
  const sweep = (Date.now() - t0) / 1000;
  const workers = await page.locator('.mfp-sweep').getAttribute('data-workers');
  const cvWorkers = () => page.locator('.mfp-cv').getAttribute('data-workers');
  await page.fill('.mfp-cv-folds', '5');
  t0 = Date.now();
  await page.click('.mfp-cv-run');
  await page.waitForSelector('.mfp-cv[data-cv="done"]', { timeout: 300_000 });
  const cv = (Date.now() - t0) / 1000;
  const folded = await cvWorkers();
  await page.close();
  return { sweep, cv, workers, folded };
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = { sweep: /** @type {number[]} */ ([]), cv: /** @type {number[]} */ ([]) };
let workers = '';
try {
  for (let r = 0; r < rounds; r++) {
    const pool = await measure(false);
    // A fresh context for the page that believes it has one core.
    const saved = browser.ctx;
    const single = await launch();
    browser.ctx = single.ctx;
    const one = await measure(true);
    browser.ctx = saved;
    await single.close();
    workers = pool.workers ?? '';
    ratios.sweep.push(one.sweep / pool.sweep);
    ratios.cv.push(one.cv / pool.cv);
    console.log(`round ${r + 1}: sweep ${pool.sweep.toFixed(2)} s on ${pool.workers} workers, ${one.sweep.toFixed(2)} s on one; cross-validation ${pool.cv.toFixed(2)} s on ${pool.folded}, ${one.cv.toFixed(2)} s on one`);
  }
} finally {
  await browser.close();
  server.stop();
}
console.log(`pool of ${workers} workers against one: sweep ${median(ratios.sweep).toFixed(2)}x faster (rounds ${Math.min(...ratios.sweep).toFixed(2)}-${Math.max(...ratios.sweep).toFixed(2)}x), cross-validation ${median(ratios.cv).toFixed(2)}x (rounds ${Math.min(...ratios.cv).toFixed(2)}-${Math.max(...ratios.cv).toFixed(2)}x)`);
