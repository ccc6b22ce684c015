// Users and items as points in 2-D: raw factors when k = 2, PCA otherwise. Click an item for
// its nearest neighbours, a user for their recommendations.

import { createScatter } from '../charts/scatter.js';
import { chartExport } from '../ui/export.js';
import { createMapLayout } from './embed-map.js';
import { h, setChildren, setText } from '../ui/dom.js';
import { createItemSearch } from '../ui/item-search.js';
import { t } from '../i18n.js';
import { translate as tr } from '../i18n.js';

/** Above this many points (users and items) the view moves to new coordinates at once: each
 * frame of a glide rasterises every point again, which for thousands of them takes longer than
 * a frame's drawing budget (the markers are rasterised in slices, point-raster.js), so the
 * glide's frames would never be shown. */
const GLIDE_MAX_POINTS = 2000;

/**
 * @param {Pick<import('../protocol.js').EngineApi, 'embeddings' | 'similar' | 'mapStart' | 'mapStep'>} engine the requests it makes
 * @param {{
 *   onUser: (user: number) => void,
 *   knobs: () => import('../state.js').Knobs,
 *   setKnob: (name: string, value: any) => void,
 *   epoch: () => number,
 * }} hooks
 */
export function createEmbeddingsPanel(engine, hooks) {
  const canvas = h('canvas', { class: 'mfp-scatter', role: 'img', 'aria-label': t('Map of user and item factors') });
  const method = h('p', { class: 'mfp-note mfp-embed-method' });
  const hover = h('p', { class: 'mfp-hover mfp-embed-hover', text: t('Point at a dot: circles are users, squares items.') });
  const neighbours = h('div', { class: 'mfp-neighbours', 'aria-live': 'polite' });
  const show = h('select', { class: 'mfp-embed-show', 'aria-label': t('Show') }, [
    h('option', { value: 'both', text: t('Users and items') }),
    h('option', { value: 'items', text: t('Items') }),
    h('option', { value: 'users', text: t('Users') }),
  ]);
  /** A network's embedding tables (GMF's, the MLP's): which one the map shows. */
  const table = h('select', { class: 'mfp-embed-table', 'aria-label': t('Embeddings of'), hidden: true });
  /** The table asked for (null: the model's first). @type {string | null} */
  let wanted = null;
  const legend = h('p', { class: 'mfp-legend' });
  // Zoom: the wheel or + and − zoom about the pointer or the middle, a drag moves the view.
  const zoomIn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-zoom-in', text: '+', 'aria-label': t('Zoom in') });
  const zoomOut = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-zoom-out', text: '−', 'aria-label': t('Zoom out') });
  const fitBtn = h('button', { type: 'button', class: 'mfp-btn mfp-small mfp-embed-fit', text: t('Fit'), disabled: true });
  const zoomNote = h('span', { class: 'mfp-note mfp-embed-zoom-note', text: t('Scroll or use + to zoom in.') });
  // Find an item by its title: it is marked on the map and its neighbours listed, as a click does.
  const find = createItemSearch({
    classes: { input: 'mfp-embed-find', list: 'mfp-embed-found', pick: 'mfp-embed-pick' },
    placeholder: t('Find an item by title'),
    find: (q, limit) => (summary
      ? drawn.filter((p) => p.kind === 'item' && p.label.toLowerCase().includes(q)).slice(0, limit).map((p) => ({ label: p.label, value: p }))
      : null),
    none: (typed) => (drawn.length ? tr('No item matches “{q}”.', { q: typed }) : tr('Train first: the map shows the model\'s factors.')),
    onPick: (p) => {
      scatter.highlight(p);
      setText(hover, tr('Item {label}', { label: p.label }));
      pick(p);
    },
  });
  /** The points drawn last. @type {import('../charts/scatter.js').Point[]} */
  let drawn = [];
  /** @type {any} */
  let summary = null;
  /** @type {any} */
  let last = null;
  /** Coordinates on screen now, and the animation moving them towards `last`. */
  /** @type {{ users: number[], items: number[] } | null} */
  let shown = null;
  let animation = 0;
  /** Milliseconds a move to new coordinates takes. */
  const GLIDE_MS = 200;
  const scatter = createScatter(canvas, {
    onHover: (p) => {
      scatter.highlight(p);
      setText(hover, p ? tr(p.kind === 'user' ? 'User {label}' : 'Item {label}', { label: p.label }) : tr('Point at a dot: circles are users, squares items.'));
    },
    onClick: (p) => pick(p),
    onZoom: (k) => {
      setText(zoomNote, k > 1 ? tr('{k}× closer: drag to move, double-click or Fit to see all.', { k: k.toFixed(1) }) : tr('Scroll or use + to zoom in.'));
      fitBtn.disabled = k <= 1;
    },
  });
  /** Lists an item's neighbours, or for a user points to the recommendations. @param {import('../charts/scatter.js').Point} p */
  async function pick(p) {
    if (p.kind === 'user') {
      hooks.onUser(p.index);
      neighbours.replaceChildren(h('p', { text: tr('User {label}: see the recommendations panel.', { label: p.label }) }));
      return;
    }
    const sims = await engine.similar({ item: p.index, n: 5, similarity: 'cosine' });
    neighbours.replaceChildren(
      h('p', { text: tr('Nearest to {label} (cosine of factors):', { label: p.label }) }),
      h('ol', { class: 'mfp-neighbour-list' }, sims.map((/** @type {any} */ s) =>
        h('li', { text: `${summary.itemLabels[s.item]} (${s.value.toFixed(2)})` }))),
    );
  }
  show.addEventListener('change', () => (layoutShown ? layout.start() : draw()));
  // A hybrid model's features on the map (on by default where there are any).
  const features = h('input', { type: 'checkbox', class: 'mfp-embed-features', checked: true });
  const featuresLabel = h('label', { class: 'mfp-note mfp-embed-features-label', hidden: true, title: t('Each ◆ is a feature (its vector): a new user or item with that feature alone would be placed there, as the hybrid model places items and users without ratings.') }, [features, ' ', t('◆ features')]);
  features.addEventListener('change', () => draw());
  table.addEventListener('change', () => {
    wanted = table.value;
    scatter.fit();
    refreshNow();
  });
  zoomIn.addEventListener('click', () => scatter.zoomBy(2));
  zoomOut.addEventListener('click', () => scatter.zoomBy(0.5));
  fitBtn.addEventListener('click', () => scatter.fit());
  /** A t-SNE or UMAP layout on the map, in place of PCA. @type {{ started: any, coords: Float32Array } | null} */
  let layoutShown = null;
  const layout = createMapLayout(engine, {
    knobs: hooks.knobs,
    setKnob: hooks.setKnob,
    side: () => (show.value === 'users' ? 'users' : 'items'),
    table: () => wanted,
    epoch: hooks.epoch,
    show: (l) => {
      layoutShown = l;
      draw();
    },
    points: () => drawn.map((p, j) => ({ index: p.index, id: layoutShown ? layoutShown.started.ids[j] : p.kind === 'user' ? summary.userIds[p.index] : '', label: p.label, kind: p.kind, group: p.group, x: p.x, y: p.y })),
    dataName: () => hooks.knobs().dataset === 'file' ? hooks.knobs().fileName : hooks.knobs().dataset,
  });
  const element = h('div', { class: 'mfp-embeddings' }, [
    h('div', { class: 'mfp-embed-head' }, [method, table, show, featuresLabel]), layout.element, ...find.elements,
    h('div', { class: 'mfp-embed-zoom' }, [zoomIn, zoomOut, fitBtn, zoomNote]), canvas, legend, hover,
    h('div', { class: 'mfp-chart-tools' }, [chartExport(scatter, 'embedding-map', 'the map'), ...layout.exports]),
    neighbours,
  ]);

  /** Glides the points from where they are to the newest coordinates. */
  function glide() {
    if (!last) return;
    const target = { users: last.users.coords, items: last.items.coords };
    cancelAnimationFrame(animation);
    if ((target.users.length + target.items.length) / 2 > GLIDE_MAX_POINTS) {
      shown = target;
      draw();
      return;
    }
    const from = shown && shown.users.length === target.users.length && shown.items.length === target.items.length ? shown : target;
    const t0 = performance.now();
    const frame = () => {
      const t = Math.min(1, (performance.now() - t0) / GLIDE_MS);
      const ease = t * (2 - t);
      const mix = (/** @type {number[]} */ a, /** @type {number[]} */ b) => b.map((v, i) => a[i] + (v - a[i]) * ease);
      shown = { users: mix(from.users, target.users), items: mix(from.items, target.items) };
      draw();
      // While the points move, a click may land where a marker was a frame ago: the map says so.
      if (t < 1) {
        element.dataset.gliding = 'true';
        animation = requestAnimationFrame(frame);
      } else delete element.dataset.gliding;
    };
    frame();
  }

  function draw() {
    if (!last || !summary || !shown) return;
    const groups = summary.groups;
    const coords = shown;
    /** @type {import('../charts/scatter.js').Point[]} */
    const points = [];
    if (layoutShown) {
      drawLayout(layoutShown);
      return;
    }
    if (show.value !== 'items') {
      for (let u = 0; u < summary.nUsers; u++) {
        points.push({ x: coords.users[2 * u], y: coords.users[2 * u + 1], kind: 'user', index: u, group: groups?.users ? groups.users[u] : -1, label: summary.userIds[u] });
      }
    }
    if (show.value !== 'users') {
      for (let i = 0; i < summary.nItems; i++) {
        points.push({ x: coords.items[2 * i], y: coords.items[2 * i + 1], kind: 'item', index: i, group: groups ? groups.items[i] : -1, label: summary.itemLabels[i] });
      }
    }
    scatter.setPoints(points);
    drawn = points;
    // A hybrid model's features, where a new user or item with that feature alone would be.
    /** @type {import('../charts/scatter.js').Label[]} */
    const labels = [];
    for (const [side, f] of /** @type {const} */ ([['users', last.userFeatures], ['items', last.itemFeatures]])) {
      if (!f || show.value === (side === 'users' ? 'items' : 'users') || !features.checked) continue;
      f.names.forEach((/** @type {string} */ name, /** @type {number} */ j) => labels.push({ x: f.coords[2 * j], y: f.coords[2 * j + 1], text: name }));
    }
    scatter.setLabels(labels);
    featuresLabel.hidden = !last.userFeatures && !last.itemFeatures;
    const e = last.items;
    // Drawn on every frame of a glide: the texts and legend are written only when they change.
    setText(method, (e.method === 'raw'
      ? tr('The factors themselves (k ≤ 2).')
      : tr("PCA of the factors: the axes keep {a}% and {b}% of the items' variance.", { a: (100 * e.explained[0]).toFixed(0), b: (100 * e.explained[1]).toFixed(0) }))
      + (last.aligned ? ` ${tr('Each new map is turned (orthogonal Procrustes) to match the one before: factors are defined only up to a rotation, so what moves is what changed.')}` : ''));
    setChildren(legend, groups ? groups.names : [], (name, g) => h('span', { class: `mfp-swatch mfp-group-${g % 8}`, text: name }));
  }

  /** The t-SNE or UMAP layout's points (one side), coloured by group. @param {{ started: any, coords: Float32Array }} l */
  function drawLayout(l) {
    const groups = summary.groups;
    const users = l.started.side === 'users';
    /** @type {import('../charts/scatter.js').Point[]} */
    const points = l.started.rows.map((/** @type {number} */ r, /** @type {number} */ j) => ({
      x: l.coords[2 * j], y: l.coords[2 * j + 1], kind: users ? 'user' : 'item', index: r,
      group: users ? (groups?.users ? groups.users[r] : -1) : groups ? groups.items[r] : -1,
      label: users ? summary.userIds[r] : summary.itemLabels[r],
    }));
    scatter.setPoints(points);
    scatter.setLabels([]);
    drawn = points;
    featuresLabel.hidden = true;
    setText(method, l.started.method === 'tsne'
      ? tr('t-SNE of the factors: each point keeps its nearest neighbours near; the distances between clusters and their sizes mean little.')
      : tr('UMAP of the factors: each point keeps its nearest neighbours near, and more of the global shape than t-SNE; distances between clusters still mean little.'));
    setChildren(legend, groups ? groups.names : [], (name, g) => h('span', { class: `mfp-swatch mfp-group-${g % 8}`, text: name }));
  }

  let busy = false;
  /** Fetches the map of the table asked for; a model without it shows its first. */
  async function refreshNow() {
    if (busy) return;
    busy = true;
    try {
      // The map shown before, so the new one is turned to match it (not for another table).
      const previous = last && last.table === (wanted ?? last.table) && shown ? { users: Array.from(shown.users), items: Array.from(shown.items) } : undefined;
      last = await engine.embeddings({ table: wanted, previous }).catch(() => engine.embeddings({ table: null }));
      // The model's tables, as the engine names and labels them.
      const tables = /** @type {{ name: string, label: string }[]} */ (last.tables);
      table.hidden = tables.length < 2;
      if (table.options.length !== tables.length || [...table.options].some((o, j) => o.value !== tables[j].name)) {
        table.replaceChildren(...tables.map((x) => h('option', { value: x.name, text: tr(x.label) })));
      }
      table.value = last.table;
      element.dataset.table = last.table;
      glide();
    } catch {
      // no model yet
    } finally {
      busy = false;
    }
  }

  return {
    element,
    /** Fetches new coordinates (at most one request at a time, so training is never slowed). @param {any} s */
    async refresh(s) {
      if (s !== summary) {
        // Other data: a layout of the old one's points means nothing now.
        layout.stop();
        layoutShown = null;
        summary = s;
        await refreshNow();
        if (hooks.knobs().mapMethod !== 'pca') layout.start();
        return;
      }
      await refreshNow();
      // A layout asked for (by a link) before there was a model starts once there is one.
      if (!layout.active() && hooks.knobs().mapMethod !== 'pca' && last) layout.start();
    },
    /** The map's knobs changed. */
    mapKnobsChanged: () => layout.knobsChanged(),
    destroy: () => {
      layout.stop();
      cancelAnimationFrame(animation);
      scatter.destroy();
    },
  };
}
