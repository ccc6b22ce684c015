// <mf-playground>: the widget as a custom element, for documentation pages. One script tag and
// one element:
//
//   <script type="module" src="https://example.org/mf/www/element.js"></script>
//   <mf-playground preset="synthetic" panels="loss,embeddings" k="4" epochs="50" compact></mf-playground>
//
// Attributes are the page's link keys (data or preset, algo, loss, k, lr, reg, epochs, batch,
// init, seed, bias, test, speed, stop, thr, panels, su, si, sc, sd, sn, simp, sseed) plus
// `compact` (only the panels and the main knobs) and `controls` (the knobs a compact widget
// shows, e.g. "k,lr"). Each element has its own shadow root (its styles stay inside) and its
// own worker; the script, its stylesheet and the wasm resolve from this module's URL, so the
// files can live under any path. Events `epoch`, `trained` and `error` are dispatched on the
// element; methods `play()`, `pause()`, `step()`, `reset()`, `train()` and `setParams(knobs)`.

import { knobNames, knobsFromHash, PROPS } from './state.js';
import { mount } from './widget.js';

const KEYS = Object.values(PROPS).map((p) => p.key);
/** Attribute names of knobs (`preset` is `data` under a friendlier name). */
const KNOB_ATTRIBUTES = ['preset', ...KEYS];

/** The knobs an element's attributes set. @param {Element} el */
function knobsOf(el) {
  const pairs = [];
  for (const name of KNOB_ATTRIBUTES) {
    const v = el.getAttribute(name);
    if (v === null) continue;
    pairs.push([name === 'preset' ? 'data' : name, v === '' ? '1' : v]);
  }
  return knobsFromHash(`#${new URLSearchParams(pairs).toString()}`);
}

export class MfPlaygroundElement extends HTMLElement {
  static get observedAttributes() {
    return KNOB_ATTRIBUTES;
  }

  constructor() {
    super();
    /** @type {ReturnType<typeof mount> | null} */
    this.widget = null;
  }

  connectedCallback() {
    if (this.widget) return;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('./style.css', import.meta.url).href;
    const root = document.createElement('div');
    shadow.replaceChildren(link, root);
    // Knobs a compact widget shows, by link key ("k,lr") or by name ("nFactors").
    const controls = this.getAttribute('controls');
    this.widget = mount(root, {
      knobs: knobsOf(this),
      compact: this.hasAttribute('compact'),
      controls: controls ? knobNames(controls) : undefined,
    });
    for (const type of ['epoch', 'trained', 'error']) {
      root.addEventListener(`mfp:${type}`, (ev) => {
        this.dispatchEvent(new CustomEvent(type, { detail: /** @type {CustomEvent} */ (ev).detail }));
      });
    }
  }

  disconnectedCallback() {
    this.widget?.destroy();
    this.widget = null;
  }

  /**
   * One attribute changed: only its knob follows, so what the reader or the host set otherwise
   * (a knob typed in the widget, setParams) stays. A new data set brings its preset, as picking
   * it does. A removed attribute gives its knob back to the preset or the default.
   * @param {string} name
   */
  attributeChangedCallback(name) {
    if (!this.widget) return;
    const knobs = knobsOf(this);
    if (name === 'preset' || name === PROPS.dataset.key) {
      this.widget.setState(knobs);
      return;
    }
    const [knob] = /** @type {(keyof typeof knobs)[]} */ (knobNames(name));
    this.widget.setState({ [knob]: knobs[knob] });
  }

  play() {
    this.widget?.play();
  }

  pause() {
    this.widget?.pause();
  }

  step() {
    this.widget?.step();
  }

  reset() {
    this.widget?.reset();
  }

  train() {
    this.widget?.train();
  }

  /** @param {Record<string, any>} knobs knob names as in mount()'s options (nFactors, learningRate...) */
  setParams(knobs) {
    this.widget?.setState(knobs);
  }
}

if (!customElements.get('mf-playground')) customElements.define('mf-playground', MfPlaygroundElement);

export { mount };
