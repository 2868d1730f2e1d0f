// The lag-over-time chart of bench:scale-out, as a hand-written SVG (no browser or plotting
// library needed): the consumer group's total lag against time, one line per instance count.
import type { GroupView } from './kafka-bench';

/** One timed run of bench:scale-out, as bench/results/scale-out.json keeps it. */
export interface ScaleOutRun {
  /** Which round of the interleaved runs (1-based). */
  readonly run: number;
  readonly instances: number;
  readonly eventsPerSecond: number;
  /** Events committed inside the timed window (from group Stable to lag 0). */
  readonly counted: number;
  readonly windowSeconds: number;
  /** From spawning the k processes until all were warm (code loaded, database open). */
  readonly warmSeconds: number;
  /** From the start signal to the group Stable with k members, and to lag 0. */
  readonly stableAfterSeconds: number;
  readonly drainedAfterSeconds: number;
  /** Cores busy over the timed window (CPU seconds / window seconds), and the machine's cores. */
  readonly cpu: { readonly consumers: number; readonly postgres: number; readonly broker: number; readonly machine: number; readonly cores: number };
  readonly commitsPerSecond: number;
  readonly broker: GroupView;
  readonly processedMarkers: number;
  /** [seconds after the start signal, the group's total lag], sampled every ~250 ms. */
  readonly lag: ReadonlyArray<readonly [number, number]>;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 80, right: 24, top: 40, bottom: 56 };

/** For each instance count, the run with the median throughput: the line the chart draws. */
export function medianRuns(runs: readonly ScaleOutRun[]): ScaleOutRun[] {
  const counts = [...new Set(runs.map((r) => r.instances))].sort((a, b) => a - b);
  return counts.map((k) => {
    const sorted = runs.filter((r) => r.instances === k).sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  });
}

/** The chart: lag (messages) against seconds after the start signal, one polyline per instance count. */
export function renderLagChart(runs: readonly ScaleOutRun[], title: string): string {
  const lines = medianRuns(runs).filter((r) => r.lag.length > 0);
  const maxT = Math.max(1, ...lines.flatMap((r) => r.lag.map(([t]) => t)));
  const maxLag = Math.max(1, ...lines.flatMap((r) => r.lag.map(([, lag]) => lag)));
  const xStep = niceStep(maxT);
  const yStep = niceStep(maxLag);
  const xMax = Math.ceil(maxT / xStep) * xStep;
  const yMax = Math.ceil(maxLag / yStep) * yStep;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + (t / xMax) * plotW;
  const y = (lag: number) => MARGIN.top + plotH - (lag / yMax) * plotH;
  const px = (v: number) => v.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  ];
  for (let t = 0; t <= xMax + 1e-9; t += xStep) {
    parts.push(
      `<line x1="${px(x(t))}" y1="${MARGIN.top}" x2="${px(x(t))}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${px(x(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${px(y(v))}" x2="${MARGIN.left + plotW}" y2="${px(y(v))}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${px(y(v) + 4)}" text-anchor="end">${label(v)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="black"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">seconds after the start signal</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">group lag (messages not yet committed)</text>`,
  );
  lines.forEach((r, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = r.lag.map(([t, lag]) => `${px(x(t))},${px(y(lag))}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`);
    const ly = MARGIN.top + 14 + i * 18;
    const lx = MARGIN.left + plotW - 250;
    parts.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${ly}">${r.instances} instance${r.instances > 1 ? 's' : ''}: ${Math.round(r.eventsPerSecond)} events/s (run ${r.run})</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** A round step (1, 2, 2.5 or 5 times a power of ten) giving about five grid lines up to `max`. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= rough)!;
}

function label(value: number): string {
  return Number(value.toPrecision(6)).toLocaleString('en-US');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
