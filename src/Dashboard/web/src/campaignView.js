// A campaign's page: its phase, progress and MD steps saved, Cancel (operators), and, polled every 2 s while it runs,
// its shots with their outcomes, p_B per shooting point from the analysis, p_B against a chosen quantity with the best
// reaction coordinate's committor over it, the committor histogram and the fitted coordinates.
import { api, campaignPath } from './api.js';
import { clear, confirmAction, fmt, h, latestOnly, poll, toast } from './dom.js';
import { canOperate } from './session.js';
import { OUTCOMES, outcomeBadge, phaseBadge, progress, saving } from './campaignFacts.js';
import { CommittorChart, CommittorHistogramChart } from './committorCharts.js';

const REFRESH_MS = 2000;
const MAX_ROWS = 1000; // rows a table shows at once: a campaign may have up to 100,000 shots
const DEFAULT_QUANTITY = 'n_max';

export async function campaignView(root, { session }, id) {
  const path = campaignPath(id);
  const operator = canOperate(session);
  const phase = phaseBadge('running', { id: 'campaign-phase' });
  const reason = h('span', { class: 'muted', id: 'campaign-reason' });
  const cancel = h('button', {
    id: 'cancel-campaign',
    class: 'danger',
    disabled: true,
    title: operator ? 'Stop the running shots and launch no more' : 'Cancelling a campaign needs the operator role',
    onclick: () => confirmCancel(),
  }, 'Cancel campaign');
  const facts = h('div', { class: 'facts', id: 'campaign-facts' });
  const standing = h('div', { class: 'facts campaign-standing', id: 'campaign-counts' });
  const savings = h('div', { class: 'facts', id: 'campaign-saving' });
  const cancelOutcome = h('div', { id: 'cancel-outcome', class: 'outcome', role: 'status' });
  const problem = h('p', { class: 'error', role: 'alert', id: 'campaign-problem' });
  const quantity = h('select', { id: 'pb-quantity', name: 'quantity', 'aria-label': 'quantity p_B is drawn against', onchange: () => showAnalysis() });
  const pointsBody = h('tbody');
  const pointsHead = h('tr');
  const coordinates = h('div', { id: 'coordinates-section' });
  const charts = h('div', { class: 'campaign-charts' });
  const shotsBody = h('tbody');
  const shotsNote = h('p', { class: 'muted', id: 'shots-note' });
  const outcomeFilter = h('select', { id: 'shots-outcome', name: 'outcome', 'aria-label': 'shots by outcome', onchange: () => showShots() },
    h('option', { value: '' }, 'every outcome'), ...OUTCOMES.map((o) => h('option', { value: o }, o)));
  clear(root).append(
    h('div', { class: 'toolbar' }, h('h1', {}, id), phase, reason, h('span', { class: 'spacer' }), cancel),
    facts, standing, savings, cancelOutcome, problem,
    h('div', { class: 'campaign-analysis' },
      h('section', { class: 'panel' },
        h('h2', {}, 'Committor per shooting point'),
        h('table', { class: 'plain', id: 'points' }, h('thead', {}, pointsHead), pointsBody)),
      h('section', { class: 'panel' }, h('div', { class: 'toolbar' }, h('h2', {}, 'p_B against'), quantity), charts)),
    h('section', { class: 'panel' }, h('h2', {}, 'Reaction coordinates'), coordinates),
    h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Shots'), outcomeFilter),
      h('div', { class: 'scroll' },
        h('table', { class: 'runs', id: 'shots' }, h('thead', {}, h('tr', {}, ...['Point', 'Shot', 'Attempt', 'Outcome', 'Committed at', 'Steps run', 'Frames', 'Launched', 'Ended', 'Run', 'Why'].map((t) => h('th', {}, t)))), shotsBody)),
      shotsNote),
  );
  const pbChart = new CommittorChart(charts);
  const histogramChart = new CommittorHistogramChart(charts);

  let status = null;
  let analysis = null;
  let disposed = false;
  let analysisProblem = null;
  const shown = { status: '', analysis: '' };

  function showStatus() {
    phase.className = `state ${status.phase}`;
    phase.textContent = status.phase;
    reason.textContent = status.reason ?? '';
    cancel.disabled = !operator || status.phase !== 'running';
    const d = status.definition;
    clear(facts).append(
      h('span', {}, 'folder ', h('code', {}, d.directory)),
      h('span', {}, basins(d)),
      h('span', {}, `${fmt.int(d.points.length)} points × ${fmt.int(d.shots_per_point)} shots, at most ${fmt.int(d.max_steps)} steps each, ${fmt.int(d.concurrent)} at once`),
      h('span', {}, 'launch ', h('code', {}, d.launch)),
      h('span', {}, `started ${fmt.dateTime(status.started_at)}`));
    if (status.ended_at) facts.append(h('span', {}, `ended ${fmt.dateTime(status.ended_at)}`));
    const n = status.counts;
    clear(standing).append(progress(n), ' concluded ·',
      ...OUTCOMES.filter((o) => o !== 'lost').map((o) => h('span', { dataset: { count: o } }, outcomeBadge(o, outcomeLabel(o, d)), ` ${fmt.int(n[o])}`)));
    if (n.lost_attempts) standing.append(h('span', { dataset: { count: 'lost' } }, outcomeBadge('lost', 'lost attempts'), ` ${fmt.int(n.lost_attempts)}`));
    clear(savings).append(n.steps_at_full_length
      ? h('span', {}, `MD steps run by the ended shots: ${fmt.int(n.steps_run)} of ${fmt.int(n.steps_at_full_length)} at full length — `, saving(n))
      : h('span', {}, 'MD steps saved: known once a shot has ended'));
    showShots();
  }

  function showShots() {
    const wanted = outcomeFilter.value;
    const shots = status.shots.filter((s) => !wanted || s.outcome === wanted);
    clear(shotsBody);
    for (const s of shots.slice(0, MAX_ROWS)) shotsBody.append(shotRow(s, status.definition));
    shotsNote.textContent = shots.length > MAX_ROWS ? `showing the first ${fmt.int(MAX_ROWS)} of ${fmt.int(shots.length)} shots: choose an outcome to see others` : '';
  }

  function showAnalysis() {
    if (!analysis) {
      clear(pointsBody).append(h('tr', {}, h('td', { class: 'error' }, `no analysis: ${analysisProblem ?? 'not loaded'}`)));
      return;
    }
    const chosen = chooseQuantity();
    const percent = `${+(100 * analysis.confidence).toPrecision(3)} %`;
    clear(pointsHead).append(...['Point', chosen ?? 'value', `→ A (${analysis.basin_a})`, `→ B (${analysis.basin_b})`, 'Undecided', 'p_B', `${percent} interval`, '½ in interval'].map((t) => h('th', {}, t)));
    clear(pointsBody);
    for (const p of analysis.points.slice(0, MAX_ROWS)) pointsBody.append(pointRow(p, chosen));
    const best = analysis.coordinates?.[0];
    const curve = best && best.quantities.length === 1 && best.quantities[0] === chosen ? coordinateCurve(best) : null;
    pbChart.show(chosen ?? '', analysis.points.map((p) => ({ id: p.point_id, x: p.values?.[chosen], pb: p.p_b, lower: p.lower, upper: p.upper })), curve);
    histogramChart.show(analysis.histogram);
    showCoordinates();
  }

  /** The quantity chosen before if the points still carry it; else n_max, else the first candidate. */
  function chooseQuantity() {
    const names = [...new Set([...(analysis.candidates ?? []), ...analysis.points.flatMap((p) => Object.keys(p.values ?? {}))])];
    const before = quantity.value;
    if ([...quantity.options].map((o) => o.value).join('\u0000') !== names.join('\u0000')) {
      clear(quantity).append(...names.map((q) => h('option', { value: q }, q)));
    }
    quantity.value = names.includes(before) ? before : names.includes(DEFAULT_QUANTITY) ? DEFAULT_QUANTITY : names[0] ?? '';
    return quantity.value || null;
  }

  function showCoordinates() {
    const fits = analysis.coordinates ?? [];
    if (!fits.length) {
      clear(coordinates).append(h('p', { class: 'muted', id: 'coordinate-note' }, analysis.coordinate_note ?? 'no coordinate yet'));
      return;
    }
    const bestBic = fits[0].bic;
    clear(coordinates).append(
      h('p', { class: 'muted' }, 'Fitted by likelihood maximisation over the decided shots: p_B = ½(1 + tanh r), best BIC first (ΔBIC above ~6 is strong evidence against a coordinate).'),
      h('table', { class: 'plain', id: 'coordinates' },
        h('thead', {}, h('tr', {}, ...['#', 'r', 'ln L', 'BIC', 'ΔBIC', 'Shots'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...fits.map((f, i) => h('tr', { dataset: { quantities: f.quantities.join(',') } },
          h('td', {}, String(i + 1)),
          h('td', {}, h('code', {}, coordinateText(f))),
          h('td', { class: 'num' }, fmt.num(f.log_likelihood, 2)),
          h('td', { class: 'num' }, fmt.num(f.bic, 2)),
          h('td', { class: 'num' }, fmt.num(f.bic - bestBic, 2)),
          h('td', { class: 'num' }, fmt.int(f.shots)))))));
  }

  async function confirmCancel() {
    const confirmed = await confirmAction({
      id: 'confirm-cancel',
      question: `Cancel campaign ${id}?`,
      detail: 'Its running shots are stopped and no more are launched; the outcomes so far are kept.',
      action: 'Cancel campaign',
      keep: 'Keep it running',
    });
    if (!confirmed) return;
    cancel.disabled = true;
    cancelOutcome.textContent = 'cancelling…';
    try {
      const answer = await api(`${path}/cancel`, { method: 'POST' });
      cancelOutcome.textContent = answer.reason ?? `campaign ${answer.phase}`;
      cancelOutcome.dataset.outcome = answer.phase;
      accept(answer); // the poll's next round brings the analysis up to date, then ends
    } catch (error) {
      cancelOutcome.textContent = `The cancel was refused: ${error.message}`;
      cancelOutcome.dataset.outcome = 'refused';
      toast(`Cancel of ${id} refused: ${error.message}`, 'error');
      cancel.disabled = !operator || status.phase !== 'running';
    }
  }

  /** Shows a status when it differs from the one shown (each answer is stamped anew, so the stamp is left out). */
  function accept(next) {
    const text = JSON.stringify({ ...next, updated_at: null });
    status = next;
    if (text !== shown.status) {
      shown.status = text;
      showStatus();
    }
  }

  const refresh = latestOnly(
    () => Promise.all([api(path), api(`${path}/analysis`).then((a) => ({ a }), (error) => ({ error }))]),
    ([next, { a, error }]) => {
      if (disposed) return;
      accept(next);
      analysis = a ?? analysis;
      analysisProblem = error?.message ?? null;
      const text = JSON.stringify(analysis);
      if (text !== shown.analysis || !analysis) {
        shown.analysis = text;
        showAnalysis();
      }
    });

  await refresh();
  const stop = poll(refresh, REFRESH_MS, problem, () => status.phase === 'running');
  return () => {
    disposed = true;
    stop();
    pbChart.destroy();
    histogramChart.destroy();
  };
}

/** A and B by their basins' names (a shot's outcome is the first or the second basin). */
function outcomeLabel(outcome, definition) {
  const basin = { a: 0, b: 1 }[outcome];
  return basin === undefined ? outcome : `${outcome.toUpperCase()} ${definition.basin_names[basin] ?? ''}`.trim();
}

function shotRow(s, definition) {
  return h('tr', { dataset: { run: s.run_id, outcome: s.outcome, point: s.point_id } },
    h('td', {}, s.point_id),
    h('td', { class: 'num' }, String(s.shot)),
    h('td', { class: 'num' }, String(s.attempt)),
    h('td', {}, outcomeBadge(s.outcome, outcomeLabel(s.outcome, definition))),
    h('td', { class: 'num' }, s.commit_step === null || s.commit_step === undefined ? '–' : `step ${fmt.int(s.commit_step)} (frame ${fmt.int(s.commit_frame)})`),
    h('td', { class: 'num' }, fmt.int(s.steps_run)),
    h('td', { class: 'num' }, fmt.int(s.frames_recorded)),
    h('td', {}, fmt.time(s.launched_at)),
    h('td', {}, fmt.time(s.ended_at)),
    h('td', {}, s.launched_at ? h('a', { href: `/runs/${encodeURIComponent(s.run_id)}` }, s.run_id) : h('span', { class: 'muted' }, s.run_id)),
    h('td', { class: 'why', title: s.reason ?? '' }, s.reason ?? ''),
  );
}

function pointRow(p, chosen) {
  const decided = p.p_b !== null && p.p_b !== undefined;
  return h('tr', { dataset: { point: p.point_id, pb: decided ? String(p.p_b) : '' }, class: p.may_be_transition_state ? 'transition' : undefined },
    h('td', {}, p.point_id),
    h('td', { class: 'num' }, value(p.values?.[chosen])),
    h('td', { class: 'num' }, fmt.int(p.to_a)),
    h('td', { class: 'num' }, fmt.int(p.to_b)),
    h('td', { class: 'num' }, fmt.int(p.undecided)),
    h('td', { class: 'num', dataset: { field: 'pb' } }, decided ? fmt.num(p.p_b, 3) : '–'),
    h('td', { class: 'num' }, decided ? `[${fmt.num(p.lower, 3)}, ${fmt.num(p.upper, 3)}]` : '–'),
    h('td', {}, p.may_be_transition_state ? h('span', { class: 'half', title: 'the interval holds ½: this point may be at the transition' }, '½ ✓') : ''),
  );
}

const value = (v) => (v === null || v === undefined ? '–' : String(+Number(v).toPrecision(5)));

/** r = a₀ ± s₀ + (a₁ ± s₁)·q₁ + …, each coefficient with its standard error. */
function coordinateText(fit) {
  const term = (i) => `${value(fit.coefficients[i])} ± ${value(fit.standard_errors?.[i])}`;
  return ['r = ' + term(0), ...fit.quantities.map((q, i) => `(${term(i + 1)})·${q}`)].join(' + ');
}

/** The one-quantity coordinate's committor, p_B = ½(1 + tanh(a₀ + a₁x)), for the chart. */
function coordinateCurve(fit) {
  const [a0, a1] = fit.coefficients;
  return { label: `fit: ½(1 + tanh(${value(a0)} + ${value(a1)}·x))`, pb: (x) => 0.5 * (1 + Math.tanh(a0 + a1 * x)) };
}

/** "A liquid: n_max < 30 · B crystal: n_max > 300", from the rules the campaign's shots run with. */
function basins(definition) {
  let rules = null;
  try {
    rules = JSON.parse(definition.rules);
  } catch {
    // shown by name only
  }
  return definition.basin_names.map((name, i) => {
    const bounds = rules?.basins?.[i]?.bounds ?? {};
    const text = Object.entries(bounds).map(([q, b]) => boundText(q, b)).join(', ');
    return `${i === 0 ? 'A' : 'B'} ${name}${text ? `: ${text}` : ''}`;
  }).join(' · ');
}

function boundText(quantity, bound) {
  const [lower, upper] = Array.isArray(bound) ? bound : [bound?.lower, bound?.upper];
  const has = (v) => v !== null && v !== undefined;
  if (has(lower) && has(upper)) return `${lower} < ${quantity} < ${upper}`;
  return has(lower) ? `${quantity} > ${lower}` : `${quantity} < ${upper}`;
}
