// The same engine compiled to WebAssembly, in Node and in headless Chromium, against the native
// build, on the same data in one run: SGD throughput (rating updates per second) as a ratio of
// native, and the test RMSE each reaches (the same arithmetic, so the same numbers are expected).
//
//   bench/run.sh wasm_native [--ratings 1000000] [--factors 100] [--epochs 20] [--repeats 5]
//                            [--algo sgd | adam | rmsprop | als] [--users 6000 --items 4000]
//
// Native runs twice: with AVX2 (as mfp runs) and limited to 128-bit SIMD (MFP_SIMD=128), the
// width of WebAssembly's SIMD; shares are given of both. One thread everywhere.
//
// Data: `mfp generate --stars` (6,000 users x 4,000 items unless told), 20% held out by the engine's own
// seeded split. Timed: the epochs' update passes (the engine's own per-epoch timing, the same
// clock `mfp train` reports), median of the repeats; the share of native is the median of each
// repeat's own share.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, launch, startServer } from '../tests/e2e/harness.mjs';
import { trainSession } from './train-session.mjs';

const { values } = parseArgs({
  options: {
    ratings: { type: 'string', default: '1000000' },
    factors: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '5' },
    algo: { type: 'string', default: 'sgd' },
    users: { type: 'string', default: '6000' },
    items: { type: 'string', default: '4000' },
  },
});
const [k, epochs, repeats] = [Number(values.factors), Number(values.epochs), Number(values.repeats)];
const mfp = join(ROOT, 'target', 'release', 'mfp');
const dir = mkdtempSync(join(tmpdir(), 'mfp-wasm-bench-'));
const file = join(dir, 'ratings.csv');
execFileSync(mfp, [
  'generate', '--out', file, '--ratings', values.ratings, '--users', values.users, '--items', values.items, '--stars', '--seed', '1',
], { stdio: 'ignore' });
const params = {
  nFactors: k, nEpochs: epochs, learningRate: 0.005, regBias: 0.02, regFactor: 0.02, initStd: 0.1,
  seed: 42, optimizer: values.algo, loss: 'squared',
};

/** The native build, on one thread; `narrow`: limited to 128-bit SIMD, as wide as wasm's. */
function native(narrow = false) {
  const out = execFileSync(mfp, [
    '--threads', '1', 'train', '--train', file, '--split', '0.2', '--algo', values.algo, '--factors', String(k), '--epochs', String(epochs),
    '--lr', '0.005', '--reg', '0.02', '--init-std', '0.1', '--seed', '42', '--json',
  ], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, MFP_SIMD: narrow ? '128' : '' } }); // a line per epoch
  const final = JSON.parse(out.trim().split('\n').pop());
  return { seconds: final.seconds, testRmse: final.test_rmse, nTrain: final.n_train };
}

async function inNode(bytes) {
  const glue = await import(join(ROOT, 'www', 'pkg', 'mf_playground.js'));
  glue.initSync({ module: readFileSync(join(ROOT, 'www', 'pkg', 'mf_playground_bg.wasm')) });
  return trainSession(glue.Session, bytes, params);
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = readFileSync(file);
const server = await startServer();
const browser = await launch();
const runs = { native: [], native128: [], node: [], chromium: [] };
let nTrain = 0;
try {
  const page = await browser.ctx.newPage();
  await page.goto(`${server.url}#panels=none`);
  const text = bytes.toString('utf8');
  for (let r = 0; r < repeats; r++) {
    const n = native();
    nTrain = n.nTrain;
    runs.native.push(n);
    runs.native128.push(native(true));
    runs.node.push(await inNode(bytes));
    runs.chromium.push(await page.evaluate(async ([csv, p]) => {
      const glue = await import('/www/pkg/mf_playground.js');
      await glue.default({ module_or_path: '/www/pkg/mf_playground_bg.wasm' });
      const { trainSession: train } = await import('/bench/train-session.mjs');
      return train(glue.Session, new TextEncoder().encode(csv), p);
    }, [text, params]));
    console.log(`repeat ${r + 1}: ${Object.entries(runs).map(([name, xs]) => `${name} ${xs[r].seconds.toFixed(2)} s`).join(', ')}`);
  }
} finally {
  await browser.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
const updates = nTrain * epochs;
console.log(`data: ${nTrain} training ratings, k = ${k}, ${epochs} epochs of ${values.algo}, median of ${repeats} repeats`);
// The share of native is taken within each repeat (its three runs are back to back), then the
// median of those shares: on a machine whose speed drifts between repeats this is steadier than
// a ratio of two medians taken at different moments.
for (const [name, xs] of Object.entries(runs)) {
  const secs = median(xs.map((x) => x.seconds));
  const shares = xs.map((x, r) => runs.native[r].seconds / x.seconds * 100);
  const range = name === 'native' ? '' : ` (repeats ${Math.min(...shares).toFixed(0)}-${Math.max(...shares).toFixed(0)}%)`;
  // And of the native build limited to 128-bit SIMD, the width WebAssembly has.
  const narrow = xs.map((x, r) => runs.native128[r].seconds / x.seconds * 100);
  console.log(`${name.padEnd(9)} ${secs.toFixed(2).padStart(7)} s ${Math.round(updates / secs).toLocaleString('en').padStart(12)} updates/s  ${median(shares).toFixed(0).padStart(4)}% of native (AVX2)${range}, ${median(narrow).toFixed(0)}% of native 128-bit  test RMSE ${xs[0].testRmse.toFixed(4)}`);
}
