import { describe, expect, it } from 'vitest';
import type { TableEntry } from './manifest.ts';
import { tableFreshness } from './freshness.ts';

const table = (over: Partial<TableEntry>): TableEntry => ({
  name: 't',
  zone: 'curated',
  tier: 'PUBLIC',
  description: '',
  owner: 'o',
  source: '',
  license: '',
  tags: ['PUBLIC'],
  columns: [{ name: 'x', type: 'INTEGER' }],
  files: [],
  rowCount: 0,
  bytes: 0,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const admissions = table({ name: 'admissions', updatedAt: '2026-01-02T00:00:00.000Z' });
const wards = table({ name: 'wards', updatedAt: '2026-01-01T00:00:00.000Z' });
const metric = (asOf: string, upstream = ['admissions', 'wards']) =>
  table({ name: 'm', zone: 'metrics', asOf, updatedAt: asOf, lineage: { upstream } });

describe('table freshness', () => {
  it('a curated table is as of its last update and never stale', () => {
    expect(tableFreshness({ tables: [admissions] }, admissions)).toEqual({
      asOf: admissions.updatedAt,
      status: 'fresh',
      newerSources: [],
      unlistedSources: [],
    });
  });

  it('a metric computed after its sources changed is fresh', () => {
    const m = metric('2026-01-02T00:00:00.000Z');
    expect(tableFreshness({ tables: [admissions, wards, m] }, m).status).toBe('fresh');
  });

  it('a metric older than one of its sources is stale and names that source', () => {
    const m = metric('2026-01-01T12:00:00.000Z');
    const f = tableFreshness({ tables: [admissions, wards, m] }, m);
    expect(f.status).toBe('stale');
    expect(f.asOf).toBe('2026-01-01T12:00:00.000Z');
    expect(f.newerSources).toEqual([{ name: 'admissions', updatedAt: admissions.updatedAt }]);
  });

  it('staleness is unknown when a source is not in the catalog, but a known newer source still wins', () => {
    const m = metric('2026-01-01T12:00:00.000Z', ['wards', 'hidden']);
    expect(tableFreshness({ tables: [wards, m] }, m)).toMatchObject({
      status: 'unknown',
      unlistedSources: ['hidden'],
    });
    const n = metric('2026-01-01T12:00:00.000Z', ['admissions', 'hidden']);
    expect(tableFreshness({ tables: [admissions, n] }, n).status).toBe('stale');
  });
});
