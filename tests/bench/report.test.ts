import { describe, expect, it } from 'vitest';
import { initialScripts } from '../../bench/phases/bundle.ts';
import { renderMarkdown, targetRows } from '../../bench/report/markdown.ts';
import type { BenchResults } from '../../bench/report/results.ts';

function results(): BenchResults {
  return {
    date: '2026-01-01T00:00:00.000Z',
    command: 'npm run bench -- --quick',
    quick: true,
    runs: 3,
    machine: { cpus: 2, cpuModel: 'test cpu', memoryGiB: 8, os: 'Linux' },
    versions: { chromium: '1.0' },
    durationSeconds: 1,
    coldStart: {
      query: 'SELECT 1',
      app: { runs: [130, 120, 125], median: 125 },
      bare: { runs: [100, 100, 100], median: 100 },
    },
    scales: [
      {
        rows: 1_000_000,
        lakeBytes: 1,
        generateSeconds: 1,
        problems: [],
        load: [],
        queries: {
          q: {
            label: 'a query',
            native: { runs: [10], median: 10 },
            bare: { runs: [20], median: 20 },
            app: { runs: [21], median: 21 },
            appEngine: { runs: [18], median: 18 },
            appGuard: { runs: [2, 4, 9], median: 4 },
          },
        },
      },
    ],
    notes: [],
  };
}

describe('benchmark report', () => {
  it('finds the entry script and the preloaded modules of a built page', () => {
    const html = `<script type="module" crossorigin src="./assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/react-b.js"><link rel="stylesheet" href="./assets/x.css">`;
    expect(initialScripts(html)).toEqual(['./assets/index-a.js', './assets/react-b.js']);
  });

  it('judges each target by its ratio to the baseline of the same run', () => {
    const rows = targetRows(results());
    const verdictOf = (start: string) => rows.find((t) => t.target.startsWith(start))?.verdict;
    expect(verdictOf('(a)')).toBe('miss');
    expect(verdictOf('(b) q @ 1.00M ≤ 1.1× bare')).toBe('pass');
    expect(verdictOf('(b) q @ 1.00M ≤ 1.5× native')).toBe('miss');
    expect(verdictOf('(c)')).toBe('pass');
    expect(verdictOf('(e) chart')).toBe('not measured');
  });

  it('judges the filtered read by the column chunks of the row groups that can match', () => {
    const r = results();
    const filtered = {
      column: 'admit_time',
      sql: "SELECT admit_time FROM a WHERE admit_time > TIMESTAMP '2026-01-01'",
      cutoff: '2026-01-01 00:00:00.000000',
      rows: 10,
      groups: 9,
      groupsRead: 4,
      chunkBytes: 2_000_000,
      columnBytes: 6_000_000,
    };
    const load = { table: 'evergreen_admissions', rows: 1_000_000, fileBytes: 50_000_000 };
    const verdictWith = (bytesFetched: number) => {
      r.scales[0]!.load = [{ ...load, filtered: { ...filtered, bytesFetched } }];
      return targetRows(r).find((t) => t.target.includes('filtered on a time column'))?.verdict;
    };
    expect(verdictWith(2_300_000)).toBe('pass');
    expect(verdictWith(6_100_000)).toBe('miss');
    expect(renderMarkdown(r)).toContain('in the 4 of 9 row groups whose range can meet the filter');
  });

  it('writes the command, the machine and an explanation for each miss', () => {
    const md = renderMarkdown(results());
    expect(md).toContain('`npm run bench -- --quick`');
    expect(md).toContain('2 cores (test cpu)');
    expect(md).toMatch(/q at 1,000,000 rows: 2\.10× native\. The bare page alone is 2\.00× native/);
  });
});
