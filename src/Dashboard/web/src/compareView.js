// Several runs' n_max over step on one chart (and crystalline fraction on a second), live: pick runs in the list, or
// name them in the address (/compare?runs=a,b,c).
import { api } from './api.js';
import { clear, h } from './dom.js';
import { runColors } from './colors.js';
import { OverlayChart } from './charts.js';
import { RunTimeline } from './timeline.js';

export async function compareView(root, { live }) {
  const params = new URLSearchParams(location.search);
  let ids = (params.get('runs') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chooser = h('select', { multiple: true, size: 6, 'aria-label': 'runs to compare', id: 'compare-runs' });
  const apply = h('button', { onclick: () => choose([...chooser.selectedOptions].map((o) => o.value)) }, 'Compare');
  const charts = h('section', { class: 'charts' });
  clear(root).append(h('div', { class: 'toolbar' }, h('h1', {}, 'Compare runs'), chooser, apply), charts);
  const listing = await api('/api/runs?limit=1000');
  for (const r of listing.runs) chooser.append(h('option', { value: r.run_id, selected: ids.includes(r.run_id) }, r.run_id));
  if (ids.length === 0) ids = listing.runs.slice(0, 5).map((r) => r.run_id);

  const nmax = new OverlayChart(charts, { title: 'n_max', label: 'n_max', get: (s) => s.n_max });
  const crystalline = new OverlayChart(charts, { title: 'Crystalline fraction', label: 'fraction', get: (s) => s.crystalline_fraction });
  let runs = [];
  let unfollows = [];
  const offUpdates = live.onUpdates((updates) => {
    for (const r of runs) r.timeline.receive(updates);
  });
  const offResync = live.onResync(() => runs.forEach((r) => r.timeline.resync()));

  async function choose(chosen) {
    unfollows.forEach((u) => u());
    const redraw = () => { nmax.update(); crystalline.update(); };
    runs = chosen.slice(0, 10).map((id, i) => ({ id, color: runColors[i % runColors.length], timeline: new RunTimeline(id, { points: 1000, onChange: redraw }) }));
    history.replaceState(null, '', `/compare?runs=${runs.map((r) => encodeURIComponent(r.id)).join(',')}`);
    nmax.setRuns(runs);
    crystalline.setRuns(runs);
    unfollows = await Promise.all(runs.map((r) => live.follow(r.id)));
    await Promise.all(runs.map((r) => r.timeline.load().catch((e) => console.warn(`${r.id}: ${e.message}`))));
  }
  await choose(ids);
  return () => {
    offUpdates();
    offResync();
    unfollows.forEach((u) => u());
    nmax.destroy();
    crystalline.destroy();
  };
}
