// GMF and NeuMF (He et al. 2017) in the engine against TensorFlow.js (npm @tensorflow/tfjs
// 4.22, bench/js/ only) in the same headless Chromium, and the engine natively, on the same
// data, negatives, batch size, optimiser and epochs: training examples per second, and HR@10 /
// NDCG@10 by NCF's leave-one-out protocol (each user's held-out item among 99 unseen items).
//
//   bench/run.sh ncf_peers [--data FILE] [--family gmf|neumf] [--epochs 5] [--repeats 3]
//                          [--backends cpu,webgl,wasm] [--tfjs-examples 20000] [--torch]
//
// With --torch, PyTorch too (bench/ncf_torch.py in bench/.venv, CPU, one thread), with its usual
// dense Adam and with sparse embeddings and SparseAdam (rows a batch did not touch left alone, as
// the engine's lazy Adam does).
//
// Data: every rating of FILE (default: the page's MovieTweetings subset, www/data/) is an
// interaction; one per user (with at least two) is held out by a seeded draw, written as
// train.csv and test.csv that every tool reads. Each epoch draws, per interaction, 4 items
// outside the user's training items as 0s (the held-out item may be one, as in He et al.'s
// code: a tool that knows the test set must not peek). Timed: the training passes only (the
// engine's own per-epoch timing; for TF.js the calls to model.fit; for PyTorch its batch loop),
// interleaved per repeat; ratios are the median of each repeat's.
// A TF.js backend that is too slow for whole epochs is timed on the first --tfjs-examples
// examples of each epoch and its HR@10 is then that of a model trained on those alone (said so).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, launch, startServer } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, 'www', 'data', 'movietweetings', 'ratings.dat') },
    family: { type: 'string', default: 'gmf' },
    factors: { type: 'string', default: '8' },
    layers: { type: 'string', default: '64,32,16,8' },
    epochs: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'cpu,webgl,wasm' },
    'tfjs-examples': { type: 'string', default: '20000' },
    torch: { type: 'boolean', default: false },
  },
});
const family = values.family;
const [k, epochs, repeats, tfjsCap] = [Number(values.factors), Number(values.epochs), Number(values.repeats), Number(values['tfjs-examples'])];
const layers = values.layers.split(',').map(Number);
const NEGATIVES = 4;
const BATCH = 256;
const LR = 0.001;
const mfp = join(ROOT, 'target', 'release', 'mfp');

/** A seeded generator (mulberry32) for the split and the TF.js side's draws. @param {number} seed */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Interactions, the leave-one-out split, and the two files every tool reads.
const lines = readFileSync(values.data, 'utf8').split('\n').filter(Boolean);
const byUser = new Map();
for (const line of lines) {
  const [u, i] = line.split(/::|,|\t/);
  if (!byUser.has(u)) byUser.set(u, new Set());
  byUser.get(u).add(i);
}
const draw = rng(7);
const train = [];
const test = [];
for (const [u, items] of byUser) {
  const list = [...items];
  const held = list.length >= 2 ? Math.floor(draw() * list.length) : -1;
  list.forEach((i, j) => (j === held ? test : train).push([u, i]));
}
const dir = mkdtempSync(join(tmpdir(), 'mfp-ncf-bench-'));
const trainCsv = join(dir, 'train.csv');
const testCsv = join(dir, 'test.csv');
writeFileSync(trainCsv, `user,item,value\n${train.map(([u, i]) => `${u},${i},1`).join('\n')}\n`);
writeFileSync(testCsv, `user,item,value\n${test.map(([u, i]) => `${u},${i},1`).join('\n')}\n`);
const examplesPerEpoch = train.length * (1 + NEGATIVES);

