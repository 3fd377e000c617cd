import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, queryJson, sqlIdent, sqlString, type Duck } from '../../../scripts/lake/duck.ts';
import { registerTables } from '../../../scripts/lake/lake-views.ts';
import { readManifest } from '../../../scripts/lake/manifest-store.ts';
import { GAMING_WARD, TIMELINE } from '../../../scripts/lake/evergreen/simulate.ts';
import { REVIEW_FILE } from '../../../scripts/lake/write-review-notebook.ts';
import { missingChoices, parseChartConfig } from '../../charts/config.ts';
import { testViewOptions } from '../../gov/fixtures/test-lake.ts';
import { parsePolicy } from '../../gov/policy-schema.ts';
import { buildRoleView, roleSelectSql } from '../../gov/role-view.ts';
import { buildGraph } from '../../notebook/model/deps.ts';
import { restoreNotebook, serializeNotebook } from '../../notebook/model/file-format.ts';
import { checkCellName } from '../../notebook/model/names.ts';
import { referencedNames } from '../../notebook/model/sql-tokens.ts';
import { fastTrackReview } from './fast-track-review.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const lakeDir = path.join(projectDir, 'public/sample-lake');
const manifest = readManifest(lakeDir)!;
const review = fastTrackReview();
const sqlCells = review.cells.flatMap((c) => (c.kind === 'sql' ? [c] : []));

describe('the Fast-Track review notebook file', () => {
  it('is a valid .lakebook.json and the shipped file is the one the module builds', () => {
    const shipped = readFileSync(path.join(lakeDir, REVIEW_FILE), 'utf8');
    expect(shipped).toBe(serializeNotebook(review));
    const restored = restoreNotebook(shipped);
    expect(restored.ok).toBe(true);
    if (restored.ok) expect(restored.notebook).toEqual(review);
  });

  it('has cell names that hide no lake table, no cycle, and charts drawn from earlier SQL cells', () => {
    const tables = manifest.tables.map((t) => t.name);
    for (const c of sqlCells) expect(checkCellName(c.name, review.cells, c.id, tables)).toEqual({ ok: true });
    expect(buildGraph(review.cells).cycles).toEqual([]);
    for (const [i, c] of review.cells.entries()) {
      if (c.kind !== 'chart') continue;
      const source = review.cells.findIndex((s) => s.kind === 'sql' && s.name === c.config.source);
      expect(source, `chart ${c.id} source`).toBeGreaterThanOrEqual(0);
      expect(source).toBeLessThan(i);
    }
    expect(review.cells.filter((c) => c.kind === 'chart').length).toBeGreaterThanOrEqual(8);
  });

  it('names no ward and no rule date: the data supply both', () => {
    const text = JSON.stringify(review);
    const wards = ['Cardiology', 'General Medicine', 'Orthopaedics', 'Respiratory', 'Surgery', 'Oncology'];
    for (const ward of wards) expect(text).not.toContain(ward);
    expect(text).not.toMatch(/20\d\d-\d\d-\d\d'/);
  });
});

/**
 * Runs every SQL cell in order, as the engine does (each cell a TEMP VIEW named after it), over what the
 * DataAnalyst role sees: the role view's masked columns computed from the sample lake.
 */
describe('the review under DataAnalyst', () => {
  let conn: Duck;
  let work: string;
  const results = new Map<string, Record<string, unknown>[]>();

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'review-'));
    const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
    const view = buildRoleView(
      policy,
      manifest,
      { user: 'analyst', role: 'DataAnalyst', attributes: {} },
      testViewOptions,
    );
    const allNames = new Set(manifest.tables.map((t) => t.name));
    const used = new Set(sqlCells.flatMap((c) => [...referencedNames(c.sql, allNames)]));
    const staging = await openDuck();
    await registerTables(staging, lakeDir, manifest, [...used]);
    conn = await openDuck();
    for (const access of view.tables.filter((t) => used.has(t.table))) {
      const file = path.join(work, `${access.table}.parquet`);
      await staging.run(`COPY (${roleSelectSql(access)}) TO ${sqlString(file)} (FORMAT parquet)`);
      await conn.run(
        `CREATE VIEW ${sqlIdent(access.table)} AS SELECT * FROM read_parquet(${sqlString(file)})`,
      );
    }
    for (const c of sqlCells) {
      await conn.run(`CREATE TEMP VIEW ${sqlIdent(c.name)} AS ${c.sql}`);
      results.set(c.name, await queryJson(conn, `SELECT * FROM ${sqlIdent(c.name)}`));
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs top to bottom and every cell returns rows', () => {
    for (const c of sqlCells) expect(results.get(c.name)?.length, c.name).toBeGreaterThan(0);
  });

  it('finds the rule start within days of the simulated one, and the ward the generator planted', () => {
    const [start] = results.get('rule_start')!;
    const lag = Date.parse(String(start!.rule_date)) - Date.parse(TIMELINE.rule);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(7 * 86_400_000);
    const [under] = results.get('ward_under_review')!;
    expect(under!.ward).toBe(GAMING_WARD);
    expect(under!.rise_is_clear).toBe(true);
  });

  it('every chart is complete and draws columns its source cell returns', () => {
    for (const c of review.cells) {
      if (c.kind !== 'chart') continue;
      const config = parseChartConfig(c.config);
      expect(missingChoices(config), c.id).toEqual([]);
      const columns = Object.keys(results.get(config.source)![0]!);
      for (const col of [config.x, config.y, config.series].filter(Boolean))
        expect(columns, `${c.id} ${col}`).toContain(col);
    }
  });

  it('shows the hospital-wide 30-day reduction with an interval below zero', () => {
    const [overall] = results.get('readmission_overall')!;
    expect(Number(overall!.ci_high_30d)).toBeLessThan(0);
    const byWard = results.get('readmission_by_ward')!;
    const falling = byWard.filter((r) => Number(r.ci_high_30d) < 0).map((r) => r.ward);
    expect(falling).not.toContain(GAMING_WARD);
    expect(falling.length).toBe(byWard.length - 1);
  });
});
