import { beforeAll, describe, expect, it } from 'vitest';
import { DuckSession } from '../engine/worker/core/duck-session';
import { createNodeBindings } from '../engine/worker/core/node-bindings';
import { distinctValuesSql, pivotColumnsWithoutIn, withInLists } from './pivot-in-list';

describe('PIVOT columns without an IN list', () => {
  let duck: DuckSession;
  beforeAll(async () => {
    duck = new DuckSession(await createNodeBindings());
  });
  const columns = (sql: string) => pivotColumnsWithoutIn(sql, duck.tokenize(sql));

  it('finds each ON expression without IN, in statements and subqueries, with its source', () => {
    const sql = "SELECT 1; PIVOT (SELECT * FROM t) ON a, b || '-' || c, d IN ('x') USING sum(v) GROUP BY e";
    const found = columns(sql);
    expect(found.map((c) => [c.expr, c.source])).toEqual([
      ['a', '(SELECT * FROM t)'],
      ["b || '-' || c", '(SELECT * FROM t)'],
    ]);
    expect(withInLists(sql, found, [['1', "it's"], []])).toBe(
      "SELECT 1; PIVOT (SELECT * FROM t) ON a IN ('1', 'it''s'), b || '-' || c IN (), d IN ('x') USING sum(v) GROUP BY e",
    );
    expect(columns('FROM (PIVOT t ON a USING count(*))').map((c) => c.expr)).toEqual(['a']);
    expect(distinctValuesSql(found[0])).toBe(
      'SELECT CAST(v AS VARCHAR) AS v FROM (SELECT DISTINCT (a) AS v FROM (SELECT * FROM t)) WHERE v IS NOT NULL ORDER BY v LIMIT 1001',
    );
  });

  it('leaves listed values, the standard form and other statements alone', () => {
    expect(columns("PIVOT t ON a IN ('x', 'y') USING sum(v)")).toEqual([]);
    expect(columns("FROM t PIVOT (sum(v) FOR a IN ('x'))")).toEqual([]);
    expect(columns('SELECT * FROM t JOIN u ON t.a = u.a')).toEqual([]);
    expect(columns('UNPIVOT t ON a, b INTO NAME k VALUE v')).toEqual([]);
  });
});
