// The hyper-parameter form: one labelled control per knob, reporting changes as typed values.

import { h, uniqueId } from './dom.js';

/**
 * @typedef {{ name: string, label: string, kind: 'select', options: [string, string][] }
 *   | { name: string, label: string, kind: 'number', min: number, max: number, step: number, integer?: boolean }
 *   | { name: string, label: string, kind: 'checkbox' }} KnobSpec
 */

/** @type {KnobSpec[]} */
export const KNOB_SPECS = [
  { name: 'dataset', label: 'Data', kind: 'select', options: [['seed-10x10', 'Article example (10 × 10, 0/1)']] },
  { name: 'loss', label: 'Loss', kind: 'select', options: [['logistic', 'Logistic (0/1 data)'], ['squared', 'Squared error']] },
  { name: 'nFactors', label: 'Factors k', kind: 'number', min: 0, max: 256, step: 1, integer: true },
  { name: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.000001, max: 10, step: 0.01 },
  { name: 'reg', label: 'Regularisation λ', kind: 'number', min: 0, max: 10, step: 0.001 },
  { name: 'nEpochs', label: 'Epochs', kind: 'number', min: 1, max: 100000, step: 1, integer: true },
  { name: 'seed', label: 'Seed', kind: 'number', min: 0, max: 4294967295, step: 1, integer: true },
  { name: 'biases', label: 'Biases μ, b_u, b_i', kind: 'checkbox' },
];

/**
 * @param {Record<string, any>} initial
 * @param {(name: string, value: any) => void} onChange called with a valid value only
 * @param {(name: string, message: string | null) => void} onInvalid
 */
export function createControls(initial, onChange, onInvalid) {
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement>} */
  const inputs = {};
  const fields = KNOB_SPECS.map((spec) => {
    const id = uniqueId('mfp-knob');
    let input;
    if (spec.kind === 'select') {
      input = h('select', { id, name: spec.name }, spec.options.map(([v, t]) => h('option', { value: v, text: t })));
      input.value = String(initial[spec.name]);
    } else if (spec.kind === 'checkbox') {
      input = h('input', { id, name: spec.name, type: 'checkbox' });
      input.checked = Boolean(initial[spec.name]);
    } else {
      input = h('input', {
        id, name: spec.name, type: 'number', min: spec.min, max: spec.max, step: spec.step,
        inputmode: spec.integer ? 'numeric' : 'decimal',
      });
      input.value = String(initial[spec.name]);
    }
    inputs[spec.name] = input;
    input.addEventListener('change', () => {
      const v = readValue(spec, input);
      if (typeof v === 'string' && spec.kind === 'number') {
        input.setAttribute('aria-invalid', 'true');
        onInvalid(spec.name, v);
        return;
      }
      input.removeAttribute('aria-invalid');
      onInvalid(spec.name, null);
      onChange(spec.name, v);
    });
    return h('div', { class: `mfp-field mfp-field-${spec.kind}` }, [h('label', { for: id, text: spec.label }), input]);
  });
  return {
    element: h('div', { class: 'mfp-knobs' }, fields),
    /** @param {Record<string, any>} values */
    setValues(values) {
      for (const [name, input] of Object.entries(inputs)) {
        if (!(name in values)) continue;
        if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(values[name]);
        else input.value = String(values[name]);
        input.removeAttribute('aria-invalid');
      }
    },
  };
}

/**
 * The typed value of a control, or a message string when a number is out of range.
 * @param {KnobSpec} spec
 * @param {HTMLInputElement | HTMLSelectElement} input
 */
function readValue(spec, input) {
  if (spec.kind === 'checkbox') return /** @type {HTMLInputElement} */ (input).checked;
  if (spec.kind === 'select') return input.value;
  const n = Number(input.value);
  if (input.value.trim() === '' || !Number.isFinite(n)) return `${spec.label} must be a number`;
  if (spec.integer && !Number.isInteger(n)) return `${spec.label} must be a whole number`;
  if (n < spec.min || n > spec.max) return `${spec.label} must be between ${spec.min} and ${spec.max}`;
  return n;
}
