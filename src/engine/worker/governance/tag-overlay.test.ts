import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../lake/manifest';
import { applyTagOverlay, describeTagChange, tagsBefore, validateTagChange, withChange } from './tag-overlay';

const manifest = parseManifest(JSON.parse(readFileSync('public/sample-lake/catalog.json', 'utf8')));
const patients = (m = manifest) => m.tables.find((t) => t.name === 'patients')!;

describe('tag overlay', () => {
  it('sets a column tag, later changes replace earlier ones, and an empty list inherits again', () => {
    const first = withChange(
      [],
      validateTagChange(manifest, { table: 'patients', column: 'gender', tags: ['PII'] }),
    );
    const second = withChange(first, {
      table: 'patients',
      column: 'gender',
      tags: ['PHI', 'PHI', 'free_text'],
    });
    expect(second).toHaveLength(1);
    const applied = applyTagOverlay(manifest, second);
    expect(patients(applied).columns.find((c) => c.name === 'gender')?.tags).toEqual([
      'PHI',
      'PHI',
      'free_text',
    ]);
    const inherited = applyTagOverlay(
      manifest,
      withChange(second, { table: 'patients', column: 'gender', tags: [] }),
    );
    expect(patients(inherited).columns.find((c) => c.name === 'gender')?.tags).toBeUndefined();
    expect(patients(manifest).columns.find((c) => c.name === 'gender')?.tags).toBeUndefined();
  });

  it('refuses unknown tables and columns, bad tag words and a table left without tags', () => {
    expect(() => validateTagChange(manifest, { table: 'nope', tags: ['PHI'] })).toThrow(/no table nope/);
    expect(() => validateTagChange(manifest, { table: 'patients', column: 'x', tags: ['PHI'] })).toThrow(
      /no column x/,
    );
    expect(() => validateTagChange(manifest, { table: 'patients', tags: ['not a tag'] })).toThrow(
      /not valid/,
    );
    expect(() => validateTagChange(manifest, { table: 'patients', tags: [] })).toThrow(/at least one tag/);
    expect(validateTagChange(manifest, { table: 'patients', tags: ['PHI', 'PHI'] }).tags).toEqual(['PHI']);
  });

  it('skips overlay lines whose table or column is gone, and describes a change for the audit log', () => {
    const applied = applyTagOverlay(manifest, [
      { table: 'gone', tags: ['PUBLIC'] },
      { table: 'patients', tags: ['PHI', 'restricted'] },
    ]);
    expect(patients(applied).tags).toEqual(['PHI', 'restricted']);
    const change = { table: 'patients', column: 'dod', tags: ['PHI'] };
    expect(describeTagChange(tagsBefore(manifest, change), change)).toBe('patients.dod: PHI,date -> PHI');
  });
});
