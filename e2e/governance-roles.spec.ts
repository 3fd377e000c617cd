/**
 * Per-role viewpoints (in the spirit of PostgreSQL's rowsecurity tests): each role runs queries through the
 * notebook and sees exactly what the documented policy gives it. Expected values are computed here with
 * native DuckDB over the lake's Parquet, applying the policy as src/gov/README.md documents it (keyed
 * SHA-256 keys, per-patient date shift, partial masks, ward filters, small-cell suppression), never copied
 * from what the app shows.
 */
import { gridRows, literal, nativeRows, servedPolicy } from './support/governance';
import { sharePage } from './support/shared-page';
import { maskKeysOf } from './support/mask-secret';
import { cell, expect, runSql, test } from './support/notebook';
import type { Page } from '@playwright/test';

const policy = servedPolicy();
const keys = maskKeysOf('DataAnalyst');
const maxDays = policy.dateShift.maxDays;
const wardList = policy.demoUsers.Clinician?.attributes.wards;
const wards = (Array.isArray(wardList) ? wardList : [wardList ?? '']).map(literal).join(', ');

/** A keyed hash: sha256(outer || sha256(inner || ':purpose:' || value)), the role's keys from the build's secret. */
const keyed = (purpose: string, col: string) =>
  `sha256(${literal(keys.outer)} || sha256(${literal(`${keys.inner}:${purpose}:`)} || CAST(${col} AS VARCHAR)))`;
/** `hash`: the first 16 hex characters of the keyed hash. */
const hashed = (col: string) => `substr(${keyed('hash', col)}, 1, 16)`;
/** `date_shift`: −maxDays…+maxDays days from 32 bits of the keyed hash of the patient key. */
const shifted = (col: string, key: string) =>
  `${col} + to_days(CAST((('0x' || substr(${keyed('shift', key)}, 1, 8))::BIGINT % ${2 * maxDays + 1}) - ${maxDays} AS INTEGER))`;
/** `partial`: stars, then the last four characters. */
const partial = (col: string) => `repeat('*', greatest(length(${col}) - 4, 0)) || right(${col}, 4)`;
/** Small cells: a group under 11 patients (or with no count) is suppressed. */
const small = `NOT coalesce(n_patients >= 11, false)`;
/** ...and, in the Evergreen views, every row of a month in which any of them has a small group. */
const smallMonth = (period: string) =>
  `(${small} OR date_trunc('month', ${period}) IN (
    SELECT date_trunc('month', discharge_date) FROM {readmission_30d} WHERE ${small}
    UNION SELECT discharge_month FROM {los_by_ward} WHERE ${small}
    UNION SELECT discharge_month FROM {early_discharge_flags} WHERE ${small}))`;
/** ...and MIMIC's ALL row while one of its parts is small. */
const smallOrTotal = `(${small} OR (admission_type = 'ALL' AND EXISTS (
    SELECT 1 FROM {mimic_readmission_30d} WHERE admission_type <> 'ALL' AND ${small})))`;

async function expectRows(page: Page, sql: string, native: string): Promise<void> {
  const expected = await nativeRows(native);
  await runSql(page, 'cell_1', sql);
  expect(await gridRows(page, 'cell_1')).toEqual(expected);
}

/**
 * A denial names the role, the object and its tier in its message, the policy rule behind it and what to
 * do, and the guard's rule beside it.
 */
async function expectDenied(page: Page, sql: string, message: string | RegExp, rule?: string): Promise<void> {
  await runSql(page, 'cell_1', sql, 'Denied');
  const alert = cell(page, 'cell_1').getByRole('alert');
  await expect(alert).toContainText(message);
  if (rule) await expect(alert).toContainText(`Rule: ${rule}`);
}

