import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERGREEN_CONTRACTS } from '../../src/lake/evergreen-contracts.ts';
import { openDuck, queryJson, sqlString } from './duck.ts';
import { simulationSql } from './evergreen/simulate.ts';
import { generateEvergreen } from './generate-evergreen.ts';

const work = mkdtempSync(path.join(tmpdir(), 'evergreen-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function generate(seed: number, format: 'events' | 'parquet', scale = 3000) {
  const outDir = path.join(work, `${format}-${seed}-${scale}-${Math.random().toString(36).slice(2)}`);
  await generateEvergreen(await openDuck(), { seed, scale, outDir, format });
  return Object.fromEntries(readdirSync(outDir).map((f) => [f, readFileSync(path.join(outDir, f))]));
}

describe('the Evergreen generator', () => {
  it('writes the same bytes for the same seed, and other data for another seed', async () => {
    const a = await generate(7, 'events');
    const b = await generate(7, 'events');
    const c = await generate(8, 'events');
    expect(Object.keys(a).length).toBeGreaterThan(40);
    expect(b).toEqual(a);
    expect(c['evergreen_adt-2024-06.csv.gz']).not.toEqual(a['evergreen_adt-2024-06.csv.gz']);
  });

  it('writes Parquet typed like the curated tables, deterministically', async () => {
    const a = await generate(7, 'parquet');
    expect(await generate(7, 'parquet')).toEqual(a);
    const conn = await openDuck();
    for (const contract of EVERGREEN_CONTRACTS) {
      const dir = path.join(work, 'check');
      const file = path.join(dir, `${contract.table}.parquet`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, a[`${contract.table}.parquet`] ?? new Uint8Array());
      const described = await queryJson(conn, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
      expect(described.map((d) => [d.column_name, d.column_type])).toEqual(
        contract.columns.map((c) => [c.name, c.type]),
      );
    }
  });

  it('plants fewer 30-day readmissions after the rule on most wards, and more 7-day ones on one ward', async () => {
    const conn = await openDuck();
    for (const sql of simulationSql(11, 40_000)) await conn.run(sql);
    const rates = await queryJson(
      conn,
      `WITH s AS (SELECT *, lead(admit_time) OVER (PARTITION BY patient_id ORDER BY admit_time) AS nxt FROM adt)
       SELECT ward, admit_time >= TIMESTAMP '2025-03-01' AS after_rule,
              avg(coalesce(nxt <= discharge_time + INTERVAL 30 DAY, false)::INTEGER) AS r30,
              avg(coalesce(nxt <= discharge_time + INTERVAL 7 DAY, false)::INTEGER) AS r7,
              median(los_hours) AS los
       FROM s WHERE discharge_disposition <> 'died' GROUP BY ALL`,
    );
    const rate = (ward: string, after: boolean) =>
      rates.find((r) => r.ward === ward && r.after_rule === after);
    const wards = [...new Set(rates.map((r) => String(r.ward)))];
    const improved = wards.filter((w) => Number(rate(w, true)?.r30) < Number(rate(w, false)?.r30));
    const gamed = wards.filter(
      (w) =>
        Number(rate(w, true)?.r7) > 2 * Number(rate(w, false)?.r7) &&
        Number(rate(w, true)?.los) < 0.7 * Number(rate(w, false)?.los),
    );
    expect(wards).toHaveLength(6);
    expect(improved.length).toBeGreaterThanOrEqual(4);
    expect(gamed).toHaveLength(1);
    expect(improved).not.toContain(gamed[0]);
  });
});
