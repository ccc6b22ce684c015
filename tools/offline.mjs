// Writes dist/mf-playground.html: the whole playground in one file that works opened from the
// file system (see ../shared/TOOLCHAIN.md): the page's modules bundled into one inline module
// script (esbuild), the stylesheets inline, and the worker's source in a non-executed script
// element: wasm-bindgen's no-modules glue, the wasm and the built-in data as base64, and the
// worker code. A Content-Security-Policy with the inline code's hashes keeps everything else out.
//
//   node tools/offline.mjs <no-modules glue.js> <module.wasm>

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [glue, wasm] = process.argv.slice(2);
const read = (/** @type {string} */ p) => readFileSync(join(ROOT, p), 'utf8');
const b64 = (/** @type {Buffer} */ b) => b.toString('base64');
const sha = (/** @type {string} */ s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

const page = await build({ entryPoints: [join(ROOT, 'www', 'offline.js')], bundle: true, format: 'esm', minify: true, write: false, legalComments: 'none' });
const pageJs = page.outputFiles[0].text;
if (pageJs.includes('</script')) throw new Error('the bundled page code holds "</script": it cannot be inlined as it is');

// The worker, as a classic script: the glue defines `wasm_bindgen`; the module import goes.
let worker = read('www/engine.worker.js');
// (The single file is never cross-origin isolated: the worker never reaches for the threaded
// package.)
const importLine = "import * as plain from './pkg/mf_playground.js';";
if (!worker.includes(importLine)) throw new Error('engine.worker.js: the pkg import line changed');
worker = worker.replace(importLine, 'const plain = Object.assign({ default: wasm_bindgen }, wasm_bindgen);').replaceAll('import.meta.url', 'self.location.href');
const files = {
  './data/movietweetings/ratings.dat': readFileSync(join(ROOT, 'www/data/movietweetings/ratings.dat')),
  './data/movietweetings/movies.dat': readFileSync(join(ROOT, 'www/data/movietweetings/movies.dat')),
};
const bytes = (/** @type {string} */ s) => `Uint8Array.from(atob("${s}"), (c) => c.charCodeAt(0))`;
const workerSource = [
  readFileSync(glue, 'utf8'),
  `self.__mfpWasm = ${bytes(b64(readFileSync(wasm)))};`,
  `self.__mfpFiles = {${Object.entries(files).map(([k, v]) => `${JSON.stringify(k)}: ${bytes(b64(v))}`).join(',')}};`,
  worker,
].join('\n');

const css = `${read('www/style.css')}\n${read('www/page.css')}`;
let html = read('index.html');
const csp = [
  "default-src 'none'", `script-src ${sha(pageJs)} 'wasm-unsafe-eval'`, "worker-src blob:", `style-src ${sha(css)}`,
  "img-src data: blob:", "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');
const replace = (/** @type {RegExp} */ re, /** @type {string} */ by) => {
  if (!re.test(html)) throw new Error(`index.html: ${re} not found`);
  html = html.replace(re, () => by);
};
replace(/<meta http-equiv="Content-Security-Policy"[\s\S]*?>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
replace(/\s*<link rel="icon"[^>]*>/, '');
replace(/<link rel="stylesheet" href="www\/style.css">\s*<link rel="stylesheet" href="www\/page.css">/, `<style>${css}</style>`);
replace(/<script type="module" src="www\/main.js"><\/script>/, `<script type="text/plain" id="mfp-worker-source">${workerSource.replaceAll('</script', '<\\/script')}</script>\n  <script type="module">${pageJs}</script>`);
// Links to the data's licence and provenance point at the files beside index.html; offline
// they are named, not linked.
html = html.replace(/<a href="www\/data\/movietweetings\/[^"]*">([^<]*)<\/a>/g, '$1');
mkdirSync(join(ROOT, 'dist'), { recursive: true });
writeFileSync(join(ROOT, 'dist', 'mf-playground.html'), html);
console.log(`dist/mf-playground.html: ${(html.length / 1024).toFixed(0)} KiB`);
