import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../src/lake/manifest';
import { nativeScalar } from './support/lake-facts';
import { expect, gridCell, openNotebook, runSql, test } from './support/notebook';

const LAKE = path.resolve('public/sample-lake');

/** Native DuckDB's reader over a raw table's gzip files, every field as text. */
function rawFiles(table: string): string {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(LAKE, 'catalog.json'), 'utf8')));
  const entry = manifest.tables.find((t) => t.name === table);
  if (!entry) throw new Error(`table ${table} is not in the sample lake`);
  return `[${entry.files.map((f) => `'${path.join(LAKE, f.path)}'`).join(', ')}]`;
}

test.describe('raw zone in the browser', () => {
  test('raw discharge forms (gzip JSON) join curated admissions in one statement', async ({ page }) => {
    const forms = `read_json(${rawFiles('raw_evergreen_discharge_forms')}, format = 'array',
      columns = {admission_id: 'VARCHAR', fast_track: 'VARCHAR'})`;
    const expected = await nativeScalar(
      `SELECT count(*) FROM ${forms} f JOIN {evergreen_admissions} a USING (admission_id)
       WHERE f.fast_track = 'true'`,
    );
    await openNotebook(page);
    await runSql(
      page,
      'cell_1',
      `SELECT count(*) AS n FROM raw_evergreen_discharge_forms f
       JOIN evergreen_admissions a USING (admission_id) WHERE f.fast_track = 'true'`,
    );
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
  });

  test('raw ADT (gzip CSV) loads as text with every row', async ({ page }) => {
    const expected = await nativeScalar(
      `SELECT count(*) FROM read_csv(${rawFiles('raw_evergreen_adt')}, all_varchar = true)`,
    );
    await openNotebook(page);
    await runSql(
      page,
      'cell_1',
      'SELECT count(*) AS n, typeof(any_value(los_hours)) AS t FROM raw_evergreen_adt',
    );
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
    await expect(gridCell(page, 'cell_1', 0, 1)).toHaveText('VARCHAR');
  });
});
