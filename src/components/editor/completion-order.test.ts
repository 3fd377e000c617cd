import { describe, expect, it } from 'vitest';
import { expectsRelation, sortTextFor } from './completion-order';

describe('completion order', () => {
  it('expects a table or cell after FROM, JOIN and a comma of a FROM list', () => {
    for (const text of [
      'SELECT * FROM ',
      'select * from\n  ',
      'SELECT * FROM admissions a JOIN ',
      'SELECT * FROM admissions AS a, ',
      'SELECT * FROM lake.admissions a LEFT JOIN ',
      'FROM "my cell", ',
    ])
      expect(expectsRelation(text), text).toBe(true);
  });

  it('expects a column elsewhere', () => {
    for (const text of [
      'SELECT ',
      'SELECT * FROM admissions WHERE ',
      'SELECT * FROM admissions a JOIN transfers t ON ',
      'SELECT * FROM admissions GROUP BY ',
      'SELECT a, ',
      '-- FROM \nSELECT ',
    ])
      expect(expectsRelation(text), text).toBe(false);
  });

  it('sorts tables and cells before columns where a relation is expected, and after them elsewhere', () => {
    expect(sortTextFor('relation', true) < sortTextFor('column', true)).toBe(true);
    expect(sortTextFor('column', false) < sortTextFor('relation', false)).toBe(true);
    expect(sortTextFor('keyword', true) > sortTextFor('column', true)).toBe(true);
  });
});
