import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { openDuck } from '../lake/duck.ts';
import { readManifest } from '../lake/manifest-store.ts';
import { metricPackSchemaFiles, schemaFileText } from './metric-pack-schemas.ts';
import { writeMetricPacks } from './metric-packs.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lakeDir = path.join(projectDir, 'public/sample-lake');

// The zod schemas emit a pattern next to each format, so the patterns do the checking and ajv needs no
// format plugin; without these entries ajv's strict mode refuses the unknown formats.
const ajv = new Ajv2020({
  allErrors: true,
  allowUnionTypes: true,
  formats: { 'date-time': true, date: true },
});
const committed = (file: string) => JSON.parse(readFileSync(path.join(projectDir, file), 'utf8')) as object;
const validatePack = ajv.compile(committed('docs/metric-pack.schema.json'));
const validateIndex = ajv.compile(committed('docs/metric-pack-index.schema.json'));

let out: string;
let packs: Record<string, unknown>[];
let index: unknown;

beforeAll(async () => {
  const manifest = readManifest(lakeDir)!;
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  out = mkdtempSync(path.join(tmpdir(), 'pack-schemas-'));
  const conn = await openDuck();
  const report = await writeMetricPacks({ conn, lakeDir, projectDir, manifest, policy }, out);
  conn.closeSync();
  index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
  packs = report.index.metrics.map((m) => JSON.parse(readFileSync(path.join(out, m.url), 'utf8')));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const copy = <T>(x: T): T => structuredClone(x);

describe('JSON Schemas of the metric pack format', () => {
  it('the committed schema files are what the zod schemas give (run npm run -s schemas after changing them)', async () => {
    const files = metricPackSchemaFiles();
    expect(files.map((f) => f.file).sort()).toEqual([
      'docs/metric-pack-index.schema.json',
      'docs/metric-pack.schema.json',
    ]);
    for (const entry of files)
      expect(readFileSync(path.join(projectDir, entry.file), 'utf8'), entry.file).toBe(
        await schemaFileText(projectDir, entry),
      );
  });

  it('every pack written from the sample lake, and its index, validates', () => {
    expect(packs.length).toBeGreaterThan(3);
    expect(packs.some((p) => 'beforeAfter' in p)).toBe(true);
    for (const pack of packs) expect(validatePack(pack), JSON.stringify(validatePack.errors)).toBe(true);
    // The fields an agent reads first are there, in every pack, as the schema describes them.
    const readmission = packs.find((p) => p.name === 'readmission_30d') as {
      caveats: string[];
      related: unknown[];
      columns: { unit: string; description: string }[];
    };
    expect(readmission.caveats.length).toBeGreaterThan(3);
    expect(readmission.related).toHaveLength(1);
    for (const c of readmission.columns) expect(c.unit && c.description).toBeTruthy();
    expect(validateIndex(index), JSON.stringify(validateIndex.errors)).toBe(true);
  });

  it('a pack without a required field, or with a value of the wrong type, fails', () => {
    const pack = packs.find((p) => p.name === 'readmission_30d')!;
    const noAsOf = copy(pack);
    delete noAsOf.asOf;
    expect(validatePack(noAsOf)).toBe(false);
    expect(validatePack.errors).toContainEqual(
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'asOf' } }),
    );

    const textCount = copy(pack) as { latest: { suppressedRows: unknown } };
    textCount.latest.suppressedRows = String(textCount.latest.suppressedRows);
    expect(validatePack(textCount)).toBe(false);
    expect(validatePack.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/latest/suppressedRows', keyword: 'type' }),
    );

    const noLeftOut = copy(pack) as { beforeAfter: { comparisons: { before?: { leftOut?: unknown } }[] } };
    delete noLeftOut.beforeAfter.comparisons.find((c) => c.before)!.before!.leftOut;
    expect(validatePack(noLeftOut)).toBe(false);

    const badTime = { ...copy(pack), asOf: '29 November 2026' };
    expect(validatePack(badTime)).toBe(false);

    const extra = { ...copy(pack), patient_id: 'p1' };
    expect(validatePack(extra)).toBe(false);

    const noUnit = copy(pack) as { columns: { unit?: string }[] };
    delete noUnit.columns[0]!.unit;
    expect(validatePack(noUnit)).toBe(false);
    expect(validatePack.errors).toContainEqual(
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'unit' } }),
    );

    const noDescription = copy(pack) as { columns: { description?: string }[] };
    delete noDescription.columns[0]!.description;
    expect(validatePack(noDescription)).toBe(false);

    const noCaveats = copy(pack);
    delete noCaveats.caveats;
    expect(validatePack(noCaveats)).toBe(false);
    expect(validatePack({ ...copy(pack), caveats: [] })).toBe(false);

    const badRelation = copy(pack) as { related?: { relation: string }[] };
    badRelation.related = [{ ...(badRelation.related?.[0] ?? {}), relation: 'sibling' }];
    expect(validatePack(badRelation)).toBe(false);

    const screened = copy(pack) as {
      beforeAfter: { comparisons: { versusRest?: { adjustedPValue: unknown; standsOut?: unknown } }[] };
    };
    const withRest = screened.beforeAfter.comparisons.find((c) => c.versusRest)!.versusRest!;
    withRest.adjustedPValue = 1.5;
    expect(validatePack(screened)).toBe(false);
    delete withRest.standsOut;
    withRest.adjustedPValue = 0.5;
    expect(validatePack(screened)).toBe(false);

    const indexWithoutUrl = copy(index) as { metrics: { url?: string }[] };
    delete indexWithoutUrl.metrics[0]!.url;
    expect(validateIndex(indexWithoutUrl)).toBe(false);
  });
});
