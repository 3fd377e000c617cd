import { beforeAll, describe, expect, it } from 'vitest';
import type { RoleView } from '../../../gov/types';
import { createNodeBindings } from '../core/node-bindings';
import { DuckSession } from '../core/duck-session';
import { tablesToLoad } from './tables-to-load';

const column = (name: string) => ({ name, type: 'VARCHAR', tags: [], expr: `"${name}"` });
const table = (name: string, columns: string[] = []) => ({
  table: name,
  tags: [],
  columns: columns.map(column),
  rules: [],
});
const view: RoleView = {
  session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
  tables: [
    table('forms', ['id', 'flag', 'note']),
    table('stays', ['id', 'ward', 'los', 'Year']),
    table('wards', ['ward', 'beds']),
    table('year'),
  ],
  can: { changeTags: false, readAudit: false, exportPhi: false },
};

let tokenize: (sql: string) => ReturnType<DuckSession['tokenize']>;
beforeAll(async () => {
  const session = new DuckSession(await createNodeBindings());
  tokenize = (sql) => session.tokenize(sql);
});

describe('tablesToLoad', () => {
  it('adds view tables named in the statement and in the cells it reads, never others', () => {
    const cells = [
      { name: 'recent', sql: 'SELECT id, ward FROM stays WHERE ward IN (SELECT ward FROM "wards")' },
      { name: 'unused', sql: 'SELECT * FROM forms' },
    ];
    const sql = "SELECT count(*) FROM recent r JOIN FORMS f USING (id) WHERE f.flag = 'stays' -- year";
    expect(tablesToLoad([], sql, cells, view, tokenize)).toEqual([
      { table: 'forms', columns: ['id', 'flag'] },
      { table: 'stays', columns: ['id', 'ward'] },
      { table: 'wards', columns: ['ward'] },
    ]);
    expect(tablesToLoad(['year'], 'SELECT 1', cells, view, tokenize)).toEqual([
      { table: 'year', columns: [] },
    ]);
    expect(tablesToLoad(['hidden'], 'SELECT * FROM hidden', [], view, tokenize)).toEqual([]);
  });

  it('does not take an alias for the table of that name', () => {
    const cells = [{ name: 'per_ward', sql: 'SELECT ward, count(*) AS stays FROM wards GROUP BY ward' }];
    const sql = 'SELECT w.ward AS forms, p.beds FROM per_ward AS p JOIN wards AS w USING (ward)';
    expect(tablesToLoad([], sql, cells, view, tokenize).map((n) => n.table)).toEqual(['wards']);
  });

  it('asks for every column when a cell read by the statement selects *', () => {
    const cells = [{ name: 'everything', sql: 'FROM stays' }];
    const needs = tablesToLoad([], 'SELECT los * 2 FROM everything', cells, view, tokenize);
    expect(needs).toEqual([{ table: 'stays', columns: 'all' }]);
  });

  it('matches quoted names by case and bare names without it, past trailing comments', () => {
    const sql = 'SELECT "Year", LOS/*length*/ FROM stays -- by ward\nWHERE beds > 1';
    expect(tablesToLoad([], sql, [], view, tokenize)).toEqual([{ table: 'stays', columns: ['los', 'Year'] }]);
  });
});