function native() {
  const out = execFileSync(mfp, [
    'train', '--train', trainCsv, '--test', testCsv, '--protocol', 'loo', '--family', family, '--factors', String(k),
    '--layers', values.layers, '--epochs', String(epochs), '--batch', String(BATCH), '--negatives', String(NEGATIVES),
    '--lr', String(LR), '--algo', 'adam', '--seed', '42', '--json',
  ], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const fin = JSON.parse(out.trim().split('\n').pop());
  return { seconds: fin.seconds, hr: fin.hr_at_10, ndcg: fin.ndcg_at_10, loss: fin.train_rmse };
}

/** PyTorch on the same files, one thread; `sparse` for sparse embedding gradients. @param {boolean} sparse */
function torch(sparse) {
  const out = execFileSync(join(ROOT, 'bench', '.venv', 'bin', 'python'), [
    join(ROOT, 'bench', 'ncf_torch.py'), trainCsv, testCsv, '--family', family, '--factors', String(k), '--layers', values.layers,
    '--epochs', String(epochs), '--batch', String(BATCH), '--negatives', String(NEGATIVES), '--lr', String(LR), ...(sparse ? ['--sparse'] : []),
  ], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  return JSON.parse(out.trim().split('\n').pop());
}

/** The engine's wasm build in the page: a Session trained on train.csv, its epochs' update time. */
async function wasm(page) {
  return page.evaluate(async ([csv, p]) => {
    const glue = await import('/www/pkg/mf_playground.js');
    await glue.default({ module_or_path: '/www/pkg/mf_playground_bg.wasm' });
    const s = new glue.Session();
    try {
      s.loadBytes(new TextEncoder().encode(csv), {}, undefined);
      s.configure(p, 0, null);
      const reports = s.trainEpochs(p.nEpochs);
      return { seconds: reports.reduce((t, r) => t + r.millis, 0) / 1000, rmse: reports[reports.length - 1].rmse };
    } finally {
      s.free();
    }
  }, [readFileSync(trainCsv, 'utf8'), {
    family, layers, nFactors: k, nEpochs: epochs, learningRate: LR, regBias: 0, regFactor: 0, initStd: 0.01, seed: 42,
    loss: 'logistic', optimizer: 'adam', batchSize: BATCH, negatives: NEGATIVES,
  }]);
}

/**
 * TF.js in the page on `backend`: the same model (Keras layers as He et al.'s code builds it),
 * Adam, batches, 4 fresh negatives per interaction each epoch; then HR@10 / NDCG@10.
 */
async function tfjs(page, backend) {
  return page.evaluate(async ([backend, train, test, o]) => {
    const tf = /** @type {any} */ (globalThis).tf;
    if (backend === 'wasm') /** @type {any} */ (globalThis).tf.wasm.setWasmPaths('/bench/js/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    if (!(await tf.setBackend(backend))) return { error: `backend ${backend} did not start` };
    await tf.ready();
    const users = new Map();
    const items = new Map();
    const id = (/** @type {Map<string, number>} */ m, /** @type {string} */ x) => (m.has(x) ? m.get(x) : (m.set(x, m.size), m.size - 1));
    const tr = train.map(([u, i]) => [id(users, u), id(items, i)]);
    const te = test.map(([u, i]) => [id(users, u), id(items, i)]);
    // Training negatives are drawn outside the user's training items (as the engine and He et
    // al.'s code do); the evaluation's outside everything the user had.
    const ownTraining = Array.from({ length: users.size }, () => new Set());
    for (const [u, i] of tr) ownTraining[u].add(i);
    const seen = ownTraining.map((t) => new Set(t));
    for (const [u, i] of te) seen[u].add(i);
    let a = 42;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const outside = (/** @type {Set<number>[]} */ known, /** @type {number} */ u) => {
      for (;;) {
        const j = Math.floor(rand() * items.size);
        if (!known[u].has(j)) return j;
      }
    };
    const L = tf.layers;
    const uIn = tf.input({ shape: [1], dtype: 'int32' });
    const iIn = tf.input({ shape: [1], dtype: 'int32' });
    const emb = (/** @type {number} */ n, /** @type {number} */ d, x) => L.flatten().apply(L.embedding({ inputDim: n, outputDim: d, embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.01 }) }).apply(x));
    const parts = [];
    if (o.family !== 'mlp') parts.push(L.multiply().apply([emb(users.size, o.k, uIn), emb(items.size, o.k, iIn)]));
    if (o.family !== 'gmf') {
      let x = L.concatenate().apply([emb(users.size, o.layers[0] / 2, uIn), emb(items.size, o.layers[0] / 2, iIn)]);
      for (const w of o.layers.slice(1)) x = L.dense({ units: w, activation: 'relu', kernelInitializer: 'heNormal' }).apply(x);
      parts.push(x);
    }
    const joined = parts.length > 1 ? L.concatenate().apply(parts) : parts[0];
    const out = L.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }).apply(joined);
    const model = tf.model({ inputs: [uIn, iIn], outputs: out });
    model.compile({ optimizer: tf.train.adam(o.lr), loss: 'binaryCrossentropy' });
    let millis = 0;
    let trained = 0;
    for (let e = 0; e < o.epochs; e++) {
      const us = [];
      const is = [];
      const ys = [];
      for (const [u, i] of tr) {
        us.push(u); is.push(i); ys.push(1);
        for (let n = 0; n < o.negatives; n++) { us.push(u); is.push(outside(ownTraining, u)); ys.push(0); }
      }
      // Shuffled, then capped for a backend too slow for whole epochs.
      const order = us.map((_, j) => j);
      for (let j = order.length - 1; j > 0; j--) {
        const r = Math.floor(rand() * (j + 1));
        [order[j], order[r]] = [order[r], order[j]];
      }
      const take = order.slice(0, Math.min(order.length, o.cap));
      const xu = tf.tensor2d(take.map((j) => us[j]), [take.length, 1], 'int32');
      const xi = tf.tensor2d(take.map((j) => is[j]), [take.length, 1], 'int32');
      const y = tf.tensor2d(take.map((j) => ys[j]), [take.length, 1]);
      const t0 = performance.now();
      await model.fit([xu, xi], y, { batchSize: o.batch, epochs: 1, shuffle: false, verbose: 0 });
      millis += performance.now() - t0;
      trained += take.length;
      tf.dispose([xu, xi, y]);
    }
    // Leave one out: the held-out item among 99 items the user never had; ties count against it.
    let hits = 0;
    let gain = 0;
    for (const [u, i] of te) {
      const cands = [i];
      const drawn = new Set();
      while (cands.length < 100 && drawn.size + seen[u].size < items.size) {
        const j = outside(seen, u);
        if (!drawn.has(j)) { drawn.add(j); cands.push(j); }
      }
      const s = tf.tidy(() => model.predict([tf.tensor2d(cands.map(() => u), [cands.length, 1], 'int32'), tf.tensor2d(cands, [cands.length, 1], 'int32')]).dataSync());
      const rank = cands.slice(1).filter((_, j) => s[j + 1] >= s[0]).length;
      if (rank < 10) { hits += 1; gain += 1 / Math.log2(rank + 2); }
    }
    return { seconds: millis / 1000, examples: trained, hr: hits / te.length, ndcg: gain / te.length, capped: trained < o.epochs * tr.length * (1 + o.negatives) };
  }, [backend, train, test, { family, k, layers, epochs, lr: LR, batch: BATCH, negatives: NEGATIVES, cap: tfjsCap }]);
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const server = await startServer();
const browser = await launch();
const backends = values.backends.split(',').filter(Boolean);
/** @type {Record<string, any[]>} */
const runs = {
  native: [], wasm: [], ...(values.torch ? { 'torch-dense': [], 'torch-sparse': [] } : {}),
  ...Object.fromEntries(backends.map((b) => [`tfjs-${b}`, []])),
};
try {
  for (let r = 0; r < repeats; r++) {
    runs.native.push(native());
    if (values.torch) {
      runs['torch-dense'].push(torch(false));
      runs['torch-sparse'].push(torch(true));
    }
    const page = await browser.ctx.newPage();
    await page.goto(`${server.url}#panels=none`);
    runs.wasm.push(await wasm(page));
    await page.close();
    for (const b of backends) {
      const p = await browser.ctx.newPage();
      // TF.js evaluates strings as code, which the playground's policy (tools/serve.py) forbids:
      // the peer's page is served here without that policy, and only the peer's.
      await p.route('**/bench/ncf_page.html', (route) => route.fulfill({ path: join(ROOT, 'bench', 'ncf_page.html'), contentType: 'text/html' }));
      await p.goto(`${server.url}bench/ncf_page.html`);
      await p.addScriptTag({ url: '/bench/js/node_modules/@tensorflow/tfjs/dist/tf.min.js' });
      if (b === 'wasm') await p.addScriptTag({ url: '/bench/js/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js' });
      try {
        runs[`tfjs-${b}`].push(await tfjs(p, b));
      } catch (err) {
        runs[`tfjs-${b}`].push({ error: String(err).split('\n')[0] });
      }
      await p.close();
    }
    console.log(`repeat ${r + 1}: ${Object.entries(runs).map(([n, xs]) => `${n} ${xs[r].error ? 'failed' : `${xs[r].seconds.toFixed(2)} s`}`).join(', ')}`);
  }
} finally {
  await browser.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`data: ${values.data}, ${train.length} training interactions, ${test.length} held out; ${family}, k = ${k}${family === 'gmf' ? '' : `, tower ${values.layers}`}, ${epochs} epochs of Adam (lr ${LR}, batch ${BATCH}, ${NEGATIVES} negatives per 1), median of ${repeats} repeats; machine: ${process.env.MACHINE ?? 'this one'}`);
