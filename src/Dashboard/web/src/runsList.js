// The runs list: every run with its state, progress, latest summary, an n_max sparkline and its last event, kept
// live from the hub (each run's latest summary, events and status changes). Sort by a column, filter by state and text,
// select runs to compare.
import { api, runPath } from './api.js';
import { clear, fmt, h, throttled } from './dom.js';
import { classColor } from './colors.js';

const SPARK = 60; // n_max values a sparkline shows
const STATES = ['registered', 'following', 'stalled', 'committed', 'stopping', 'stopped', 'finished', 'failed', 'removed'];

const columns = [
  { key: 'id', label: 'Run', value: (r) => r.id },
  { key: 'state', label: 'State', value: (r) => r.state },
  { key: 'frame', label: 'Frame', value: (r) => r.frame ?? -1 },
  { key: 'step', label: 'Step', value: (r) => r.step ?? -1 },
  { key: 'behind', label: 'Behind', value: (r) => r.behind ?? -1, title: 'frames in the file not yet read' },
  { key: 'rate', label: 'Frames/s', value: (r) => r.rate ?? -1 },
  { key: 'dominant', label: 'Dominant', value: (r) => r.dominant ?? '' },
  { key: 'nmax', label: 'n_max', value: (r) => r.nmax ?? -1 },
  { key: 'crystalline', label: 'Crystalline', value: (r) => r.crystalline ?? -1 },
  { key: 'event', label: 'Last event', value: (r) => r.eventAt ?? '' },
];

