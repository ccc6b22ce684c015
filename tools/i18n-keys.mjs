// Lists every interface text the page can show in English (the keys of www/i18n-zh.js): the
// literal arguments of t() and tr(), both branches of tr(a ? 'x' : 'y'), and the labels the
// knob tables, panel lists and metric tables hand to t() at run time.
//   node tools/i18n-keys.mjs            prints the keys, one JSON string a line
//   node tools/i18n-keys.mjs --missing  prints only those www/i18n-zh.js lacks

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');

export async function interfaceKeys() {
  const files = [];
  const walk = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'pkg' && e.name !== 'data') walk(join(dir, e.name));
      else if (e.name.endsWith('.js') && e.name !== 'i18n-zh.js') files.push(join(dir, e.name));
    }
  };
  walk(WWW);
  const keys = new Set();
  const unq = (/** @type {string} */ q, /** @type {string} */ s) => JSON.parse(q === '"' ? `"${s}"` : `"${s.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\b(?:t|tr)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)) keys.add(unq(m[1], m[2]));
    for (const m of src.matchAll(/\btr\([^()'"]*\?\s*(['"])((?:\\.|(?!\1).)*)\1\s*:\s*(['"])((?:\\.|(?!\3).)*)\3/g)) {
      keys.add(unq(m[1], m[2]));
      keys.add(unq(m[3], m[4]));
    }
  }
  // Texts given to t() through tables.
  const mod = async (/** @type {string} */ p) => import(pathToFileURL(join(WWW, p)).href);
  const controls = await mod('ui/controls.js');
  for (const spec of [...controls.TRAINING_KNOBS, ...controls.SYNTHETIC_KNOBS]) {
    keys.add(spec.label);
    if (spec.title) keys.add(spec.title);
    for (const [, label] of spec.options ?? []) keys.add(label);
  }
  // The engine's algorithm labels (src/train/): the optimiser menu and the race show them.
  const walkRs = (/** @type {string} */ dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkRs(join(dir, e.name)) : e.name.endsWith('.rs') ? [join(dir, e.name)] : []));
  for (const f of walkRs(join(ROOT, 'src', 'train'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\s*label: "((?:\\.|[^"])*)",$/gm)) keys.add(JSON.parse(`"${m[1]}"`));
  }
  const evaluation = await mod('panels/evaluation.js');
  for (const [, label] of evaluation.COLUMNS) keys.add(label);
  for (const [label] of evaluation.ROWS) keys.add(label);
  for (const label of Object.values((await mod('panels/lab.js')).LABELS)) keys.add(label);
  for (const [, label] of (await mod('ui/toolbar.js')).PANELS) keys.add(label);
  // Panel titles and notes: panel('Title', 'note', ...) in widget.js, `note:` in matrices.js.
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bpanel\(\s*'((?:\\.|[^'])*)',\s*'((?:\\.|[^'])*)'/g)) {
      keys.add(unq("'", m[1]));
      keys.add(unq("'", m[2]));
    }
    for (const m of src.matchAll(/\bnote: '((?:\\.|[^'])*)'/g)) keys.add(unq("'", m[1]));
    // Helpers that hand their text arguments to t(): buttons, metrics, chart boxes, fields,
    // download buttons (their file-name arguments are plain words without spaces or capitals).
    for (const m of src.matchAll(/\b(?:btn|metric|chartBox|field|csvButton|chartExport)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
      for (const a of m[1].matchAll(/'((?:\\.|[^'])*)'/g)) {
        const v = unq("'", a[1]);
        if (/[A-Z ]/.test(v) && !v.startsWith('mfp-')) keys.add(v);
      }
    }
  }
  return [...keys].filter((k) => /[A-Za-z]/.test(k)).sort();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const keys = await interfaceKeys();
  const { ZH } = await import(pathToFileURL(join(WWW, 'i18n-zh.js')).href);
  const missing = process.argv.includes('--missing');
  for (const k of keys) if (!missing || !(k in ZH)) console.log(JSON.stringify(k));
}
