/** One series of a scrape: `name{labels} value`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape of `/metrics`, parsed. */
export interface Scrape {
  samples: MetricSample[];
  /**
   * The sum of every series called `name` whose labels include `labels` (others may differ), e.g.
   * `value('mega_gateway_requests_total', { operation: 'TopProducts' })`; 0 when none matches.
   */
  value(name: string, labels?: Record<string, string>): number;
  /** Whether any series is called `name`. */
  has(name: string): boolean;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format (version 0.0.4): comments skipped, label values unescaped. */
export function parsePrometheusText(text: string): Scrape {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`Not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]!.replace(/^\+Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')) });
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  return {
    samples,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, sample) => sum + sample.value, 0),
    has: (name) => samples.some((sample) => sample.name === name),
  };
}

/**
 * GETs the `/metrics` of the server whose /graphql (or any URL) is `url`, with the bearer `token`
 * when given, and parses it.
 * @throws when the answer is not 200 in the Prometheus text format
 */
export async function scrapeMetrics(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(new URL('/metrics', url), token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/plain; version=0.0.4')) {
    throw new Error(`/metrics answered ${response.status} (${response.headers.get('content-type')}): ${text.slice(0, 200)}`);
  }
  return parsePrometheusText(text);
}