export async function runsView(root, { live }) {
  const rows = new Map(); // id -> row model
  const selected = new Set();
  let sort = { key: 'id', descending: false };
  const stateFilter = h('select', { 'aria-label': 'state', name: 'state' },
    h('option', { value: '' }, 'all states'), h('option', { value: 'live' }, 'live'), ...STATES.map((s) => h('option', { value: s }, s)));
  const textFilter = h('input', { type: 'search', placeholder: 'filter runs', 'aria-label': 'filter runs', name: 'filter' });
  const compare = h('button', { disabled: true, onclick: () => navigate(`/compare?runs=${[...selected].map(encodeURIComponent).join(',')}`) }, 'Compare selected');
  const count = h('span', { class: 'muted' });
  const head = h('tr', {}, h('th', {}, ''), ...columns.map((c) => h('th', { dataset: { key: c.key }, title: c.title, class: 'sortable',
    onclick: () => { sort = { key: c.key, descending: sort.key === c.key ? !sort.descending : c.key !== 'id' }; render(); } }, c.label)));
  const body = h('tbody');
  clear(root).append(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Runs'), stateFilter, textFilter, compare, count),
    h('table', { class: 'runs', id: 'runs' }, h('thead', {}, head), body),
  );
  const navigate = (path) => window.dispatchEvent(new CustomEvent('navigate', { detail: path }));
  stateFilter.addEventListener('change', () => render());
  textFilter.addEventListener('input', () => render());

  const render = throttled(() => {
    const text = textFilter.value.trim().toLowerCase();
    const state = stateFilter.value;
    const liveStates = new Set(['registered', 'following', 'stalled', 'committed', 'stopping']);
    const column = columns.find((c) => c.key === sort.key);
    const shown = [...rows.values()]
      .filter((r) => !state || (state === 'live' ? liveStates.has(r.state) : r.state === state))
      .filter((r) => !text || r.id.toLowerCase().includes(text) || (r.trajectory ?? '').toLowerCase().includes(text))
      .sort((a, b) => {
        const x = column.value(a), y = column.value(b);
        const order = x < y ? -1 : x > y ? 1 : a.id.localeCompare(b.id);
        return sort.descending ? -order : order;
      });
    for (const th of head.querySelectorAll('th[data-key]')) th.dataset.sorted = th.dataset.key === sort.key ? (sort.descending ? 'desc' : 'asc') : '';
    clear(body);
    for (const r of shown) body.append(rowElement(r));
    count.textContent = `${shown.length} of ${rows.size} runs`;
    compare.disabled = selected.size < 1;
  });

  function rowElement(r) {
    const check = h('input', { type: 'checkbox', 'aria-label': `select ${r.id}`, checked: selected.has(r.id) });
    check.addEventListener('change', () => { if (check.checked) selected.add(r.id); else selected.delete(r.id); render(); });
    const spark = h('canvas', { class: 'spark', width: 90, height: 20 });
    drawSpark(spark, r.spark);
    return h('tr', { dataset: { run: r.id, state: r.state } },
      h('td', {}, check),
      h('td', {}, h('a', { href: `/runs/${encodeURIComponent(r.id)}` }, r.id)),
      h('td', {}, h('span', { class: `state ${r.state}` }, r.state)),
      h('td', { class: 'num', dataset: { field: 'frame' } }, fmt.int(r.frame)),
      h('td', { class: 'num' }, fmt.int(r.step)),
      h('td', { class: 'num' }, fmt.int(r.behind)),
      h('td', { class: 'num' }, r.rate === null || r.rate === undefined ? '–' : r.rate.toFixed(2)),
      h('td', {}, r.dominant ? h('span', { class: 'swatch', style: `background:${classColor(r.dominant)}` }) : null, r.dominant ?? '–'),
      h('td', { class: 'num' }, h('span', { dataset: { field: 'nmax' } }, fmt.int(r.nmax)), ' ', spark),
      h('td', { class: 'num' }, fmt.pct(r.crystalline)),
      h('td', { title: r.eventMessage ?? '' }, r.eventKind ? `${r.eventKind} (frame ${r.eventFrame ?? '–'})` : '–'),
    );
  }

  function model(id) {
    let r = rows.get(id);
    if (!r) {
      r = { id, state: 'registered', last: 0, spark: [], rate: null, times: [] };
      rows.set(id, r);
    }
    return r;
  }

  function applySummary(r, u) {
    const s = u.summary;
    r.frame = s.frame;
    r.step = s.step;
    r.behind = s.frames_behind;
    r.dominant = s.dominant_crystal;
    r.nmax = s.n_max;
    r.crystalline = s.crystalline_fraction;
    r.spark.push(s.n_max);
    if (r.spark.length > SPARK) r.spark.splice(0, r.spark.length - SPARK);
    // Frames per second over the last few summaries, by frame index and the time each was recorded.
    r.times.push([Date.parse(u.recorded_at), s.frame]);
    if (r.times.length > 10) r.times.shift();
    if (r.times.length > 1) {
      const [t0, f0] = r.times[0];
      const [t1, f1] = r.times[r.times.length - 1];
      r.rate = t1 > t0 ? (1000 * (f1 - f0)) / (t1 - t0) : r.rate;
    }
  }

  function apply(u) {
    const r = model(u.run_id);
    if (u.sequence <= r.last) return;
    r.last = u.sequence;
    if (u.type === 'summary') applySummary(r, u);
    else if (u.type === 'event') Object.assign(r, { eventKind: u.event.kind, eventFrame: u.event.frame, eventMessage: u.event.message, eventAt: u.recorded_at });
    else if (u.type === 'status') r.state = u.status.state;
  }

  async function load() {
    let after = null;
    do {
      const page = await api(`/api/runs?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      for (const listing of page.runs) {
        const r = model(listing.run_id);
        Object.assign(r, { state: listing.state, trajectory: listing.trajectory, frame: listing.last_frame, step: listing.last_step });
      }
      after = page.next;
    } while (after);
    render();
    // Each run's recent n_max and latest summary and event, a few runs at a time.
    const ids = [...rows.keys()].slice(0, 200);
    const worker = async () => {
      for (let id = ids.shift(); id; id = ids.shift()) {
        try {
          const series = await api(`${runPath(id)}/series?points=${SPARK}`);
          for (const u of [...series.updates, ...series.events].sort((a, b) => a.sequence - b.sequence)) apply(u);
          render();
        } catch {
          // a run removed meanwhile
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  const offUpdates = live.onUpdates((updates) => {
    for (const u of updates) apply(u);
    render();
  });
  const unwatch = await live.watchRuns();
  const offResync = live.onResync(() => load());
  await load();
  return () => {
    offUpdates();
    offResync();
    unwatch();
  };
}

function drawSpark(canvas, values) {
  const ctx = canvas.getContext('2d');
  if (!values.length) return;
  const max = Math.max(1, ...values);
  ctx.strokeStyle = '#c62828';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = (i / Math.max(1, SPARK - 1)) * canvas.width;
    const y = canvas.height - 1 - (v / max) * (canvas.height - 2);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
}
