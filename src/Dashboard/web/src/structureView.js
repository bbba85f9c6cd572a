// The latest frame's largest crystalline cluster and its surroundings in 3D (3Dmol.js, loaded on first use), coloured
// by class: cluster rows drawn full size, their surroundings small and faded. Fetched on demand from
// /api/runs/{id}/structure, which caps the rows it sends (the nearest to the cluster's centre win).
import { api, runPath } from './api.js';
import { clear, h } from './dom.js';
import { classColor } from './colors.js';

export const DEFAULT_ROWS = 4000;

export function structureView(root, id, latest) {
  const viewerBox = h('div', { class: 'viewer', id: 'structure-viewer' });
  const info = h('p', { class: 'muted', id: 'structure-info' }, 'Shows the latest frame’s largest cluster and the rows around it.');
  const legend = h('div', { class: 'legend' });
  const auto = h('input', { type: 'checkbox', id: 'structure-follow' });
  const show = h('button', { id: 'structure-show', onclick: () => load() }, 'Show largest cluster');
  clear(root).append(h('h2', {}, 'Structure'), h('div', { class: 'toolbar' }, show, h('label', {}, auto, ' follow new frames')), info, legend, viewerBox);
  let viewer = null;
  let shownFrame = null;
  let busy = false;
  const timer = setInterval(() => {
    const s = latest();
    if (auto.checked && s && s.frame !== shownFrame) load();
  }, 3000);

  async function load() {
    if (busy) return;
    busy = true;
    show.disabled = true;
    try {
      const structure = await api(`${runPath(id)}/structure?max_atoms=${DEFAULT_ROWS}`);
      const module = await import('3dmol');
      const $3Dmol = module.createViewer ? module : module.default; // a CommonJS build: its exports arrive as the default
      if (!viewer) viewer = $3Dmol.createViewer(viewerBox, { backgroundColor: 'white', antialias: true });
      draw($3Dmol, structure);
      shownFrame = structure.frame;
    } catch (error) {
      info.textContent = error.status === 404 ? `No structure yet: ${error.message}` : `Could not show the structure: ${error.message}`;
    } finally {
      busy = false;
      show.disabled = false;
    }
  }

  function draw($3Dmol, s) {
    viewer.clear();
    const model = viewer.addModel();
    const n = s.x.length;
    const atoms = new Array(n);
    for (let i = 0; i < n; i++) {
      atoms[i] = {
        serial: i, elem: 'C', x: s.x[i], y: s.y[i], z: s.z[i], hetflag: false, bonds: [],
        resn: s.in_cluster[i] ? 'CLU' : 'ENV', atom: s.classes[s.class_index[i]] ?? 'undefined',
      };
    }
    model.addAtoms(atoms);
    // A row's radius from the frame's density, so atoms (LJ units) and molecules (Å) both look packed.
    const [a, b, c] = s.box?.lengths ?? [1, 1, 1];
    const spacing = Math.cbrt((a * b * c) / Math.max(1, s.rows_in_frame));
    const color = (atom) => classColor(atom.atom);
    viewer.setStyle({ resn: 'CLU' }, { sphere: { radius: 0.42 * spacing, colorfunc: color } });
    viewer.setStyle({ resn: 'ENV' }, { sphere: { radius: 0.18 * spacing, colorfunc: color, opacity: 0.35 } });
    viewer.zoomTo({ resn: 'CLU' });
    viewer.render();
    const inCluster = s.in_cluster.filter(Boolean).length;
    info.textContent = `frame ${s.frame} · step ${s.step} · cluster of ${s.cluster_size} rows (${inCluster} shown) and ${n - inCluster} around it`
      + (s.truncated ? ` · capped at ${s.cap} rows` : '');
    info.dataset.frame = String(s.frame);
    info.dataset.cluster = String(inCluster);
    clear(legend);
    const present = [...new Set(s.class_index)].map((k) => s.classes[k] ?? 'undefined');
    for (const name of present) legend.append(h('span', { class: 'key' }, h('span', { class: 'swatch', style: `background:${classColor(name)}` }), name));
  }

  return () => {
    clearInterval(timer);
    viewer?.clear();
  };
}
