// Threads in the page: the same link trained in headless Chromium served cross-origin isolated
// (the threaded package, as many threads as cores) and served without the headers (one thread),
// rounds interleaved. Timed: the epochs' own update time as the engine reports it (`millis` of
// each epoch). Prints each side's rating updates per second and the ratio, the median of the
// rounds' own, and checks both reach the same test RMSE.
//
//   bench/run.sh threads_browser [--rounds 5] [--algo sgd|als] [--factors 100] [--epochs 20] [--panels loss]

import { parseArgs } from 'node:util';
import { ROOT, launch, openPage, startServer } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    algo: { type: 'string', default: 'sgd' },
    factors: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '20' },
    // The panels shown while training: the loss chart by default; "none" (no panel, no chart)
    // leaves the page's main thread almost nothing to draw, to see what it costs the threads.
    panels: { type: 'string', default: 'loss' },
  },
});
const epochs = Number(values.epochs);
// 2,000 x 2,000 generated, a quarter known: 1,000,000 ratings, a tenth held out.
const hash = `#data=synthetic&su=2000&si=2000&sd=0.25&algo=${values.algo}&k=${values.factors}&lr=0.005&reg=0.02&test=0.1&epochs=${epochs}&panels=${values.panels}`;
const isolated = await startServer();
const plain = await startServer(ROOT, '/', { isolated: false });
const browser = await launch();

/** Trains the link on `base`: threads, milliseconds of updates, ratings, the last test RMSE. */
async function measure(/** @type {string} */ base) {
  const { page } = await openPage(browser.ctx, `${base}${hash}`);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__epochs = [];
    // The widget's events do not bubble: a listener in the capture phase sees them all.
    document.addEventListener('mfp:epoch', (e) => w.__epochs.push(/** @type {CustomEvent} */ (e).detail), true);
  });
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]', { timeout: 120_000 });
  await page.click('.mfp-train');
  await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${epochs}"]`, { timeout: 600_000 });
  const out = await page.evaluate(() => {
    const reports = /** @type {any} */ (window).__epochs;
    return { millis: reports.reduce((s, r) => s + r.millis, 0), testRmse: reports.at(-1).testRmse };
  });
  const threads = Number(await page.locator('[data-metric="threads"]').textContent());
  const status = (await page.locator('.mfp-status').textContent()) ?? '';
  const ratings = Number(/([\d,]+) ratings/.exec(status)?.[1].replace(/,/g, '') ?? 0);
  await page.close();
  return { ...out, threads, ratings };
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = [];
/** @type {any[]} */
const last = [];
try {
  for (let r = 0; r < values.rounds; r++) {
    const many = await measure(isolated.url);
    const one = await measure(plain.url);
    if (many.testRmse !== one.testRmse) throw new Error(`different numbers: ${many.testRmse} on ${many.threads} threads, ${one.testRmse} on one`);
    ratios.push(one.millis / many.millis);
    last.splice(0, 2, many, one);
    console.log(`round ${r + 1}: ${many.threads} threads ${(many.millis / 1000).toFixed(2)} s, one thread ${(one.millis / 1000).toFixed(2)} s`);
  }
} finally {
  await browser.close();
  isolated.stop();
  plain.stop();
}
const [many, one] = last;
const updates = Math.round(many.ratings * 0.9) * epochs;
console.log(`${values.algo}, k = ${values.factors}, ${epochs} epochs on ${many.ratings.toLocaleString('en')} ratings (90% trained), test RMSE ${many.testRmse.toFixed(4)} both ways`);
console.log(`${many.threads} threads: ${Math.round(updates / (many.millis / 1000)).toLocaleString('en')} updates/s; one thread: ${Math.round(updates / (one.millis / 1000)).toLocaleString('en')}; ${median(ratios).toFixed(2)}x (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x)`);
