// Download buttons: a chart as PNG or SVG, a table as CSV.

import { download } from '../charts/svg.js';
import { t } from '../i18n.js';
import { h } from './dom.js';

/**
 * Two small buttons that download a chart.
 * @param {{ toSvg: () => string, toPng: () => Promise<Blob> }} chart
 * @param {string} name a file name without extension, e.g. "training-curves"
 * @param {string} label what the chart shows, for screen readers
 */
export function chartExport(chart, name, label) {
  const what = t(label);
  const png = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-export-png', text: 'PNG', 'aria-label': t('Download {what} as PNG', { what }), title: t('Download {what} as PNG', { what }) });
  const svg = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-export-svg', text: 'SVG', 'aria-label': t('Download {what} as SVG', { what }), title: t('Download {what} as SVG', { what }) });
  png.addEventListener('click', async () => download(await chart.toPng(), `${name}.png`));
  svg.addEventListener('click', () => download(new Blob([chart.toSvg()], { type: 'image/svg+xml' }), `${name}.svg`));
  return h('span', { class: 'mfp-export' }, [png, svg]);
}

/**
 * CSV text from rows of cells (quoted where needed, RFC 4180).
 * @param {(string | number | null | undefined)[][]} rows
 */
export function toCsv(rows) {
  const cell = (/** @type {any} */ v) => {
    const s = v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/**
 * A button that downloads CSV made on demand.
 * @param {() => (string | number | null | undefined)[][]} rows
 * @param {string} name file name without extension
 * @param {string | import('../i18n.js').Text} text button text
 */
export function csvButton(rows, name, text) {
  const b = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-export-csv', text });
  b.addEventListener('click', () => download(new Blob([toCsv(rows())], { type: 'text/csv' }), `${name}.csv`));
  return b;
}
