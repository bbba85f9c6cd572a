// Charts of a run's summaries with uPlot: each chart takes the timeline's summary updates and event updates and
// redraws at most once per animation frame, however fast points arrive. Events show as dashed vertical markers.
import uPlot from 'uplot';
import { throttled } from './dom.js';
import { eventColor } from './colors.js';

/**
 * A uPlot plugin that draws labelled dashed lines over the plot: lines(u) gives each as { x0, y0, x1, y1, color,
 * label, lx, ly } in canvas pixels (null to skip one).
 */
function dashedLines(dash, lines) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          ctx.save();
          ctx.setLineDash(dash);
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.font = `${10 * devicePixelRatio}px sans-serif`;
          for (const line of lines(u)) {
            if (!line) continue;
            ctx.strokeStyle = ctx.fillStyle = line.color;
            ctx.beginPath();
            ctx.moveTo(line.x0, line.y0);
            ctx.lineTo(line.x1, line.y1);
            ctx.stroke();
            ctx.fillText(line.label, line.lx, line.ly);
          }
          ctx.restore();
        },
      ],
    },
  };
}

const inside = (value, from, length) => value >= from && value <= from + length;

/** Each event as a dashed line at its step, its kind written at the top. */
function eventMarkers(getEvents) {
  return dashedLines([4, 4], (u) => getEvents().map((e) => {
    const step = e.event.step;
    if (step === null || step === undefined) return null;
    const x = Math.round(u.valToPos(step, 'x', true));
    const { left, top, width, height } = u.bbox;
    if (!inside(x, left, width)) return null;
    return { x0: x, y0: top, x1: x, y1: top + height, color: eventColor(e.event.kind), label: e.event.kind, lx: x + 3 * devicePixelRatio, ly: top + 10 * devicePixelRatio };
  }));
}

/** Horizontal lines at values of a scale (a threshold), labelled. */
export function thresholdLines(getLines) {
  return dashedLines([8, 4], (u) => getLines().map((line) => {
    const y = Math.round(u.valToPos(line.value, line.scale ?? 'y', true));
    const { left, top, width, height } = u.bbox;
    if (!inside(y, top, height)) return null;
    return { x0: left, y0: y, x1: left + width, y1: y, color: line.color ?? '#c62828', label: line.label, lx: left + 4 * devicePixelRatio, ly: y - 4 * devicePixelRatio };
  }));
}

/** The width a chart may take: its cell's, less the padding, whatever the plot inside it is now. */
export function widthOf(element) {
  const style = getComputedStyle(element);
  const inner = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(280, Math.floor(inner || 560));
}

/** Resizes a plot to its cell when the cell's width changed (only then: its height follows the plot). */
export function fit(plot, element) {
  const width = widthOf(element);
  if (plot && Math.abs(plot.width - width) > 1) plot.setSize({ width, height: plot.height });
}

/**
 * A chart of quantities over step. spec: { title, series: [{ label, color, get(summary), scale? }], scales?,
 * axes?, stacked?, thresholds?() }. With stacked, the series are drawn on top of each other (fractions).
 */
export class SummaryChart {
  constructor(container, spec) {
    this.spec = spec;
    this.events = [];
    this.points = 0;
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset.chart = spec.id;
    container.append(this.element);
    const series = [{ label: 'step' }];
    spec.series.forEach((s, i) => {
      series.push({
        label: s.label,
        stroke: s.color,
        width: 1.5,
        scale: s.scale ?? 'y',
        fill: spec.stacked ? s.color + 'cc' : undefined,
        spanGaps: true,
        points: { show: false },
        value: spec.stacked ? (u, v, si, idx) => this.#raw(si, idx) : (u, v) => (v === null || v === undefined ? '–' : +v.toPrecision(4)),
      });
    });
    const bands = spec.stacked ? spec.series.slice(1).map((s, i) => ({ series: [i + 2, i + 1], fill: s.color + 'cc' })) : undefined;
    if (spec.stacked) series.forEach((s, i) => { if (i > 1) s.fill = undefined; });
    const options = {
      title: spec.title,
      width: widthOf(this.element),
      height: spec.height ?? 220,
      series,
      bands,
      scales: { x: { time: false }, ...(spec.scales ?? {}) },
      axes: spec.axes ?? [{ label: 'step' }, {}],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: [eventMarkers(() => this.events), thresholdLines(spec.thresholds ?? (() => []))],
    };
    this.plot = new uPlot(options, [[], ...spec.series.map(() => [])], this.element);
    this.resize = new ResizeObserver(() => fit(this.plot, this.element));
    this.resize.observe(this.element);
    this.redraw = throttled((summaries, events) => this.#draw(summaries, events));
  }

  /** Shows these summary updates (in step order) and event updates. */
  update(summaries, events) {
    this.redraw(summaries, events);
  }

  #draw(summaries, events) {
    this.events = events;
    const x = new Array(summaries.length);
    const columns = this.spec.series.map(() => new Array(summaries.length));
    this.raw = this.spec.stacked ? this.spec.series.map(() => new Array(summaries.length)) : null;
    for (let i = 0; i < summaries.length; i++) {
      const s = summaries[i].summary;
      x[i] = s.step;
      let sum = 0;
      this.spec.series.forEach((spec, j) => {
        const value = spec.get(s);
        if (this.raw) {
          this.raw[j][i] = value;
          sum += value ?? 0;
          columns[j][i] = sum;
        } else columns[j][i] = value ?? null;
      });
    }
    this.points = summaries.length;
    this.element.dataset.points = String(summaries.length);
    // A quantity the run does not compute (no interface axis, say) leaves its chart empty: say so instead of a blank grid.
    this.element.classList.toggle('empty', summaries.length > 0 && columns.every((c) => c.every((v) => v === null)));
    this.plot.setData([x, ...columns]);
  }

  #raw(seriesIndex, index) {
    const v = this.raw?.[seriesIndex - 1]?.[index];
    return v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)} %`;
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
    this.element.remove();
  }
}

/** Several runs' n_max (or another quantity) over step on one chart, x values joined across runs. */
export class OverlayChart {
  constructor(container, { title, label, get }) {
    this.container = container;
    this.title = title;
    this.label = label;
    this.get = get;
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset.chart = 'overlay';
    container.append(this.element);
    this.plot = null;
    this.runs = [];
    this.redraw = throttled(() => this.#draw());
    this.resize = new ResizeObserver(() => fit(this.plot, this.element));
    this.resize.observe(this.element);
  }

  /** runs: [{ id, color, timeline }] */
  setRuns(runs) {
    this.runs = runs;
    this.plot?.destroy();
    this.plot = new uPlot({
      title: this.title,
      width: widthOf(this.element),
      height: 320,
      series: [{ label: 'step' }, ...runs.map((r) => ({ label: r.id, stroke: r.color, width: 1.5, spanGaps: true, points: { show: false } }))],
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, { label: this.label }],
      cursor: { drag: { x: true, y: false } },
    }, [[], ...runs.map(() => [])], this.element);
    this.redraw();
  }

  update() {
    this.redraw();
  }

  #draw() {
    if (!this.plot) return;
    const tables = this.runs.map((r) => {
      const rows = r.timeline.summaries;
      return [rows.map((u) => u.summary.step), rows.map((u) => this.get(u.summary))];
    });
    const data = tables.length ? uPlot.join(tables) : [[]];
    this.element.dataset.points = String(tables.reduce((n, t) => n + t[0].length, 0));
    this.plot.setData(data);
  }

  destroy() {
    this.resize.disconnect();
    this.plot?.destroy();
    this.element.remove();
  }
}
