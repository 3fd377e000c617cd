import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { resultRowsText, rowsText } from '../testing/rows-text';
import type { CellSource, QueryResult } from '../../contract/results';
import { serveFolder, type ServedFolder } from '../testing/lake-fixture';
import { startHost } from '../testing/host-driver';

const LAKE = path.resolve('public/sample-lake');
const ADMISSIONS = `'${LAKE}/phi/curated/admissions/part-000.parquet'`;
const PATIENTS = `'${LAKE}/phi/curated/patients/part-000.parquet'`;
/** Columns the DataAnalyst sees masked (hashed ids) or that Arrow and native print differently (times). */
const MASKED =
  'subject_id, hadm_id, admit_provider_id, admittime, dischtime, deathtime, edregtime, edouttime';
let lake: ServedFolder;

beforeAll(async () => {
  lake = await serveFolder(LAKE);
});
afterAll(() => lake?.close());

async function native(sql: string): Promise<string> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const rows = (await con.runAndReadAll(sql)).getRows();
  con.closeSync();
  return rowsText(rows);
}

/**
 * Tables load column by column as statements need them; whatever order the statements come in, each
 * answer must equal native DuckDB's over the whole files.
 */
describe('loading only the columns a statement reads', () => {
  it('answers like native DuckDB while columns arrive statement by statement', async () => {
    const h = startHost();
    await h.value({
      kind: 'init',
      lakeUrl: lake.url,
      session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    });
    const cells: CellSource[] = [
      { name: 'elective', sql: "FROM admissions WHERE admission_type = 'ELECTIVE'" },
    ];
    const steps: [string, string][] = [
      [
        'SELECT insurance, count(*) FROM admissions GROUP BY ALL ORDER BY ALL',
        `SELECT insurance, count(*) FROM ${ADMISSIONS} GROUP BY ALL ORDER BY ALL`,
      ],
      [
        "SELECT count(*) FROM admissions WHERE race LIKE 'WHITE%' AND hospital_expire_flag = 1",
        `SELECT count(*) FROM ${ADMISSIONS} WHERE race LIKE 'WHITE%' AND hospital_expire_flag = 1`,
      ],
      [
        'SELECT a.insurance, avg(p.anchor_age)::DOUBLE FROM admissions a JOIN patients p USING (subject_id) GROUP BY 1 ORDER BY 1',
        `SELECT a.insurance, avg(p.anchor_age)::DOUBLE FROM ${ADMISSIONS} a JOIN ${PATIENTS} p USING (subject_id) GROUP BY 1 ORDER BY 1`,
      ],
      [
        'SELECT count(*), count(DISTINCT hadm_id), max(admission_location) FROM elective',
        `SELECT count(*), count(DISTINCT hadm_id), max(admission_location) FROM ${ADMISSIONS} WHERE admission_type = 'ELECTIVE'`,
      ],
      [
        'SELECT gender, count(*) FROM patients NATURAL JOIN (SELECT subject_id FROM admissions) GROUP BY 1 ORDER BY 1',
        `SELECT gender, count(*) FROM ${PATIENTS} NATURAL JOIN (SELECT subject_id FROM ${ADMISSIONS}) GROUP BY 1 ORDER BY 1`,
      ],
      [
        `SELECT * EXCLUDE (${MASKED}) FROM admissions ORDER BY ALL LIMIT 3`,
        `SELECT * EXCLUDE (${MASKED}) FROM ${ADMISSIONS} ORDER BY ALL LIMIT 3`,
      ],
    ];
    for (const [sql, expected] of steps) {
      const result = await h.value<QueryResult>({ kind: 'query', sql, cells });
      expect(resultRowsText(result), sql).toBe(await native(expected));
    }
  });
});
