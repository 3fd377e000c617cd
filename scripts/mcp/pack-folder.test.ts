import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricPack } from '../../src/lake/metric-pack.ts';
import { loadPackFolder, PackFolderError } from './pack-folder.ts';
import { fixturePack } from './pack-fixture.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pack-folder-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(pack: unknown, url = 'flags.json', name = 'flags'): void {
  const entry = {
    name,
    description: 'd',
    url,
    asOf: '2026-11-29T08:53:32.087Z',
    tags: ['PUBLIC'],
    beforeAfter: true,
  };
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ format: 'lakebook-metric-pack-index', version: 1, metrics: [entry] }),
  );
  writeFileSync(path.join(dir, url), typeof pack === 'string' ? pack : JSON.stringify(pack));
}

function refusal(): string {
  try {
    loadPackFolder(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(PackFolderError);
    return (e as Error).message;
  }
  throw new Error('the folder was accepted');
}

const edited = (edit: (p: MetricPack) => void): MetricPack => {
  const pack = fixturePack();
  edit(pack);
  return pack;
};

describe('loadPackFolder', () => {
  it('loads a valid folder: the index and each pack, validated', () => {
    write(fixturePack());
    const set = loadPackFolder(dir);
    expect([...set.packs.keys()]).toEqual(['flags']);
    expect(set.packs.get('flags')).toEqual(fixturePack());
    expect(set.index.metrics[0]!.url).toBe('flags.json');
  });

  it('refuses a missing folder, or one without an index', () => {
    expect(() => loadPackFolder(path.join(dir, 'nope'))).toThrow(/is not a folder/);
    expect(refusal()).toMatch(/has no index\.json/);
  });

  it('refuses files that are not JSON or not of the pack format, naming the file and the field', () => {
    write('{ not json');
    expect(refusal()).toMatch(/flags\.json is not valid JSON/);
    write({ ...fixturePack(), asOf: 'yesterday' });
    expect(refusal()).toMatch(/flags\.json does not match the metric pack format: asOf/);
  });

  it('never reads a file outside the folder, whatever the index says', () => {
    const outside = path.join(dir, 'site');
    mkdirSync(outside);
    write(fixturePack());
    writeFileSync(
      path.join(outside, 'index.json'),
      JSON.stringify({
        format: 'lakebook-metric-pack-index',
        version: 1,
        metrics: [
          {
            name: 'flags',
            description: 'd',
            url: '../flags.json',
            asOf: '2026-11-29T08:53:32.087Z',
            tags: [],
            beforeAfter: true,
          },
        ],
      }),
    );
    expect(() => loadPackFolder(outside)).toThrow(/leaves the folder/);
  });

  it('refuses an index entry whose file is missing or holds another metric', () => {
    write(fixturePack());
    rmSync(path.join(dir, 'flags.json'));
    expect(refusal()).toMatch(/lists flags, but flags\.json is missing/);
    write(fixturePack(), 'other.json', 'other');
    expect(refusal()).toMatch(/holds metric flags, but the index lists it as other/);
  });

  it('refuses a pack with a column tagged PHI or PII', () => {
    write(edited((p) => (p.columns[0]!.tags = ['PII'])));
    expect(refusal()).toMatch(/may not be served: columns ward are tagged PHI or PII/);
  });

  it('refuses a pack whose suppressed row has a number, or whose small row is not suppressed', () => {
    write(edited((p) => (p.latest.rows[1]!.values.n_flagged = 2)));
    expect(refusal()).toMatch(/1 suppressed rows still carry numbers/);
    write(edited((p) => (p.latest.rows[0]!.values.n_patients = 10)));
    expect(refusal()).toMatch(/1 rows are not suppressed but have no n_patients of at least 11/);
  });

  it('refuses rows or groups with columns the pack does not list', () => {
    write(edited((p) => (p.latest.rows[0]!.values.patient_id = 'p1')));
    expect(refusal()).toMatch(/rows carry columns it does not list: patient_id/);
    write(edited((p) => (p.beforeAfter!.comparisons[0]!.group = { attending_id: 'a1' })));
    expect(refusal()).toMatch(/comparisons group by columns it does not list: attending_id/);
  });

  it('serves groups pooled from a breakdown the pack links, and refuses them from one it does not', () => {
    const fromBreakdown = (p: MetricPack) => {
      p.columns = p.columns.filter((c) => c.name !== 'ward');
      p.latest.rows = p.latest.rows.map(({ values: { ward: _w, ...values }, suppressed }) => ({
        values,
        suppressed,
      }));
      for (const c of p.beforeAfter!.comparisons)
        if (c.group.ward) c.source = { metric: 'flags_by_ward', periodColumn: 'discharge_month' };
    };
    const link = {
      metric: 'flags_by_ward',
      url: 'flags_by_ward.json',
      relation: 'breakdown' as const,
      by: ['ward'],
      note: 'The same stays by ward.',
    };
    write(edited((p) => (fromBreakdown(p), (p.related = [link]))));
    expect(loadPackFolder(dir).packs.get('flags')!.related).toEqual([link]);
    write(edited(fromBreakdown));
    expect(refusal()).toMatch(/comparisons pool flags_by_ward, which it does not list as a breakdown/);
    write(edited((p) => (fromBreakdown(p), (p.related = [{ ...link, by: ['diagnosis_group'] }]))));
    expect(refusal()).toMatch(/comparisons group by columns it does not list: ward/);
  });
});
