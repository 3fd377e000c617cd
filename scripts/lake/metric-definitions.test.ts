/**
 * The metric SQL files on small hand-made tables, one stay per rule they state: complete windows, deaths,
 * transfers and planned readmissions. Each case would count differently if its rule were missing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseMetricDefinition } from '../../src/lake/metric-definition.ts';
import { openDuck, queryJson, type Duck } from './duck.ts';

const definition = (name: string) =>
  parseMetricDefinition(readFileSync(path.resolve('metrics', `${name}.sql`), 'utf8'), `${name}.sql`);

let conn: Duck;
beforeEach(async () => {
  conn = await openDuck();
});

describe('readmission_30d', () => {
  const stays: [string, string, string, string, string][] = [
    // patient, admitted, discharged, disposition, ward
    ['F', '2025-01-01 08:00', '2025-01-03 09:00', 'home', 'Surgery'], // the first admission: dates the data's start
    ['D', '2025-01-20 08:00', '2025-02-03 09:00', 'home', 'Surgery'], // its look-back starts before the data
    ['G', '2025-02-01 00:30', '2025-02-02 09:00', 'home', 'Surgery'], // admitted on window_start
    ['A', '2025-03-01 08:00', '2025-03-03 10:00', 'home', 'Respiratory'],
    ['A', '2025-03-10 08:00', '2025-03-12 10:00', 'home', 'Surgery'], // A's readmission within 7 days
    ['B', '2025-03-01 08:00', '2025-03-03 10:00', 'home', 'Surgery'],
    ['B', '2025-03-03 14:00', '2025-03-05 10:00', 'home_with_services', 'Respiratory'], // 4 hours later: a transfer
    ['B', '2025-03-20 08:00', '2025-03-22 10:00', 'home', 'Respiratory'], // readmission after the transfer's stay
    ['C', '2025-03-01 08:00', '2025-03-03 10:00', 'died', 'Respiratory'],
    ['E', '2025-05-28 08:00', '2025-05-31 09:00', 'home', 'Surgery'], // its follow-up ends after the data
    ['L', '2025-06-30 08:00', '2025-07-02 09:00', 'home', 'Surgery'], // the last admission: dates the data's end
  ];

  beforeEach(async () => {
    const values = stays
      .map(([p, a, d, disp, ward]) => `('${p}', TIMESTAMP '${a}', TIMESTAMP '${d}', '${disp}', '${ward}')`)
      .join(', ');
    await conn.run(
      `CREATE TABLE evergreen_admissions AS SELECT * FROM (VALUES ${values}) t(patient_id, admit_time, discharge_time, discharge_disposition, ward)`,
    );
  });

  it('readmission_30d_by_ward counts the same index stays by ward of the index stay and month', async () => {
    const rows = await queryJson(
      conn,
      `SELECT strftime(discharge_month, '%Y-%m') AS month, ward, strftime(window_start, '%Y-%m-%d') AS window_start,
              strftime(window_end, '%Y-%m-%d') AS window_end, n_index_stays, n_readmitted_30d, n_readmitted_7d,
              n_index_stays_cms, n_readmitted_30d_cms
       FROM (${definition('readmission_30d_by_ward').sql})`,
    );
    const row = (
      month: string,
      ward: string,
      n: number,
      r30: number,
      r7: number,
      nCms: number,
      rCms: number,
    ) => ({
      month,
      ward,
      window_start: '2025-02-01',
      window_end: '2025-05-30',
      n_index_stays: String(n),
      n_readmitted_30d: String(r30),
      n_readmitted_7d: String(r7),
      n_index_stays_cms: String(nCms),
      n_readmitted_30d_cms: String(rCms),
    });
    expect(rows).toEqual([
      row('2025-02', 'Surgery', 1, 0, 0, 1, 0), // G
      // A's first stay (readmitted on Surgery within 7 days), B's second stay (readmitted on 03-20) and third.
      row('2025-03', 'Respiratory', 3, 2, 1, 3, 2),
      // A's second stay, and B's first: readmitted 4 hours later, a transfer, so no CMS-style index stay.
      row('2025-03', 'Surgery', 2, 1, 1, 1, 0),
    ]);
    // Month by month, the wards add up to readmission_30d's days.
    const [daily] = await queryJson(
      conn,
      `SELECT sum(n_index_stays) AS n, sum(n_readmitted_30d) AS r30, sum(n_readmitted_7d) AS r7,
              sum(n_index_stays_cms) AS n_cms, sum(n_readmitted_30d_cms) AS r_cms
       FROM (${definition('readmission_30d').sql})`,
    );
    expect(daily).toEqual({ n: '6', r30: '3', r7: '2', n_cms: '5', r_cms: '2' });
  });

  it('counts index stays over complete windows read from the data, with plain and CMS-style readmissions', async () => {
    const rows = await queryJson(
      conn,
      `SELECT strftime(discharge_date, '%m-%d') AS day, strftime(window_start, '%Y-%m-%d') AS window_start,
              strftime(window_end, '%Y-%m-%d') AS window_end, n_index_stays, n_readmitted_30d, n_readmitted_7d,
              n_index_stays_cms, n_readmitted_30d_cms
       FROM (${definition('readmission_30d').sql})`,
    );
    const windows = { window_start: '2025-02-01', window_end: '2025-05-30' };
    const row = (day: string, n: number, r30: number, r7: number, nCms: number, rCms: number) => ({
      day,
      ...windows,
      n_index_stays: String(n),
      n_readmitted_30d: String(r30),
      n_readmitted_7d: String(r7),
      n_index_stays_cms: String(nCms),
      n_readmitted_30d_cms: String(rCms),
    });
    expect(rows).toEqual([
      row('02-02', 1, 0, 0, 1, 0), // G
      row('03-03', 2, 2, 2, 1, 1), // A and B (C died); B was transferred, so only A is a CMS-style index stay
      row('03-05', 1, 1, 0, 1, 1), // B's second stay, readmitted on 03-20
      row('03-12', 1, 0, 0, 1, 0),
      row('03-22', 1, 0, 0, 1, 0),
    ]);
  });

  it('moves its window with the data', async () => {
    await conn.run(
      "INSERT INTO evergreen_admissions VALUES ('M', TIMESTAMP '2025-08-01 08:00', TIMESTAMP '2025-08-02 08:00', 'home', 'Surgery')",
    );
    const [row] = await queryJson(
      conn,
      `SELECT DISTINCT strftime(window_end, '%Y-%m-%d') AS window_end FROM (${definition('readmission_30d').sql})`,
    );
    expect(row).toEqual({ window_end: '2025-07-01' });
  });
});

describe('mimic_readmission_30d', () => {
  it('ships the plain rate and the CMS-style rate: deaths, transfers and planned readmissions excluded', async () => {
    const admissions: [number, string, string, string, number][] = [
      // subject, admitted, discharged, admission_type, died in hospital
      [1, '2150-01-01 08:00', '2150-01-05 10:00', 'EW EMER.', 0],
      [1, '2150-01-10 08:00', '2150-01-12 10:00', 'ELECTIVE', 0], // planned: no CMS-style readmission
      [1, '2150-01-20 08:00', '2150-01-22 10:00', 'EW EMER.', 0], // follows a planned one: counts for it only
      [2, '2150-01-01 08:00', '2150-01-03 10:00', 'URGENT', 0],
      [2, '2150-01-03 13:00', '2150-01-06 10:00', 'EW EMER.', 1], // a transfer, then death
      [3, '2150-01-01 08:00', '2150-01-03 10:00', 'URGENT', 0],
    ];
    const values = admissions
      .map(([s, a, d, t, died]) => `(${s}, TIMESTAMP '${a}', TIMESTAMP '${d}', '${t}', ${died})`)
      .join(', ');
    await conn.run(
      `CREATE TABLE admissions AS SELECT * FROM (VALUES ${values}) t(subject_id, admittime, dischtime, admission_type, hospital_expire_flag)`,
    );
    const rows = await queryJson(
      conn,
      `SELECT admission_type, n_index_admissions, n_readmitted_30d, n_index_admissions_cms, n_readmitted_30d_cms
       FROM (${definition('mimic_readmission_30d').sql})`,
    );
    const row = (type: string, n: number, r: number, nCms: number, rCms: number) => ({
      admission_type: type,
      n_index_admissions: String(n),
      n_readmitted_30d: String(r),
      n_index_admissions_cms: String(nCms),
      n_readmitted_30d_cms: String(rCms),
    });
    expect(rows).toEqual([
      row('ELECTIVE', 1, 1, 1, 1),
      row('EW EMER.', 2, 1, 2, 0),
      row('URGENT', 2, 1, 1, 0),
      row('ALL', 5, 3, 4, 1),
    ]);
  });
});
