/**
 * The review's ward screen (its cells as the notebook file has them) on made-up stays: it can answer "no
 * ward stands out" as well as name a ward.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLakeNotebook } from '../../../scripts/lake/check-notebooks.ts';
import { openDuck, queryJson, sqlString } from '../../../scripts/lake/duck.ts';
import { REVIEW_NOTEBOOK_PATH } from '../../notebook/notebook-url.ts';

const lakeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/sample-lake');
const review = readLakeNotebook(lakeDir, REVIEW_NOTEBOOK_PATH);
const sqlOf = (name: string) => {
  const cell = review.cells.find((c) => c.kind === 'sql' && c.name === name);
  if (cell?.kind !== 'sql') throw new Error(`no SQL cell ${name}`);
  return cell.sql;
};

/**
 * The screen on made-up stays: with the same 7-day rate everywhere it names no ward, and with one ward's rate
 * rising after the rule it names that ward. Only `index_stays` is replaced; the screen's cells are the file's.
 */
describe('the screen can answer "no ward stands out"', () => {
  const wards = ['Ward A', 'Ward B', 'Ward C', 'Ward D', 'Ward E', 'Ward F'];
  const madeUp = (risingWard: string | null) => `
    SELECT 'P' || (i % 9000)::VARCHAR AS patient_id, w.ward, w.ward || ' group ' || (i % 2)::VARCHAR AS diagnosis_group,
           CASE WHEN i % 2 = 0 THEN 'before' ELSE 'after' END AS period,
           hash(i, w.ward) % 1000 < CASE WHEN w.ward = ${risingWard ? sqlString(risingWard) : 'NULL'}
                                        AND i % 2 = 1 THEN 120 ELSE 40 END AS readmitted_7d
    FROM range(3000) r(i), (VALUES ${wards.map((w) => `(${sqlString(w)})`).join(', ')}) w(ward)`;

  async function screen(risingWard: string | null) {
    const conn = await openDuck();
    await conn.run(`CREATE TEMP VIEW index_stays AS ${madeUp(risingWard)}`);
    for (const name of ['unit_screen', 'ward_under_review', 'screen_answer'])
      await conn.run(`CREATE TEMP VIEW ${name} AS ${sqlOf(name)}`);
    const out = {
      screen: await queryJson(conn, 'SELECT * FROM unit_screen'),
      named: await queryJson(conn, 'SELECT * FROM ward_under_review'),
      answer: (await queryJson(conn, 'SELECT * FROM screen_answer'))[0]!,
    };
    conn.closeSync();
    return out;
  }

  it('names no ward when no ward differs', async () => {
    const { screen: rowsOut, named, answer } = await screen(null);
    expect(rowsOut.length).toBe(wards.length * 3);
    expect(rowsOut.some((r) => r.stands_out)).toBe(false);
    expect(named).toEqual([]);
    expect(answer).toMatchObject({ answer: 'No ward stands out', wards_standing_out: '0' });
  });

  it('names the one ward whose 7-day rate rose', async () => {
    const { named, answer } = await screen('Ward C');
    expect(named.map((r) => r.ward)).toEqual(['Ward C']);
    expect(answer.answer).toBe('Ward C');
  });
});
