// The rating matrix as heatmaps: observed (click a cell to edit it), predicted, residual
// (observed − predicted on the known cells) and, for generated data, the truth.

import { createHeatmap, diverging as divergingColour, viridis } from '../charts/heatmap.js';
import { h, setText } from '../ui/dom.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';

/**
 * @param {{
 *   onSelect: (cell: { user: number, item: number }) => void,
 *   onEdit: (user: number, item: number, value: number) => void,
 * }} hooks
 */
export function createMatricesPanel(hooks) {
  /** @type {any} */
  let state = null;
  const hoverLine = () => h('p', { class: 'mfp-hover', text: t('Point at a cell to read it; click to select it.') });
  const lines = { observed: hoverLine(), predicted: hoverLine(), residual: hoverLine(), truth: hoverLine() };
  const canvases = {
    observed: h('canvas', { class: 'mfp-heatmap', role: 'img', tabindex: 0, 'aria-label': t('Observed rating matrix; arrow keys move the selected cell') }),
    predicted: h('canvas', { class: 'mfp-heatmap', role: 'img', 'aria-label': t('Predicted rating matrix') }),
    residual: h('canvas', { class: 'mfp-heatmap', role: 'img', 'aria-label': t('Residual matrix: observed minus predicted') }),
    truth: h('canvas', { class: 'mfp-heatmap', role: 'img', 'aria-label': t('The true matrix the synthetic data was drawn from') }),
  };
  const downsampled = h('p', { class: 'mfp-note mfp-downsampled', hidden: true });

  // The cell editor, under the observed matrix.
  const editLabel = h('span', { class: 'mfp-edit-label', text: t('Select a cell to edit it.') });
  const editInput = h('input', { type: 'number', step: 'any', class: 'mfp-edit-value', 'aria-label': t('New rating'), disabled: true });
  const setBtn = h('button', { type: 'submit', class: 'mfp-btn mfp-edit-set', text: t('Set'), disabled: true });
  const removeBtn = h('button', { type: 'button', class: 'mfp-btn mfp-edit-remove', text: t('Remove'), disabled: true });
  const editor = h('form', { class: 'mfp-editor' }, [editLabel, editInput, setBtn, removeBtn]);
  editor.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const sel = state?.selected;
    const v = Number(editInput.value);
    if (!sel || editInput.value.trim() === '' || !Number.isFinite(v)) return;
    hooks.onEdit(sel.user, sel.item, v);
  });
  removeBtn.addEventListener('click', () => {
    const sel = state?.selected;
    if (sel) hooks.onEdit(sel.user, sel.item, NaN);
  });

  /** @param {'observed' | 'predicted' | 'residual' | 'truth'} which */
  const heatmap = (which) =>
    createHeatmap(canvases[which], {
      onHover: (cell) => {
        lines[which].textContent = cell ? describeCell(which, cell.row, cell.col) : tr('Point at a cell to read it; click to select it.');
      },
      onClick: (cell) => select(cell.row, cell.col),
    });
  const maps = { observed: heatmap('observed'), predicted: heatmap('predicted'), residual: heatmap('residual'), truth: heatmap('truth') };

  /** @param {number} row @param {number} col */
  function select(row, col) {
    if (!state?.view) return;
    hooks.onSelect({ user: row * state.view.rowStep, item: col * state.view.colStep });
  }

  canvases.observed.addEventListener('keydown', (ev) => {
    if (!state?.view) return;
    const sel = state.selected ?? { user: 0, item: 0 };
    let { user, item } = sel;
    const v = state.view;
    if (ev.key === 'ArrowRight') item = Math.min(state.summary.nItems - 1, item + v.colStep);
    else if (ev.key === 'ArrowLeft') item = Math.max(0, item - v.colStep);
    else if (ev.key === 'ArrowDown') user = Math.min(state.summary.nUsers - 1, user + v.rowStep);
    else if (ev.key === 'ArrowUp') user = Math.max(0, user - v.rowStep);
    else if (ev.key === 'Enter' && !editInput.disabled) {
      editInput.focus();
      ev.preventDefault();
      return;
    } else return;
    ev.preventDefault();
    hooks.onSelect({ user, item });
  });

  /** @param {string} which @param {number} row @param {number} col */
  function describeCell(which, row, col) {
    const s = state;
    if (!s?.summary || !s.view) return '';
    const k = row * s.view.cols + col;
    const user = row * s.view.rowStep;
    const item = col * s.view.colStep;
    const who = s.view.rowStep > 1 || s.view.colStep > 1
      ? tr('Users {user}…, items {item}…', { user: s.summary.userIds[user], item: s.summary.itemLabels[item] })
      : tr('User {user}, item {item}', { user: s.summary.userIds[user], item: s.summary.itemLabels[item] });
    const obs = s.observed?.[k];
    const pred = s.predicted?.[k];
    const parts = [tr('observed {v}', { v: obs === undefined || Number.isNaN(obs) ? tr('unknown') : num(obs) })];
    if (pred !== undefined) parts.push(tr('predicted {v}', { v: num(pred) }));
    if (which === 'truth' && s.truth) parts.push(tr('truth {v}', { v: num(s.truth[k]) }));
    if (s.testMask?.[k] === 1) parts.push('(test rating)');
    return `${who}: ${parts.join(', ')}`;
  }

  /** @param {any} s @param {Float32Array} values @param {boolean} [diverging] */
  function matrix(s, values, diverging = false) {
    const implicit = s.summary.feedback === 'implicit';
    const [min, max] = implicit ? [0, 1] : [s.summary.scale.min, s.summary.scale.max];
    const sel = s.selected && s.view ? { row: Math.floor(s.selected.user / s.view.rowStep), col: Math.floor(s.selected.item / s.view.colStep) } : null;
    if (diverging) {
      const span = implicit ? 1 : (max - min) / 2 || 1;
      return { rows: s.view.rows, cols: s.view.cols, values, min: -span, max: span, diverging: true, selected: sel, mask: s.testMask };
    }
    return { rows: s.view.rows, cols: s.view.cols, values, min, max, selected: sel, mask: s.testMask };
  }

  /**
   * A colour scale under a heatmap: the palette as a gradient with the values at its ends (and
   * 0 in the middle of the residual's). The diverging one's middle follows the theme.
   * @param {boolean} diverging
   */
  function colourScale(diverging) {
    const stops = Array.from({ length: 11 }, (_, k) => {
      const [r, g, b] = diverging ? divergingColour(2 * (k / 10) - 1) : viridis(k / 10);
      return `rgb(${r} ${g} ${b}) ${k * 10}%`;
    });
    const bar = h('span', { class: 'mfp-scale-bar' });
    // Through the CSSOM: the page's Content-Security-Policy allows no inline style attribute.
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    const lo = h('span', { class: 'mfp-scale-lo' });
    const mid = h('span', { class: 'mfp-scale-mid' });
    const hi = h('span', { class: 'mfp-scale-hi' });
    const el = h('div', { class: 'mfp-colour-scale', 'aria-hidden': 'true' }, [bar, h('span', { class: 'mfp-scale-labels' }, [lo, mid, hi])]);
    return {
      el,
      /** @param {number} min @param {number} max */
      set(min, max) {
        const f = (/** @type {number} */ v) => String(+v.toPrecision(3));
        setText(lo, f(min));
        setText(mid, diverging ? '0' : '');
        setText(hi, diverging ? `+${f(max)}` : f(max));
      },
    };
  }
  const scales = { observed: colourScale(false), predicted: colourScale(false), residual: colourScale(true), truth: colourScale(false) };

  const panels = [
    { name: 'observed', title: t('Observed'), note: 'what users did; grey = unknown, white corner = held out for testing', body: [canvases.observed, scales.observed.el, lines.observed, editor, downsampled] },
    { name: 'predicted', title: t('Predicted'), note: 'what the model fills in, for every cell', body: [canvases.predicted, scales.predicted.el, lines.predicted] },
    { name: 'residual', title: t('Residual'), note: 'observed − predicted on the known cells (orange: the model is too low)', body: [canvases.residual, scales.residual.el, lines.residual] },
    { name: 'truth', title: t('Truth'), note: 'the generator\'s true values (synthetic data only)', body: [canvases.truth, scales.truth.el, lines.truth] },
  ];

  return {
    panels,
    /** @param {any} s @param {any} prev */
    update(s, prev) {
      state = s;
      if (!s.summary || !s.view || !s.observed) return;
      // Between a new data set and its first model the model views still have the old shape.
      const cells = s.view.rows * s.view.cols;
      if (s.observed.length !== cells) return;
      const fits = (/** @type {Float32Array | null} */ a) => Boolean(a) && /** @type {Float32Array} */ (a).length === cells;
      const dataChanged = s.observed !== prev.observed || s.view !== prev.view || s.summary !== prev.summary;
      const modelChanged = s.predicted !== prev.predicted || s.testMask !== prev.testMask;
      const selChanged = s.selected !== prev.selected;
      if (dataChanged) {
        for (const [name, scale] of Object.entries(scales)) {
          const m = matrix(s, s.observed, name === 'residual');
          scale.set(m.min, m.max);
        }
      }
      if (dataChanged || modelChanged || selChanged) maps.observed.setData(matrix(s, s.observed));
      if (fits(s.predicted) && (dataChanged || modelChanged || selChanged)) {
        maps.predicted.setData(matrix(s, /** @type {Float32Array} */ (s.predicted)));
        // The engine's residual: each known rating against its own cell's prediction, averaged
        // over a block (a block's mean rating minus one cell's prediction would mislead).
        if (fits(s.residual)) maps.residual.setData(matrix(s, /** @type {Float32Array} */ (s.residual), true));
      }
      if (fits(s.truth) && (dataChanged || selChanged)) maps.truth.setData(matrix(s, /** @type {Float32Array} */ (s.truth)));
      const v = s.view;
      const whole = v.rowStep === 1 && v.colStep === 1;
      downsampled.hidden = whole;
      setText(downsampled, whole ? '' : tr('Too big to draw cell by cell: each square stands for {rows} users × {cols} items (observed: the mean of the known ratings; predicted: the first user and item of the block; residual: the mean of each known rating minus its own prediction).', { rows: v.rowStep, cols: v.colStep }));
      if (selChanged || dataChanged) {
        const sel = s.selected;
        const editable = Boolean(sel) && whole;
        editInput.disabled = setBtn.disabled = removeBtn.disabled = !editable;
        if (sel) {
          const k = Math.floor(sel.user / v.rowStep) * v.cols + Math.floor(sel.item / v.colStep);
          const cur = s.observed[k];
          editLabel.textContent = tr('User {user}, item {item}:', { user: s.summary.userIds[sel.user], item: s.summary.itemLabels[sel.item] });
          editInput.value = Number.isNaN(cur) ? '' : String(cur);
          editInput.placeholder = s.summary.feedback === 'implicit' ? tr('0 or 1') : `${s.summary.scale.min}–${s.summary.scale.max}`;
        }
      }
    },
    destroy() {
      Object.values(maps).forEach((m) => m.destroy());
    },
  };
}

/** @param {number} v */
function num(v) {
  if (!Number.isFinite(v)) return tr('not a number (the model diverged)');
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
