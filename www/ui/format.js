// Numbers as the panels write them: a difference with its sign, a p-value.

/** `v` with its sign (a true minus), to `digits` decimals. @param {number} v @param {number} [digits] */
export function signed(v, digits = 3) {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

/** A p-value to three decimals, or "< 0.001". @param {number} v */
export function pValue(v) {
  return v < 0.001 ? '< 0.001' : v.toFixed(3);
}