test.describe('what each role sees', () => {
  const as = sharePage();

  test('DataAnalyst: keys hashed but joinable, dates shifted per patient, PII nulled, identifiers denied', async ({
    browser,
    baseURL,
  }) => {
    const page = await as(browser, baseURL, 'DataAnalyst');
    await expectRows(
      page,
      'SELECT subject_id FROM patients ORDER BY subject_id LIMIT 3',
      `SELECT ${hashed('subject_id')} AS h FROM {patients} ORDER BY h LIMIT 3`,
    );
    await expectRows(
      page,
      'SELECT count(*) AS n FROM admissions a JOIN patients p USING (subject_id)',
      'SELECT count(*) FROM {admissions} a JOIN {patients} p USING (subject_id)',
    );
    await expectRows(
      page,
      'SELECT CAST(min(admittime) AS VARCHAR) AS first_admit, CAST(max(dischtime - admittime) AS VARCHAR) AS longest FROM admissions',
      `SELECT CAST(min(${shifted('admittime', 'subject_id')}) AS VARCHAR), CAST(max(dischtime - admittime) AS VARCHAR) FROM {admissions}`,
    );
    await expectRows(
      page,
      'SELECT count(*) AS n, count(event_id) AS ids FROM evergreen_audit_events',
      'SELECT count(*), 0 FROM {evergreen_audit_events}',
    );
    await expectDenied(
      page,
      'SELECT ssn FROM synthea_patients',
      'DataAnalyst may not read column synthea_patients.ssn (PII): deny rule "direct identifiers" of role DataAnalyst. Leave the column out, or ask for a role that may read it: DataSteward, Admin.',
      'column-grant',
    );
    await expectDenied(
      page,
      'SELECT comments FROM labevents',
      'DataAnalyst may not read column labevents.comments (PHI)',
    );
  });

  test('Clinician: patients of the own wards only, unmasked; no synthetic registry; small groups suppressed', async ({
    browser,
    baseURL,
  }) => {
    const page = await as(browser, baseURL, 'Clinician');
    const seen = `subject_id IN (SELECT subject_id FROM {transfers} WHERE careunit IN (${wards}))`;
    await expectRows(
      page,
      'SELECT count(*) AS n FROM admissions',
      `SELECT count(*) FROM {admissions} WHERE ${seen}`,
    );
    await expectRows(
      page,
      'SELECT careunit, count(*) AS n FROM transfers GROUP BY careunit ORDER BY careunit',
      `SELECT careunit, count(*) FROM {transfers} WHERE careunit IN (${wards}) GROUP BY careunit ORDER BY careunit`,
    );
    await expectRows(
      page,
      'SELECT min(subject_id) AS first, CAST(min(dod) AS VARCHAR) AS dod FROM patients',
      `SELECT min(subject_id), CAST(min(dod) AS VARCHAR) FROM {patients} WHERE ${seen}`,
    );
    await expectRows(
      page,
      'SELECT ward, count(*) AS n FROM evergreen_admissions GROUP BY ward ORDER BY ward',
      `SELECT ward, count(*) FROM {evergreen_admissions} WHERE ward IN (${wards}) GROUP BY ward ORDER BY ward`,
    );
    await expectRows(
      page,
      'SELECT count(*) FILTER (WHERE suppressed) AS s, count(*) FILTER (WHERE suppressed AND n_patients IS NULL AND mean_los_hours IS NULL) AS blank, count(*) AS n FROM los_by_ward',
      `SELECT count(*) FILTER (WHERE ${smallMonth('discharge_month')}), count(*) FILTER (WHERE ${smallMonth('discharge_month')}), count(*) FROM {los_by_ward}`,
    );
    await expectDenied(
      page,
      'SELECT count(*) FROM synthea_patients',
      /^Clinician may not read table synthea_patients \(\w+\): deny rule "no synthetic registry, no staff audit" of role Clinician\./,
    );
  });

  test('Public: published aggregates with small cells suppressed, CMS files, nothing patient-level; attacks refused', async ({
    browser,
    baseURL,
  }) => {
    const page = await as(browser, baseURL, 'Public');
    await expectRows(
      page,
      'SELECT sum(n_index_stays) AS stays, count(*) FILTER (WHERE suppressed) AS s, count(*) FILTER (WHERE suppressed AND n_readmitted_30d IS NULL) AS blank FROM readmission_30d',
      `SELECT sum(n_index_stays) FILTER (WHERE NOT ${smallMonth('discharge_date')}), count(*) FILTER (WHERE ${smallMonth('discharge_date')}), count(*) FILTER (WHERE ${smallMonth('discharge_date')}) FROM {readmission_30d}`,
    );
    await expectRows(page, 'SELECT count(*) AS n FROM cms_hospitals', 'SELECT count(*) FROM {cms_hospitals}');
    await expectDenied(
      page,
      'SELECT count(*) FROM admissions',
      'Public may not read table admissions (PHI): no grant of role Public ("public tier") reaches it. Ask for a role that may read it: DataAnalyst, Clinician, DataSteward, Admin.',
      'table-grant',
    );
    await expectDenied(
      page,
      'SELECT * FROM evergreen_admissions',
      'Public may not read table evergreen_admissions',
    );

    // A file path is not a table here: the locked instance reads no file, so DuckDB finds no such table.
    await runSql(page, 'cell_1', "FROM 'phi/curated/admissions/part-000.parquet'", 'Error');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText('does not exist');
    for (const [attack, message, rule] of [
      [
        "SELECT * FROM read_parquet('phi/curated/patients/part-000.parquet')",
        'Table function read_parquet is not allowed in cells',
        'table-function',
      ],
      ["ATTACH ':memory:' AS s", 'a ATTACH statement is refused', 'read-only'],
      ['SET lock_configuration = false', 'a SET statement is refused', 'read-only'],
      [
        "SET VARIABLE p = 'admissions'; SELECT * FROM query_table(getvariable('p'))",
        'a SET statement is refused',
        'read-only',
      ],
      [
        'SELECT * FROM duckdb_tables()',
        'Catalog function duckdb_tables is not available in cells',
        'introspection',
      ],
      [
        'SELECT count(*) FROM cms_hospitals UNION ALL SELECT count(*) FROM patients',
        'Public may not read table patients (PHI)',
        'table-grant',
      ],
    ] as const) {
      await expectDenied(page, attack, message, rule);
    }
  });

  test('Auditor: reads the audit log and published aggregates, no patient data', async ({
    browser,
    baseURL,
  }) => {
    const page = await as(browser, baseURL, 'Auditor');
    await runSql(page, 'cell_1', "SELECT count(*) > 0 AS any FROM audit_log WHERE action = 'role-change'");
    expect(await gridRows(page, 'cell_1')).toEqual([['true']]);
    await expectRows(
      page,
      'SELECT count(*) FILTER (WHERE suppressed) AS s, count(*) AS n FROM mimic_readmission_30d',
      `SELECT count(*) FILTER (WHERE ${smallOrTotal}), count(*) FROM {mimic_readmission_30d}`,
    );
    await expectDenied(page, 'SELECT count(*) FROM patients', 'Auditor may not read table patients (PHI)');
  });

  test('DataSteward: everything, identifiers partly masked, true dates, no suppression', async ({
    browser,
    baseURL,
  }) => {
    const page = await as(browser, baseURL, 'DataSteward');
    await expectRows(
      page,
      'SELECT ssn, first FROM synthea_patients ORDER BY id LIMIT 3',
      `SELECT ${partial('ssn')}, ${partial('first')} FROM {synthea_patients} ORDER BY id LIMIT 3`,
    );
    await expectRows(
      page,
      'SELECT CAST(min(admittime) AS VARCHAR) AS first_admit, min(subject_id) AS first_subject FROM admissions',
      'SELECT CAST(min(admittime) AS VARCHAR), min(subject_id) FROM {admissions}',
    );
    await expectRows(
      page,
      'SELECT count(*) AS small FROM readmission_30d WHERE n_patients < 11',
      'SELECT count(*) FROM {readmission_30d} WHERE n_patients < 11',
    );
    await expectDenied(
      page,
      'SELECT count(*) FROM audit_log',
      'DataSteward may not read table audit_log (permission readAudit). Ask for a role with that permission: Auditor, Admin.',
      'audit-permission',
    );
  });

  test('Admin: everything unmasked, and the audit log', async ({ browser, baseURL }) => {
    const page = await as(browser, baseURL, 'Admin');
    await expectRows(
      page,
      'SELECT ssn, first FROM synthea_patients ORDER BY id LIMIT 3',
      'SELECT ssn, first FROM {synthea_patients} ORDER BY id LIMIT 3',
    );
    await expectRows(
      page,
      'SELECT count(comments) AS n FROM labevents',
      'SELECT count(comments) FROM {labevents}',
    );
    await runSql(
      page,
      'cell_1',
      "SELECT role FROM audit_log WHERE action = 'role-change' ORDER BY seq DESC LIMIT 1",
    );
    expect(await gridRows(page, 'cell_1')).toEqual([['Admin']]);
  });
});
