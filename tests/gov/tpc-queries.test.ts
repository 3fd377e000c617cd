import { beforeAll, describe, expect, it } from 'vitest';
import { guardCell } from '../../src/gov/guard';
import { tpcLake, tpcQueries, type TpcLake } from './tpc-lake';

/**
 * The public query texts of TPC-H (22) and TPC-DS (99), as DuckDB's tpch and tpcds extensions ship them,
 * against empty tables of their schemas that the role may read: ordinary read-only SQL of every shape
 * (correlated subqueries, delim joins, windows, rollups, CTEs, set operations). None may be refused, and each
 * allowed statement runs. The texts and the TPC-DS schema are copied unchanged from duckdb/duckdb
 * (`extension/tpch/dbgen/queries/qNN.sql`, `extension/tpcds/dsdgen/queries/NN.sql`,
 * `extension/tpcds/dsdgen/schema/*.sql`, commit 044a04a7); `tpch/schema.sql` is the standard TPC-H DDL.
 */

for (const benchmark of ['tpch', 'tpcds'] as const) {
  describe(`${benchmark} queries`, () => {
    const queries = tpcQueries(benchmark);
    let lake: TpcLake;
    beforeAll(async () => {
      lake = await tpcLake(benchmark);
    });

    it('has every query of the benchmark', () => {
      expect(queries.length).toBe(benchmark === 'tpch' ? 22 : 99);
    });

    for (const q of queries) {
      it(q.name, async () => {
        const d = await guardCell(q.sql, {
          view: lake.view,
          manifest: lake.manifest,
          cells: [],
          probe: lake.user,
        });
        expect(d.reason).toBeUndefined();
        expect(d.decision).toBe('allow');
        for (const s of d.statements) await expect(lake.user.run(s.sql)).resolves.toBeInstanceOf(Uint8Array);
      });
    }
  });
}
