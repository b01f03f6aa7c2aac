/**
 * SVG bar charts of the gateway throughput results (no chart library): one group of bars per
 * scenario, one bar per gateway, its value written above it. `throughput.ts` draws them after a
 * run; `tsx test/bench/gateway/charts.ts [docs/benchmarks/gateway-throughput.json]` draws them
 * again from a results file, beside it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BarChart {
  title: string;
  /** Written after each value and on the axis, e.g. "req/s". */
  unit: string;
  /** Scenario names, left to right. */
  groups: readonly string[];
  /** Gateway names, the bars of each group in this order. */
  series: readonly string[];
  /** value(group, series); undefined: no bar. */
  value: (group: string, series: string) => number | undefined;
}

const COLORS = ['#2563eb', '#db2777', '#6b7280', '#16a34a', '#ea580c'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (value: number) => (value >= 100 || Number.isInteger(value) ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));

/** A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= max)!;
}

export function renderBarChart(chart: BarChart): string {
  const width = 640;
  const height = 360;
  const margin = { top: 56, right: 16, bottom: 56, left: 72 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const values = chart.groups.flatMap((group) => chart.series.map((series) => chart.value(group, series) ?? 0));
  const top = niceMax(Math.max(...values) * 1.1);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const groupWidth = plotWidth / chart.groups.length;
  const barWidth = Math.min(64, (groupWidth * 0.8) / chart.series.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escape(chart.title)}</text>`,
  ];
  chart.series.forEach((series, i) => {
    const x = margin.left + i * 150;
    parts.push(`<rect x="${x}" y="32" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`, `<text x="${x + 18}" y="42">${escape(series)}</text>`);
  });
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (top / 4) * tick;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#374151">${format(value)}</text>`,
    );
  }
  parts.push(`<text x="16" y="${margin.top + plotHeight / 2}" transform="rotate(-90 16 ${margin.top + plotHeight / 2})" text-anchor="middle" fill="#374151">${escape(chart.unit)}</text>`);
  chart.groups.forEach((group, g) => {
    const groupX = margin.left + g * groupWidth + (groupWidth - barWidth * chart.series.length) / 2;
    chart.series.forEach((series, s) => {
      const value = chart.value(group, series);
      if (value === undefined) return;
      const x = groupX + s * barWidth;
      parts.push(
        `<rect x="${x + 2}" y="${y(value)}" width="${barWidth - 4}" height="${margin.top + plotHeight - y(value)}" fill="${COLORS[s % COLORS.length]}"><title>${escape(`${group}, ${series}: ${format(value)} ${chart.unit}`)}</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${y(value) - 4}" text-anchor="middle">${format(value)}</text>`,
      );
    });
    parts.push(`<text x="${margin.left + g * groupWidth + groupWidth / 2}" y="${height - margin.bottom + 20}" text-anchor="middle" font-weight="600">${escape(group)}</text>`);
  });
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#374151"/>`, '</svg>', '');
  return parts.join('\n');
}

/** What the charts read of a results file (`gateway-throughput.json`). */
export interface ThroughputRun {
  settings: { connections: number; workers: number };
  results: { scenario: string; gateway: string; rps: number; p99: number }[];
}

/** The gateways' names in the charts. */
export const GATEWAY_LABELS: Record<string, string> = { mega: 'Mega gateway', hive: 'Hive Gateway', apollo: 'plain Apollo' };

/** Writes `gateway-throughput-rps.svg` and `gateway-throughput-p99.svg` into `dir`. */
export async function writeThroughputCharts(run: ThroughputRun, dir: string): Promise<void> {
  const groups = [...new Set(run.results.map((r) => r.scenario))];
  const series = [...new Set(run.results.map((r) => GATEWAY_LABELS[r.gateway] ?? r.gateway))];
  const valueOf = (key: 'rps' | 'p99') => (group: string, label: string) =>
    run.results.find((r) => r.scenario === group && (GATEWAY_LABELS[r.gateway] ?? r.gateway) === label)?.[key];
  const { workers, connections } = run.settings;
  await writeFile(
    path.join(dir, 'gateway-throughput-rps.svg'),
    renderBarChart({ title: `Requests per second (higher is better), ${workers} worker${workers > 1 ? 's' : ''}`, unit: 'req/s', groups, series, value: valueOf('rps') }),
  );
  await writeFile(
    path.join(dir, 'gateway-throughput-p99.svg'),
    renderBarChart({ title: `p99 latency (lower is better), ${connections} connections`, unit: 'ms', groups, series, value: valueOf('p99') }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? 'docs/benchmarks/gateway-throughput.json';
  await writeThroughputCharts(JSON.parse(await readFile(file, 'utf8')) as ThroughputRun, path.dirname(file));
}
