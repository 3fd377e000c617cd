import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/lake/manifest.ts';
import { tableTier } from '../../src/lake/layout.ts';
import { sha256Of } from './atomic-file.ts';
import { definitionDrift } from './metric-lineage.ts';
import { createBrowserPathLoader } from './parquet-wasm-check.ts';
import { unlistedFiles } from './unlisted-files.ts';

const lakeDir = path.resolve(import.meta.dirname, '../../public/sample-lake');
const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));

describe('the committed sample lake', () => {
  it('has the foundation tables, with 275 MIMIC admissions', () => {
    const names = manifest.tables.map((t) => t.name);
    for (const name of ['patients', 'admissions', 'transfers', 'diagnoses_icd', 'cms_hrrp']) {
      expect(names).toContain(name);
    }
    expect(manifest.tables.find((t) => t.name === 'admissions')?.rowCount).toBe(275);
  });

  it('keeps every file in the folder of its tier, with the recorded size and checksum', () => {
    for (const table of manifest.tables) {
      expect(table.tier).toBe(tableTier(table));
      for (const file of table.files) {
        expect(file.path.startsWith(`${table.tier.toLowerCase()}/${table.zone}/`)).toBe(true);
        const bytes = readFileSync(path.join(lakeDir, file.path));
        expect(bytes.length, file.path).toBe(file.bytes);
        expect(sha256Of(bytes), file.path).toBe(file.sha256);
      }
    }
  });

  it('has metric views that follow from the SQL files as they are, and no file the catalog does not list', () => {
    const projectDir = path.resolve(lakeDir, '../..');
    for (const table of manifest.tables.filter((t) => t.zone === 'metrics'))
      expect(definitionDrift(projectDir, table), table.name).toBeUndefined();
    expect(unlistedFiles(lakeDir, manifest)).toEqual([]);
  });

  it('loads through parquet-wasm into DuckDB-WASM with the rows and types the catalog states', async () => {
    const parquetTables = manifest.tables.filter((t) => t.files.every((f) => f.format === 'parquet'));
    expect(parquetTables.length).toBeGreaterThan(10);
    const loadLikeTheBrowser = await createBrowserPathLoader();
    for (const table of parquetTables) {
      for (const file of table.files) {
        const loaded = loadLikeTheBrowser(readFileSync(path.join(lakeDir, file.path)));
        expect(loaded.rows, file.path).toBe(file.rows);
        expect(loaded.columns, file.path).toEqual(table.columns.map((c) => ({ name: c.name, type: c.type })));
      }
    }
  });
});
