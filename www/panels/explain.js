// Explain a prediction: r̂ = μ + b_u + b_i + Σ p_uf q_if with the numbers filled in, and each
// term as a bar (a waterfall from 0 to the score). For a network (GMF, MLP, NeuMF) the score is
// the output bias, each GMF factor's weighted product and the MLP tower's part, that part
// attributed to the user's and the item's embeddings by gradient × input.

import { h } from '../ui/dom.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';

/** Factors shown one by one; the rest are summed. */
const SHOWN_FACTORS = 6;

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'explain'>} engine the requests it makes
 */
export function createExplainPanel(engine) {
  const title = h('p', { class: 'mfp-explain-title', text: t('Click a cell of a matrix to take its prediction apart.') });
  const formula = h('p', { class: 'mfp-formula', 'aria-live': 'polite' });
  const bars = h('div', { class: 'mfp-bars', role: 'list' });
  const features = h('p', { class: 'mfp-feature-parts', hidden: true });
  const element = h('div', { class: 'mfp-explain' }, [title, formula, bars, features]);
  let pending = 0;

  /**
   * @param {{ user: number, item: number } | null} cell
   * @param {any} summary
   */
  async function show(cell, summary) {
    if (!cell || !summary) {
      formula.textContent = '';
      bars.replaceChildren();
      features.hidden = true;
      return;
    }
    const ticket = ++pending;
    let e;
    try {
      e = await engine.explain({ user: cell.user, item: cell.item });
    } catch {
      return; // no model yet: nothing to explain
    }
    if (ticket !== pending) return;
    title.textContent = tr('User {user} × {item}', { user: summary.userIds[cell.user], item: summary.itemLabels[cell.item] });
    showFeatures(e.featureParts ?? []);
    if (e.kind === 'neural') {
      showNetwork(e);
      return;
    }
    const sigmoid = summary.feedback === 'implicit' && Math.abs(e.prediction - e.score) > 1e-6;
    const parts = [...e.factorParts.map((/** @type {number} */ v, /** @type {number} */ f) => ({ name: `p${sub(f + 1)}·q${sub(f + 1)}`, key: `factor-${f + 1}`, v }))];
    parts.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
    const shown = parts.slice(0, SHOWN_FACTORS);
    const rest = parts.slice(SHOWN_FACTORS).reduce((s, p) => s + p.v, 0);
    const dot = e.factorParts.reduce((/** @type {number} */ s, /** @type {number} */ v) => s + v, 0);
    // Under a normalisation the score is in normalised units: r̂ = offset + divisor × score.
    const normalised = e.offset !== 0 || e.divisor !== 1;
    const back = e.offset + e.divisor * e.score;
    const sum = `μ + b_u + b_i + p_u·q_i = ${n(e.mu)} + ${n(e.userBias)} + ${n(e.itemBias)} + ${n(dot)} = ${n(e.score)}`;
    const head = normalised
      ? `${tr('r̂ = offset + spread × score')}; score = ${sum}; r̂ = ${n(e.offset)} + ${n(e.divisor)} × ${n(e.score)} = ${n(back)}`
      : `r̂ = ${sum}`;
    formula.textContent = `${head}${
      sigmoid ? `  →  σ(${n(e.score)}) = ${n(e.prediction)}` : e.prediction !== back ? tr('  →  clipped to the scale: {v}', { v: n(e.prediction) }) : ''
    }`;
    // Bars in the data's units: each term times the spread, after the offset.
    const terms = [
      ...(normalised ? [{ name: t('offset (normalisation)'), key: 'offset', v: e.offset }] : []),
      { name: 'μ (global)', key: 'mu', v: e.mu },
      { name: 'b_u (user)', key: 'user-bias', v: e.userBias },
      { name: 'b_i (item)', key: 'item-bias', v: e.itemBias },
      ...shown,
      ...(parts.length > SHOWN_FACTORS ? [{ name: tr('{n} more factors', { n: parts.length - SHOWN_FACTORS }), key: 'other-factors', v: rest }] : []),
    ].map((term) => (term.key === 'offset' ? term : { ...term, v: term.v * e.divisor }));
    drawBars(terms, e.score, e.prediction, sigmoid);
  }

  /**
   * A hybrid model's features: each one's part in the score through the vector and the bias it
   * adds to the user's or the item's (w (e_f · other side + c_f)), largest first.
   * @param {{ side: string, name: string, part: number }[]} list
   */
  function showFeatures(list) {
    features.hidden = list.length === 0;
    if (!list.length) return;
    const sorted = [...list].sort((a, b) => Math.abs(b.part) - Math.abs(a.part));
    const shown = sorted.slice(0, 8).map((f) => `${f.name} ${f.part >= 0 ? '+' : '−'}${n(Math.abs(f.part))}`);
    const more = sorted.length > 8 ? ' ' + tr('and {n} more', { n: sorted.length - 8 }) : '';
    features.textContent = tr('What the features add (the user\'s and the item\'s vectors are their id\'s plus their features\'; through a network\'s tower by gradient × input): {list}', { list: shown.join(' · ') + more });
  }

  /**
   * A network's score: s = b + Σ h_f p_uf q_if + tower, its parts as bars.
   * @param {any} e the engine's NeuralExplanation
   */
  function showNetwork(e) {
    const parts = e.factorParts.map((/** @type {number} */ v, /** @type {number} */ f) => ({ name: `h${sub(f + 1)}·p${sub(f + 1)}·q${sub(f + 1)}`, key: `factor-${f + 1}`, v }));
    parts.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
    const shown = parts.slice(0, SHOWN_FACTORS);
    const rest = parts.slice(SHOWN_FACTORS).reduce((/** @type {number} */ s, /** @type {{ v: number }} */ p) => s + p.v, 0);
    const gmf = e.factorParts.reduce((/** @type {number} */ s, /** @type {number} */ v) => s + v, 0);
    const sigmoid = Math.abs(e.prediction - e.score) > 1e-6;
    const pieces = [`b ${n(e.bias)}`];
    if (e.factorParts.length) pieces.push(`h·(p_u ⊙ q_i) ${n(gmf)}`);
    if (e.tower != null) pieces.push(`${tr('tower')} ${n(e.tower)}`);
    const attribution = e.tower != null
      ? tr('; the tower\'s part by gradient × input: user embedding {u}, item embedding {i} (exact only when the tower\'s biases are 0)', { u: n(e.towerUser), i: n(e.towerItem) })
      : '';
    formula.textContent = `s = ${pieces.join(' + ')} = ${n(e.score)}${sigmoid ? `  →  σ(${n(e.score)}) = ${n(e.prediction)}` : ''}${attribution}`;
    drawBars([
      { name: tr('b (output bias)'), key: 'bias', v: e.bias },
      ...shown,
      ...(parts.length > SHOWN_FACTORS ? [{ name: tr('{n} more factors', { n: parts.length - SHOWN_FACTORS }), key: 'other-factors', v: rest }] : []),
      ...(e.tower != null ? [{ name: tr('MLP tower'), key: 'tower', v: e.tower }] : []),
    ], e.score, e.prediction, sigmoid);
  }

  /**
   * The terms as a waterfall of bars, then the total.
   * @param {{ name: string, key: string, v: number }[]} terms
   * @param {number} score @param {number} prediction @param {boolean} sigmoid
   */
  function drawBars(terms, score, prediction, sigmoid) {
    const span = Math.max(1e-9, ...cumulative(terms).flatMap((c) => [Math.abs(c.from), Math.abs(c.to)]));
    bars.replaceChildren(
      ...cumulative(terms).map((t) => {
        const left = (Math.min(t.from, t.to) / span) * 50 + 50;
        const width = (Math.abs(t.v) / span) * 50;
        const bar = h('span', { class: `mfp-bar ${t.v < 0 ? 'mfp-neg' : 'mfp-pos'}` });
        bar.style.left = `${left}%`;
        bar.style.width = `${Math.max(0.5, width)}%`;
        return h('div', { class: 'mfp-bar-row', role: 'listitem', dataset: { term: t.key, value: String(t.v) } }, [
          h('span', { class: 'mfp-bar-label', text: t.name }),
          h('span', { class: 'mfp-bar-track' }, [bar]),
          h('span', { class: 'mfp-bar-value', text: n(t.v) }),
        ]);
      }),
      h('div', { class: 'mfp-bar-row mfp-bar-total', role: 'listitem', dataset: { term: 'score', value: String(score) } }, [
        h('span', { class: 'mfp-bar-label', text: sigmoid ? 'score (→ σ)' : 'prediction' }),
        h('span', { class: 'mfp-bar-track' }),
        h('span', { class: 'mfp-bar-value', text: sigmoid ? `${n(score)} → ${n(prediction)}` : n(prediction) }),
      ]),
    );
  }

  return { element, show };
}

/** @param {{ name: string, key: string, v: number }[]} terms */
function cumulative(terms) {
  let at = 0;
  return terms.map((t) => {
    const from = at;
    at += t.v;
    return { ...t, from, to: at };
  });
}

/** @param {number} v */
function n(v) {
  if (!Number.isFinite(v)) return tr('not a number');
  const s = v.toFixed(3);
  return v < 0 ? `(${s.replace('-', '−')})` : s;
}

/** @param {number} k */
function sub(k) {
  return String(k).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
