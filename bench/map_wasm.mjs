// The map's layouts as the page runs them (the engine's wasm, in Node's V8, one thread) against
// the native build (`mfp map`, one thread), on the same model's items: seconds for t-SNE and
// UMAP at 1,000 and 5,000 points, and the wasm's time as a multiple of native's (median of the
// rounds' own ratios; the rounds interleave the two).
//
//   bench/run.sh map_wasm [--points 1000,5000 --rounds 3 --methods tsne,umap]
//
// The model: matrix factorisation (k = 16, 5 epochs) of `mfp generate`'s ratings with as many
// items as points, trained once in the wasm session and saved, so both lay out the same vectors
// from the same start.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({ options: { points: { type: 'string', default: '1000,5000' }, rounds: { type: 'string', default: '3' }, methods: { type: 'string', default: 'tsne,umap' } } });
const mfp = join(ROOT, 'target', 'release', 'mfp');
const dir = mkdtempSync(join(tmpdir(), 'mfp-map-wasm-'));
const glue = await import(join(ROOT, 'www', 'pkg', 'mf_playground.js'));
glue.initSync({ module: readFileSync(join(ROOT, 'www', 'pkg', 'mf_playground_bg.wasm')) });
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const n of values.points.split(',').map(Number)) {
  const file = join(dir, `r${n}.csv`);
  execFileSync(mfp, ['generate', '--out', file, '--users', '2000', '--items', String(n), '--ratings', String(40 * n), '--stars', '--seed', '1'], { stdio: 'ignore' });
  const s = new glue.Session();
  s.loadBytes(readFileSync(file), {}, undefined);
  s.configure({ nFactors: 16, nEpochs: 5, learningRate: 0.01, seed: 42 }, 0, null);
  s.trainEpochs(5);
  const model = join(dir, `m${n}.json`);
  writeFileSync(model, s.exportModel('bench'));
  for (const method of values.methods.split(',')) {
    const wasm = [];
    const native = [];
    const ratios = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      const t0 = performance.now();
      const started = s.mapStart({ method });
      let step;
      do step = s.mapStep(50); while (!step.done);
      const w = (performance.now() - t0) / 1000;
      const out = JSON.parse(execFileSync(mfp, ['--threads', '1', 'map', '--model', model, '--method', method, '--out', join(dir, 'out.csv'), '--json'], { encoding: 'utf8' }));
      wasm.push(w);
      native.push(out.seconds);
      ratios.push(w / out.seconds);
      console.log(`${method} n=${started.rows.length}: wasm ${w.toFixed(2)} s, native ${out.seconds.toFixed(2)} s`);
    }
    rows.push([method, n, median(wasm), median(native), median(ratios)]);
  }
  s.free();
}
console.log('\n| layout | points | wasm (Node) seconds | native seconds | wasm / native |');
console.log('|---|---|---|---|---|');
for (const [method, n, w, nat, ratio] of rows) console.log(`| ${method} | ${n} | ${w.toFixed(2)} | ${nat.toFixed(2)} | ${ratio.toFixed(2)}× |`);
