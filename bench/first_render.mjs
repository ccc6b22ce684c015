// First interactive render from localhost: from navigation start until the playground is ready
// to use (the article's example loaded, its matrices drawn, the Train button enabled), in a
// fresh headless Chromium page with the HTTP cache off, median of the repeats. Also the first
// contentful paint and the bytes transferred. The target is 1 s; printed as a ratio to it.
//
//   bench/run.sh first_render [--repeats 5]

import { parseArgs } from 'node:util';
import { launch, startServer } from '../tests/e2e/harness.mjs';
import { measureFirstRender } from '../tests/e2e/first-render.mjs';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const repeats = Number(values.repeats);
const server = await startServer();
const browser = await launch();
const runs = [];
try {
  for (let r = 0; r < repeats; r++) {
    const m = await measureFirstRender(browser.ctx, server.url);
    runs.push(m);
    console.log(`load ${r + 1}: interactive ${m.interactive.toFixed(0)} ms, first contentful paint ${m.fcp.toFixed(0)} ms, ${(m.bytes / 1024).toFixed(0)} KiB transferred`);
  }
} finally {
  await browser.close();
  server.stop();
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const interactive = median(runs.map((m) => m.interactive));
console.log(`first interactive render: median ${interactive.toFixed(0)} ms over ${repeats} cold loads (${(interactive / 1000).toFixed(2)}x the 1 s target); first contentful paint ${median(runs.map((m) => m.fcp)).toFixed(0)} ms`);
