// Charts of a campaign's analysis with uPlot: p_B of each shooting point against a quantity, with its confidence interval
// as an error bar and the fitted reaction coordinate's committor over it; and the committor histogram. Both are redrawn
// from each new analysis the campaign page polls; the plot is rebuilt only when its series change.
import uPlot from 'uplot';
import { fit, thresholdLines, widthOf } from './charts.js';

const PB_COLOR = '#6a1b9a';
const FIT_COLOR = '#ef6c00';
const CURVE_SAMPLES = 120;

/** A uPlot in a `.chart[data-chart=ID]` cell that keeps its cell's width and is rebuilt when its options change. */
class AnalysisPlot {
  constructor(container, id) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset.chart = id;
    container.append(this.element);
    this.plot = null;
    this.shape = null;
    this.resize = new ResizeObserver(() => fit(this.plot, this.element));
    this.resize.observe(this.element);
  }

  /** Draws data; options() is asked for (and the plot rebuilt) only when shape differs from the last one drawn. */
  draw(shape, options, data, points) {
    if (shape !== this.shape || !this.plot) {
      this.plot?.destroy();
      this.plot = new uPlot({ ...options(), width: widthOf(this.element) }, data, this.element);
      this.shape = shape;
    } else this.plot.setData(data);
    this.element.dataset.points = String(points);
    this.element.classList.toggle('none', points === 0);
  }

  destroy() {
    this.resize.disconnect();
    this.plot?.destroy();
    this.element.remove();
  }
}

/** Each row's [lower, upper] as a vertical bar with caps, at the row's x (rows without one are skipped). */
function errorBars(getIntervals, color) {
  return {
    hooks: {
      draw: [
        (u) => {
          const intervals = getIntervals();
          const { ctx } = u;
          const { left, width } = u.bbox;
          const cap = 4 * devicePixelRatio;
          ctx.save();
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          u.data[0].forEach((xValue, i) => {
            const bar = intervals[i];
            if (!bar) return;
            const x = Math.round(u.valToPos(xValue, 'x', true));
            if (x < left || x > left + width) return;
            const [y0, y1] = bar.map((v) => Math.round(u.valToPos(v, 'y', true)));
            ctx.moveTo(x, y0);
            ctx.lineTo(x, y1);
            for (const y of [y0, y1]) {
              ctx.moveTo(x - cap, y);
              ctx.lineTo(x + cap, y);
            }
          });
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  };
}

const short = (v) => (v === null || v === undefined ? '–' : String(+Number(v).toPrecision(4)));

/** The x range of the values, widened a little so that no point sits on the frame. */
function padded(min, max) {
  if (min === null || max === null) return [0, 1];
  const span = max - min || Math.abs(max) || 1;
  return [min - 0.05 * span, max + 0.05 * span];
}

/**
 * p_B against one quantity. show(quantity, points, coordinate): points are [{ id, x, pb, lower, upper }] (those without
 * x or p_B are left out); coordinate, when given, is { label, pb(x) }, drawn over the points' x range.
 */
export class CommittorChart extends AnalysisPlot {
  constructor(container) {
    super(container, 'pb');
    this.rows = [];
  }

  show(quantity, points, coordinate) {
    const shown = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.pb));
    const rows = shown.map((p) => ({ x: p.x, pb: p.pb, bar: [p.lower ?? p.pb, p.upper ?? p.pb], id: p.id }));
    if (coordinate && rows.length) {
      const [from, to] = padded(Math.min(...rows.map((r) => r.x)), Math.max(...rows.map((r) => r.x)));
      for (let i = 0; i < CURVE_SAMPLES; i++) {
        const x = from + ((to - from) * i) / (CURVE_SAMPLES - 1);
        rows.push({ x, curve: coordinate.pb(x) });
      }
    }
    rows.sort((a, b) => a.x - b.x);
    this.rows = rows;
    const data = [rows.map((r) => r.x), rows.map((r) => r.pb ?? null)];
    if (coordinate) data.push(rows.map((r) => r.curve ?? null));
    this.draw(`${quantity}\u0000${coordinate?.label ?? ''}`, () => this.#options(quantity, coordinate), data, shown.length);
    this.element.dataset.fit = coordinate ? quantity : '';
  }

  #options(quantity, coordinate) {
    const series = [
      { label: quantity, value: (u, v, si, i) => (i === null || i === undefined ? short(v) : `${short(v)}${this.rows[i]?.id ? ` (${this.rows[i].id})` : ''}`) },
      {
        label: 'p_B', stroke: PB_COLOR, fill: PB_COLOR, paths: () => null, points: { show: true, size: 8, fill: PB_COLOR },
        value: (u, v, si, i) => {
          const row = i === null || i === undefined ? null : this.rows[i];
          return row?.bar ? `${short(v)} [${short(row.bar[0])}, ${short(row.bar[1])}]` : '–';
        },
      },
    ];
    if (coordinate) series.push({ label: coordinate.label, stroke: FIT_COLOR, width: 2, spanGaps: true, points: { show: false }, value: (u, v) => short(v) });
    return {
      title: `Committor p_B against ${quantity}`,
      height: 280,
      series,
      scales: { x: { time: false, range: (u, min, max) => padded(min, max) }, y: { range: [-0.05, 1.05] } },
      axes: [{ label: quantity }, { label: 'p_B', splits: () => [0, 0.25, 0.5, 0.75, 1] }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: [errorBars(() => this.rows.map((r) => r.bar), PB_COLOR), thresholdLines(() => [{ value: 0.5, label: '½', color: '#9e9e9e' }])],
    };
  }
}

/** The committor histogram: { counts[], points, bin_width } as bars over [0, 1]. */
export class CommittorHistogramChart extends AnalysisPlot {
  constructor(container) {
    super(container, 'histogram');
  }

  show(histogram) {
    const counts = histogram?.counts ?? [];
    const width = histogram?.bin_width ?? 1 / Math.max(1, counts.length);
    const data = [counts.map((_, i) => (i + 0.5) * width), counts.map((c) => c || null)];
    const title = `Committor histogram: ${histogram?.points ?? 0} points whose interval holds ½`;
    this.draw(`${counts.length}\u0000${title}`, () => ({
      title,
      height: 200,
      series: [
        { label: 'p_B', value: (u, v) => (v === null || v === undefined ? '–' : `${short(v - width / 2)}–${short(v + width / 2)}`) },
        { label: 'points', stroke: PB_COLOR, fill: `${PB_COLOR}99`, paths: uPlot.paths.bars({ size: [0.9, Infinity] }), points: { show: false }, value: (u, v) => String(v ?? 0) },
      ],
      scales: { x: { time: false, range: [0, 1] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{ label: 'p_B' }, { label: 'points', splits: (u, axis, min, max) => integerSplits(max) }],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    }), data, histogram?.points ?? 0);
  }
}

/** Whole-number ticks, at most about six of them. */
function integerSplits(max) {
  const step = Math.max(1, Math.ceil(max / 6));
  const splits = [];
  for (let v = 0; v <= max; v += step) splits.push(v);
  return splits;
}
