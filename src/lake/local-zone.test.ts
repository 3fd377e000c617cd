import { describe, expect, it } from 'vitest';
import { LAKE_CONTRACTS } from './lake-contracts.ts';
import { LocalIngestError, LocalZone } from './local-zone.ts';

const HEADER =
  'admission_id,patient_id,ward,attending_id,diagnosis_group,admit_time,discharge_time,los_hours,discharge_disposition';
const adt = (id: string, los: string) =>
  `${id},P-${id},Cardiology,D1,Heart failure,2025-01-01T10:00:00Z,2025-01-04T10:00:00Z,${los},home`;
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const now = new Date('2026-01-01T00:00:00Z');

describe('the browser session lake zone', () => {
  it('keeps events as they arrived, rejects bad ones with reasons, and upserts typed rows by key', () => {
    const zone = new LocalZone(LAKE_CONTRACTS);
    const report = zone.ingest(
      'evergreen_adt-upload.csv',
      csv(adt('A1', '72'), adt('A2', 'seventy'), adt('A3', '80')),
      now,
    );
    expect(report).toMatchObject({
      table: 'local_evergreen_admissions',
      rawTable: 'local_raw_evergreen_adt',
      alreadyKept: false,
      ingested: 2,
      duplicate: 0,
      rejected: 1,
    });
    expect(report.rejects[0]!.reason).toMatch(/los_hours/);
    expect(zone.rows('local_raw_evergreen_adt')).toHaveLength(3);
    expect(zone.rows('local_raw_evergreen_adt')[1]!.los_hours).toBe('seventy');
    const typed = zone.rows('local_evergreen_admissions');
    expect(typed.map((r) => r.los_hours)).toEqual([72, 80]);
    expect(typed[0]!.admit_time).toBe('2025-01-01 10:00:00');
  });

  it('changes nothing when the same file comes again, and a later event replaces its key', () => {
    const zone = new LocalZone(LAKE_CONTRACTS);
    const text = csv(adt('A1', '72'));
    zone.ingest('evergreen_adt-a.csv', text, now);
    const again = zone.ingest('evergreen_adt-a.csv', text, now);
    expect(again).toMatchObject({ alreadyKept: true, ingested: 0, duplicate: 1 });
    expect(zone.rows('local_raw_evergreen_adt')).toHaveLength(1);

    const update = zone.ingest('evergreen_adt-b.csv', csv(adt('A1', '90')), now);
    expect(update).toMatchObject({ ingested: 1, duplicate: 0 });
    expect(zone.rows('local_evergreen_admissions')).toEqual([expect.objectContaining({ los_hours: 90 })]);
    expect(zone.rows('local_raw_evergreen_adt')).toHaveLength(2);
  });

  it('lists its tables for the catalog with the contract tags plus local, and rebuilds from kept files', () => {
    const zone = new LocalZone(LAKE_CONTRACTS);
    zone.ingest('evergreen_adt-a.csv', csv(adt('A1', '72'), adt('A2', '50')), now);
    const entries = zone.entries();
    expect(entries.map((e) => [e.name, e.zone, e.tier, e.rowCount])).toEqual([
      ['local_raw_evergreen_adt', 'raw', 'PHI', 2],
      ['local_evergreen_admissions', 'curated', 'PHI', 2],
    ]);
    expect(entries[0]!.tags).toContain('local');
    expect(entries[0]!.columns.every((c) => c.type === 'VARCHAR')).toBe(true);
    expect(entries[1]!.columns.find((c) => c.name === 'patient_id')?.tags).toContain('patient_id');

    const replayed = LocalZone.replay(LAKE_CONTRACTS, zone.files());
    expect(replayed.entries()).toEqual(entries);
    expect(replayed.rows('local_evergreen_admissions')).toEqual(zone.rows('local_evergreen_admissions'));
  });

  it('refuses a file without a contract or of another format', () => {
    const zone = new LocalZone(LAKE_CONTRACTS);
    expect(() => zone.ingest('patients.csv', csv(), now)).toThrow(LocalIngestError);
    expect(() => zone.ingest('evergreen_adt.xlsx', '', now)).toThrow(/JSON/);
  });
});
