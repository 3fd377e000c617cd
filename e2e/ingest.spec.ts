import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gridRows, nativeRows, openAs, switchRole } from './support/governance';
import { cell, expect, runSql, test, waitForEngine } from './support/notebook';

/** Three good ADT events (two of them stays the lake already holds) and one broken line. */
const FILE = 'evergreen_adt-followup.jsonl';
const event = (id: string, ward: string) =>
  JSON.stringify({
    admission_id: id,
    patient_id: 'EVP-FOLLOWUP-1',
    ward,
    attending_id: 'EVD001',
    diagnosis_group: 'Hip fracture',
    admit_time: '2025-02-01T08:00:00Z',
    discharge_time: '2025-02-03T10:30:00Z',
    los_hours: 50.5,
    discharge_disposition: 'home',
  });
const JSONL = [
  event('EVA00000000', 'Orthopaedics'),
  event('EVA00000001', 'Orthopaedics'),
  '{"admission_id": "EVA-BROKEN", "ward": ',
  event('EVA-FOLLOWUP-9', 'Cardiology'),
].join('\n');

const panel = (page: Page) => page.getByRole('region', { name: 'Local data' });
const result = (page: Page) => page.getByRole('status', { name: 'Ingest result' });

/** Drops a file on the panel the way a browser does: a drop event carrying it in its DataTransfer. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'application/x-ndjson' }));
      return dt;
    },
    [name, text],
  );
  await panel(page).locator('.ingest-drop').dispatchEvent('drop', { dataTransfer: transfer });
}

/** A small Parquet file written by native DuckDB, matching no table contract. */
async function wardBedsParquet(): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lakebook-ingest-'));
  try {
    const file = path.join(dir, 'ward_beds.parquet');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('Cardiology', 24), ('Orthopaedics', 18)) t(ward, beds)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function count(page: Page, table: string): Promise<string> {
  await runSql(page, 'cell_1', `SELECT count(*) AS n FROM ${table}`);
  return (await gridRows(page, 'cell_1'))[0][0];
}

test.describe('files added in the browser', () => {
  test('a picked JSONL file is validated into local tables, joins the lake, survives a reload, is audited and erased', async ({
    page,
  }) => {
    await openAs(page, 'DataAnalyst');

    await panel(page)
      .getByLabel('Add files to the lake')
      .setInputFiles({ name: FILE, mimeType: 'application/x-ndjson', buffer: Buffer.from(JSONL) });
    await expect(result(page)).toContainText(
      `${FILE} → local_raw_evergreen_adt, local_evergreen_admissions: 3 ingested, 0 duplicate, 1 rejected.`,
    );
    await expect(page.getByRole('list', { name: `Rejected events of ${FILE}` })).toContainText('line 3:');
    await expect(page.getByRole('button', { name: 'Insert local_evergreen_admissions' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Insert local_raw_evergreen_adt' })).toBeVisible();

    // The same file dropped again changes nothing: its events are duplicates.
    await dropFile(page, FILE, JSONL);
    await expect(result(page)).toContainText('0 ingested, 3 duplicate, 1 rejected');

    expect(await count(page, 'local_evergreen_admissions')).toBe('3');
    // The raw zone keeps every parsed event as it arrived, the broken line excepted.
    expect(await count(page, 'local_raw_evergreen_adt')).toBe('3');

    // Raw events as they arrived, joined with a curated lake table in one statement. As DataAnalyst the
    // lake's keys are pseudonyms the site build made; the file's keys are masked with this tab's own keys,
    // so the two never match: a file of guessed keys cannot tell which pseudonym belongs to whom.
    const join =
      'SELECT a.ward, a.diagnosis_group, r.ward AS reported_ward FROM local_raw_evergreen_adt r JOIN evergreen_admissions a USING (admission_id) ORDER BY a.admit_time';
    await runSql(page, 'cell_1', join);
    expect(await gridRows(page, 'cell_1')).toEqual([]);
    // A role that reads the true keys joins the file with the lake.
    await switchRole(page, 'Admin');
    await runSql(page, 'cell_1', join);
    const expected = await nativeRows(
      "SELECT ward, diagnosis_group, 'Orthopaedics' FROM {evergreen_admissions} WHERE admission_id IN ('EVA00000000', 'EVA00000001') ORDER BY admit_time",
    );
    expect(expected).toHaveLength(2);
    expect(await gridRows(page, 'cell_1')).toEqual(expected);
    await switchRole(page, 'DataAnalyst');

    await page.reload();
    await waitForEngine(page);
    await expect(page.getByRole('button', { name: 'Insert local_evergreen_admissions' })).toBeVisible();
    expect(await count(page, 'local_evergreen_admissions')).toBe('3');

    await switchRole(page, 'Auditor');
    await runSql(page, 'cell_1', "SELECT statement FROM audit_log WHERE action = 'ingest' ORDER BY seq");
    expect(await gridRows(page, 'cell_1')).toEqual([
      [`ingest ${FILE}: 3 ingested, 0 duplicate, 1 rejected`],
      [`ingest ${FILE}: 0 ingested, 3 duplicate, 1 rejected`],
    ]);
    await switchRole(page, 'DataAnalyst');

    await panel(page).getByRole('button', { name: 'Erase local data' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm erasing local data' });
    await confirm.getByRole('button', { name: 'Erase' }).click();
    await expect(page.getByRole('button', { name: 'Insert local_evergreen_admissions' })).toHaveCount(0);
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM local_evergreen_admissions', 'Error');

    await page.reload();
    await waitForEngine(page);
    await expect(cell(page, 'cell_1')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Insert local_raw_evergreen_adt' })).toHaveCount(0);
  });

  test('a Parquet file that matches no contract is loaded as a raw table tagged PHI, and says so', async ({
    page,
  }) => {
    await openAs(page, 'DataAnalyst');
    await panel(page)
      .getByLabel('Add files to the lake')
      .setInputFiles({
        name: 'Ward Beds.parquet',
        mimeType: 'application/vnd.apache.parquet',
        buffer: await wardBedsParquet(),
      });
    await expect(result(page)).toContainText('Ward Beds.parquet → local_raw_ward_beds: 2 ingested');
    await expect(result(page)).toContainText('matches no table contract');
    await expect(result(page)).toContainText('tagged PHI by default');
    const catalogRow = page
      .getByRole('navigation', { name: 'Lake catalog' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Insert local_raw_ward_beds' }) });
    await expect(catalogRow).toContainText('PHI');
    await runSql(page, 'cell_1', 'SELECT ward, beds FROM local_raw_ward_beds ORDER BY ward');
    expect(await gridRows(page, 'cell_1')).toEqual([
      ['Cardiology', '24'],
      ['Orthopaedics', '18'],
    ]);

    // Public may read no PHI: the uploaded table is absent from its catalog.
    await switchRole(page, 'Public');
    await expect(page.getByRole('button', { name: 'Insert local_raw_ward_beds' })).toHaveCount(0);
  });
});
