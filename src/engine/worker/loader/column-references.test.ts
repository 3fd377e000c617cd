import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeBindings } from '../core/node-bindings';
import { DuckSession } from '../core/duck-session';
import { columnsReferenced, readsUnnamedColumns } from './column-references';

let tokenize: (sql: string) => ReturnType<DuckSession['tokenize']>;
beforeAll(async () => {
  const session = new DuckSession(await createNodeBindings());
  tokenize = (sql) => session.tokenize(sql);
});

describe('columnsReferenced', () => {
  it('finds names among identifiers and keywords, not in strings', () => {
    const sql = `SELECT ward, "Year", year FROM t WHERE note = 'los' -- beds\n AND id>1`;
    expect(columnsReferenced([sql], ['ward', 'Year', 'year', 'los', 'beds', 'id', 'WARD'], tokenize)).toEqual(
      ['ward', 'Year', 'year', 'id', 'WARD'],
    );
  });
});

describe('readsUnnamedColumns', () => {
  const unnamed = (sql: string) => readsUnnamedColumns([sql], tokenize);

  it('is true for every way of reading columns without naming them', () => {
    for (const sql of [
      'SELECT * FROM t',
      'SELECT DISTINCT * FROM t',
      'SELECT a, * EXCLUDE (b) FROM t',
      'SELECT t.* FROM t',
      'SELECT "t".*, 1 FROM t',
      'SELECT DISTINCT ON (a) * FROM t',
      "SELECT COLUMNS('l.*') FROM t",
      'SELECT max(COLUMNS(*)) FROM t',
      'SELECT count(*) FROM a NATURAL JOIN b',
      'PIVOT t ON ward USING count(*)',
      'UNPIVOT t ON a, b INTO NAME k VALUE v',
      'SUMMARIZE t',
      'TABLE t',
      'FROM t',
      'FROM t SELECT a',
      'SELECT a FROM (FROM t)',
      'WITH x AS (FROM t) SELECT a FROM x',
      'SELECT 1 UNION ALL FROM t',
    ]) {
      expect(unnamed(sql), sql).toBe(true);
    }
  });

  it('is false when every column read is named', () => {
    for (const sql of [
      'SELECT a, b FROM t',
      'SELECT count(*) FROM t WHERE a > 1',
      'SELECT a * b, 2 * a, a*(b+1), "a" * 3, a * -b FROM t',
      'SELECT a FROM t JOIN u USING (id) ORDER BY ALL',
      'SELECT a FROM t -- SELECT *',
      "SELECT '*' AS star FROM t",
    ]) {
      expect(unnamed(sql), sql).toBe(false);
    }
  });
});
