import { describe, expect, it } from 'vitest';
import type { TableAccess } from '../../../gov/types';
import { createNodeBindings } from '../core/node-bindings';
import { DuckSession } from '../core/duck-session';
import { createStubTables } from './stub-tables';

function table(name: string, type = 'INTEGER'): TableAccess {
  return { table: name, tags: [], rules: [], columns: [{ name: 'n', type, tags: [], expr: 'n' }] };
}

async function tablesOf(user: DuckSession): Promise<string[]> {
  const t = user.query('SELECT table_name AS t FROM duckdb_tables() ORDER BY 1').getChild('t');
  return (t?.toArray() ?? []) as string[];
}

describe('stub tables', () => {
  it('creates every table of the view in one call', async () => {
    const user = new DuckSession(await createNodeBindings());
    expect(createStubTables(user, [table('a'), table('b'), table('c')])).toEqual([]);
    expect(await tablesOf(user)).toEqual(['a', 'b', 'c']);
  });

  it('names each table that cannot be made, once, and makes all the others', async () => {
    const user = new DuckSession(await createNodeBindings());
    user.query('CREATE TABLE taken (x INTEGER)');
    const problems = createStubTables(user, [
      table('a'),
      table('taken'),
      table('b'),
      table('odd', 'INTEGER); DROP TABLE a; --'),
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Table taken is not available: .*already exists/);
    expect(problems[1]).toMatch(/^Table odd is not available: Unsupported column type/);
    expect(await tablesOf(user)).toEqual(['a', 'b', 'taken']);
  });
});
