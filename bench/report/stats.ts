/** Small, pure helpers for benchmark figures: medians, ratios and how they are printed. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `value / baseline`, or undefined when either is missing or the baseline is zero. */
export function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  if (value === undefined || baseline === undefined || baseline === 0) return undefined;
  return value / baseline;
}

export type Verdict = 'pass' | 'miss' | 'not measured';

/** A target is met when the figure is at or under its limit; a figure we could not take is said so. */
export function verdict(value: number | undefined, limit: number): Verdict {
  if (value === undefined || !Number.isFinite(value)) return 'not measured';
  return value <= limit ? 'pass' : 'miss';
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatRatio(r: number | undefined): string {
  return r === undefined || !Number.isFinite(r) ? '–' : `${r.toFixed(2)}×`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** A GitHub-flavoured Markdown table; pipes inside cells are escaped so a cell never splits a row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(`table row has ${row.length} cells, the header has ${header.length}`);
    }
  }
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Runs `fn` `warmup + runs` times and keeps the timings of the measured runs. */
export async function timeRuns(runs: number, warmup: number, fn: () => Promise<number>): Promise<number[]> {
  const kept: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await fn();
    if (i >= warmup) kept.push(ms);
  }
  return kept;
}

/** One row of RESULTS.md's targets table. */
export interface TargetRow {
  target: string;
  figure: string;
  baseline: string;
  value: string;
  limit: string;
  verdict: Verdict;
}