const rate = (/** @type {any} */ x) => (x.examples ?? examplesPerEpoch * epochs) / x.seconds;
for (const [name, xs] of Object.entries(runs)) {
  const ok = xs.filter((x) => !x.error);
  if (ok.length === 0) {
    console.log(`${name.padEnd(12)} could not train: ${xs[0].error}`);
    continue;
  }
  const wasmShare = xs.map((x, r) => (x.error ? NaN : rate(runs.wasm[r]) / rate(x))).filter(Number.isFinite);
  const nativeShare = xs.map((x, r) => (x.error ? NaN : rate(runs.native[r]) / rate(x))).filter(Number.isFinite);
  const hr = ok[0].hr;
  const note = ok[0].capped ? ` (timed and trained on ${ok[0].examples.toLocaleString('en')} examples of ${(examplesPerEpoch * epochs).toLocaleString('en')})` : '';
  console.log(`${name.padEnd(12)} ${Math.round(median(ok.map(rate))).toLocaleString('en').padStart(12)} examples/s  native is ${median(nativeShare).toFixed(2).padStart(8)}x, wasm ${median(wasmShare).toFixed(2).padStart(8)}x this${hr === undefined ? '' : `  HR@10 ${hr.toFixed(4)}  NDCG@10 ${ok[0].ndcg.toFixed(4)}`}${note}`);
}
