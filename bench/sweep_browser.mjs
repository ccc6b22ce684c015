// How long the default balance sweep (36 points: factors 1-256 x 2 regularisations x 10/30
// epochs) takes on a 10,000-rating synthetic set in headless Chromium, against the same sweep
// by the native engine (`mfp sweep`, release build) on the same file, in the same run.
//
//   bench/run.sh sweep_browser [--ratings 10000] [--repeats 3]
//
// Prints one line per repeat and the median ratio (browser time / native time).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, launch, startServer } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({ options: { ratings: { type: 'string', default: '10000' }, repeats: { type: 'string', default: '3' } } });
const n = Number(values.ratings);
const repeats = Number(values.repeats);
const mfp = join(ROOT, 'target', 'release', 'mfp');
const dir = mkdtempSync(join(tmpdir(), 'mfp-sweep-bench-'));
const file = join(dir, 'ratings.csv');
execFileSync(mfp, ['generate', '--out', file, '--users', '500', '--items', '200', '--ratings', String(n), '--seed', '1']);
// The page's knobs for a file, as flags: the sweep varies factors, regularisation and epochs.
const knobs = ['--lr', '0.01', '--init-std', '0.1', '--seed', '42', '--split', '0.2'];

const server = await startServer();
const browser = await launch();
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = [];
try {
  const page = await browser.ctx.newPage();
  await page.goto(`${server.url}#panels=balance`);
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"]');
  await page.click('.mfp-data > summary');
  await page.setInputFiles('.mfp input[type="file"]', file);
  await page.waitForSelector('.mfp-preview:not([hidden])');
  const stats = await page.locator('.mfp-detected-stats').textContent();
  await page.click('.mfp-load');
  await page.waitForSelector('.mfp[data-dataset="file"][data-status="idle"][data-epoch="0"]');
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    execFileSync(mfp, ['sweep', '--train', file, ...knobs, '--json']);
    const native = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await page.click('.mfp-sweep-run');
    await page.waitForSelector('.mfp-sweep[data-sweep="done"]', { timeout: 600_000 });
    const browserSecs = (performance.now() - t1) / 1000;
    const points = await page.locator('.mfp-sweep-table tbody tr').count();
    ratios.push(browserSecs / native);
    console.log(`repeat ${r + 1}: ${points} points on ${stats?.trim()} Chromium ${browserSecs.toFixed(2)} s, native ${native.toFixed(2)} s, ratio ${(browserSecs / native).toFixed(2)}`);
  }
  console.log(`default sweep, ${n} ratings: median Chromium/native time ratio ${median(ratios).toFixed(2)} over ${repeats} repeats`);
} finally {
  await browser.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
