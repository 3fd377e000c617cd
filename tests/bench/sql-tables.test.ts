import { describe, expect, it } from 'vitest';
import { tablesAfterFrom } from '../../bench/lake/sql-tables.ts';

describe('tables a statement reads', () => {
  const catalog = ['admissions', 'evergreen_admissions', 'wards'];

  it('takes the names after FROM and JOIN, not a column alias that is also a table name', () => {
    const sql = `WITH daily AS (SELECT CAST(t AS DATE) AS day, count(*) AS admissions FROM evergreen_admissions GROUP BY ALL)
      SELECT * FROM daily`;
    expect(tablesAfterFrom(sql, catalog)).toEqual(['evergreen_admissions']);
  });

  it('reads every item of a FROM list and joined tables, quoted or aliased', () => {
    const sql = `SELECT 1 FROM evergreen_admissions a, "wards" w LEFT JOIN admissions x ON x.id = a.id WHERE true`;
    expect(tablesAfterFrom(sql, catalog)).toEqual(['admissions', 'evergreen_admissions', 'wards']);
  });

  it('ignores names the catalog does not hold', () => {
    expect(tablesAfterFrom('SELECT * FROM bounds, feed f', catalog)).toEqual([]);
  });
});
