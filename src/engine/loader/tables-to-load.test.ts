import { describe, expect, it } from 'vitest';
import type { RoleView } from '../../gov/types';
import { createNodeBindings } from '../core/node-bindings';
import { DuckSession } from '../core/duck-session';
import { tablesToLoad } from './tables-to-load';

const table = (name: string) => ({ table: name, tags: [], columns: [], rules: [] });
const view: RoleView = {
  session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
  tables: ['forms', 'stays', 'wards', 'year'].map(table),
  can: { changeTags: false, readAudit: false, exportPhi: false },
};

describe('tablesToLoad', () => {
  it('adds view tables named in the statement and in the cells it reads, never others', async () => {
    const session = new DuckSession(await createNodeBindings());
    const tokenize = (sql: string) => session.tokenize(sql);
    const cells = [
      { name: 'recent', sql: 'SELECT * FROM stays WHERE ward IN (SELECT ward FROM "wards")' },
      { name: 'unused', sql: 'SELECT * FROM forms' },
    ];
    const sql = "SELECT count(*) FROM recent r JOIN FORMS f USING (id) WHERE f.flag = 'stays' -- year";
    expect(tablesToLoad([], sql, cells, view, tokenize)).toEqual(['forms', 'stays', 'wards']);
    expect(tablesToLoad(['year'], 'SELECT 1', cells, view, tokenize)).toEqual(['year']);
    expect(tablesToLoad(['hidden'], 'SELECT * FROM hidden', [], view, tokenize)).toEqual([]);
  });
});
