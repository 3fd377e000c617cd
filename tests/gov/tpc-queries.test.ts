import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardCell } from '../../src/gov/guard';
import { tpcCorpusDir, tpcLake, tpcQueries, type TpcLake } from './tpc-lake';

/**
 * Ordinary read-only SQL must pass the guard and run. Two corpora, on empty tables of their schemas that the
 * role may read:
 * - `ordinary-sql.sql`, ours, on the TPC-H schema: one query per shape a reviewer found refused or that
 *   plans unusual operators (correlated EXISTS and scalar subqueries, delim joins, ANY/ALL, LATERAL, windows,
 *   grouping sets, set operations, recursive CTEs, ASOF and positional joins);
 * - the public query texts of TPC-H (22) and TPC-DS (99), read from outside the repository
 *   (`tpcCorpusDir()` in tpc-lake.ts); without them that part is skipped and says so.
 */

async function expectAllowedAndRuns(lake: TpcLake, sql: string): Promise<void> {
  const d = await guardCell(sql, { view: lake.view, manifest: lake.manifest, cells: [], probe: lake.user });
  expect(d.reason).toBeUndefined();
  expect(d.decision).toBe('allow');
  for (const s of d.statements) await expect(lake.user.run(s.sql)).resolves.toBeInstanceOf(Uint8Array);
}

describe('ordinary SQL of every shape', () => {
  const queries = readFileSync(new URL('./ordinary-sql.sql', import.meta.url), 'utf8')
    .split(/^-- /m)
    .filter((q) => q.trim())
    .map((q) => {
      const [title, ...body] = q.split('\n');
      return { title: title!.trim(), sql: body.join('\n').trim() };
    });
  let lake: TpcLake;
  beforeAll(async () => {
    lake = await tpcLake('tpch');
  });

  it('has its queries', () => expect(queries.length).toBeGreaterThan(15));
  for (const q of queries) it(q.title, () => expectAllowedAndRuns(lake, q.sql));
});

const corpus = tpcCorpusDir();
for (const benchmark of ['tpch', 'tpcds'] as const) {
  describe.skipIf(!corpus)(`${benchmark} public query texts (from ${corpus ?? 'no corpus found'})`, () => {
    const queries = corpus ? tpcQueries(corpus, benchmark) : [];
    let lake: TpcLake;
    beforeAll(async () => {
      lake = await tpcLake(benchmark, corpus);
    });

    it('has every query of the benchmark', () => {
      expect(queries.length).toBe(benchmark === 'tpch' ? 22 : 99);
    });
    for (const q of queries) it(q.name, () => expectAllowedAndRuns(lake, q.sql));
  });
}
