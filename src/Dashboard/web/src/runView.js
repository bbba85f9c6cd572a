// A run's page: its state and controls, its charts (history from /series, then live from the hub), its events as a
// timeline and as markers, downloads, and the 3D view of its largest cluster.
import { api, runPath } from './api.js';
import { clear, confirmAction, fmt, h, toast } from './dom.js';
import { classColor, eventColor } from './colors.js';
import { SummaryChart } from './charts.js';
import { RunTimeline } from './timeline.js';
import { canOperate } from './session.js';

export async function runView(root, { live, session }, id) {
  const detail = await api(runPath(id));
  const status = detail.status;
  const threshold = detail.rules?.nucleation?.threshold;
  const stateBadge = h('span', { class: `state ${status.state}`, id: 'run-state' }, status.state);
  const reason = h('span', { class: 'muted', id: 'run-reason' }, status.reason ?? '');
  const progress = h('span', { id: 'run-progress' });
  const stopOutcome = h('div', { id: 'stop-outcome', class: 'outcome', role: 'status' });
  const operator = canOperate(session);
  const stop = h('button', {
    id: 'stop',
    class: 'danger',
    disabled: !operator || isEnded(status.state),
    title: operator ? 'Stop this run with the strategy the server has for it' : 'Stopping a run needs the operator role',
    onclick: () => confirmStop(),
  }, 'Stop run');
  const downloads = h('span', { class: 'downloads' }, 'Download: ',
    h('a', { href: `${runPath(id)}/summaries.csv`, download: '' }, 'summaries (CSV)'), ' · ',
    h('a', { href: `${runPath(id)}/summaries.jsonl`, download: '' }, 'summaries (JSON lines)'), ' · ',
    h('a', { href: `${runPath(id)}/events.json`, download: '' }, 'events (JSON)'));
  const charts = h('section', { class: 'charts' });
  const eventList = h('ol', { class: 'events', id: 'events' });
  const structure = h('section', { class: 'structure' });
  const sampling = h('span', { class: 'muted', id: 'sampling' });
  clear(root).append(
    h('div', { class: 'toolbar' }, h('h1', {}, id), stateBadge, reason, h('span', { class: 'spacer' }), stop),
    h('div', { class: 'facts' },
      h('span', {}, 'trajectory ', h('code', {}, status.config?.trajectory_path ?? '–')),
      h('span', {}, 'model ', h('code', {}, status.config?.model ?? '–')),
      progress, sampling),
    stopOutcome,
    downloads,
    charts,
    h('div', { class: 'columns' },
      h('section', { class: 'timeline' }, h('h2', {}, 'Events'), eventList),
      structure),
  );

  const classes = Object.keys(detail.summaries.at(-1)?.class_counts ?? {});
  let chartList = [];
  const makeCharts = (names) => {
    chartList.forEach((c) => c.destroy());
    chartList = [
      new SummaryChart(charts, {
        id: 'fractions', title: 'Class fractions', stacked: true, height: 200,
        series: names.map((name) => ({ label: name, color: classColor(name), get: (s) => (s.count ? (s.class_counts[name] ?? 0) / s.count : 0) })),
        scales: { y: { range: [0, 1] } }, axes: [{ label: 'step' }, { label: 'fraction' }],
      }),
      new SummaryChart(charts, {
        id: 'nmax', title: 'Largest crystalline cluster', series: [{ label: 'n_max', color: '#c62828', get: (s) => s.n_max }],
        thresholds: () => (threshold ? [{ value: threshold, label: `nucleation threshold ${threshold}` }] : []),
        scales: { y: { range: (u, min, max) => [0, Math.max(max, (threshold ?? 0) * 1.1, 1)] } },
        axes: [{ label: 'step' }, { label: 'n_max' }],
      }),
      new SummaryChart(charts, {
        id: 'q6', title: 'Mean q6', series: [{ label: 'mean q6', color: '#1565c0', get: (s) => s.mean_q6 }],
        axes: [{ label: 'step' }, { label: 'q6' }],
      }),
      new SummaryChart(charts, {
        id: 'interface', title: 'Interface',
        series: [
          { label: 'position', color: '#00838f', get: (s) => s.interface_position },
          { label: 'velocity', color: '#ef6c00', get: (s) => s.interface_velocity, scale: 'v' },
        ],
        axes: [{ label: 'step' }, { label: 'position' }, { label: 'velocity', side: 1, scale: 'v', grid: { show: false } }],
      }),
      new SummaryChart(charts, {
        id: 'latency', title: 'Latency and backlog',
        series: [
          { label: 'latency (ms)', color: '#5d4037', get: (s) => s.latency_ms },
          { label: 'frames behind', color: '#9e9d24', get: (s) => s.frames_behind, scale: 'f' },
        ],
        axes: [{ label: 'step' }, { label: 'ms' }, { label: 'frames', side: 1, scale: 'f', grid: { show: false } }],
      }),
    ];
  };
  makeCharts(classes);

  const timeline = new RunTimeline(id, { onChange: (change) => changed(change) });
  let shownClasses = classes.join('\u0000');

  function changed(change) {
    const latest = timeline.latest();
    const names = Object.keys(latest?.class_counts ?? {});
    if (names.length && names.join('\u0000') !== shownClasses) {
      shownClasses = names.join('\u0000');
      makeCharts(names);
    }
    for (const chart of chartList) chart.update(timeline.summaries, timeline.events);
    const state = timeline.statuses.at(-1)?.status;
    if (state) showState(state.state, state.reason);
    progress.textContent = latest ? `frame ${fmt.int(latest.frame)} · step ${fmt.int(latest.step)} · n_max ${fmt.int(latest.n_max)}` : 'no frame yet';
    progress.dataset.frame = latest ? String(latest.frame) : '';
    sampling.textContent = timeline.downsampled ? `history shown at ${timeline.points} points of ${fmt.int(timeline.totalSummaries)} (min and max per bucket)` : '';
    if (change.reset) clear(eventList);
    const added = change.reset ? timeline.events : (change.added ?? []).filter((u) => u.type === 'event');
    for (const u of added) eventList.prepend(eventItem(u));
  }

  function showState(state, why) {
    stateBadge.className = `state ${state}`;
    stateBadge.textContent = state;
    reason.textContent = why ?? '';
    stop.disabled = !operator || isEnded(state);
  }

  function eventItem(u) {
    const e = u.event;
    return h('li', { dataset: { kind: e.kind, sequence: u.sequence } },
      h('span', { class: 'dot', style: `background:${eventColor(e.kind)}` }),
      h('strong', {}, e.kind), ` frame ${fmt.int(e.frame)} · step ${fmt.int(e.step)} · ${fmt.time(e.at)} — `, e.message);
  }

  async function confirmStop() {
    const confirmed = await confirmAction({
      id: 'confirm-stop',
      question: `Stop run ${id}?`,
      detail: 'The server stops it the way it is configured to (a stop file, a named command or a signal to its process).',
      action: 'Stop run',
    });
    if (!confirmed) return;
    stop.disabled = true;
    stopOutcome.textContent = 'stopping…';
    try {
      const event = await api(`${runPath(id)}/stop`, { method: 'POST' });
      stopOutcome.textContent = event.message;
      stopOutcome.dataset.outcome = event.labels?.outcome ?? '';
    } catch (error) {
      stopOutcome.textContent = `The stop was refused: ${error.message}`;
      stopOutcome.dataset.outcome = 'refused';
      toast(`Stop of ${id} refused: ${error.message}`, 'error');
      stop.disabled = !operator;
    }
  }

  // Follow first, then load: what arrives meanwhile waits in the timeline and is joined by sequence number.
  const offUpdates = live.onUpdates((updates) => timeline.receive(updates));
  const offResync = live.onResync(() => timeline.resync());
  const unfollow = await live.follow(id);
  await timeline.load();
  const { structureView } = await import('./structureView.js');
  const disposeStructure = structureView(structure, id, () => timeline.latest());

  return () => {
    offUpdates();
    offResync();
    unfollow();
    disposeStructure();
    chartList.forEach((c) => c.destroy());
  };
}

const isEnded = (state) => ['stopped', 'finished', 'failed', 'removed'].includes(state);
