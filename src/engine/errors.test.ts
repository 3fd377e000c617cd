import { describe, expect, it } from 'vitest';
import { createNodeBindings } from './worker/core/node-bindings';
import { DuckSession } from './worker/core/duck-session';
import { toEngineError } from './errors';

async function errorOf(s: DuckSession, sql: string) {
  try {
    await s.run(sql);
  } catch (e) {
    return toEngineError(e, sql);
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('toEngineError on DuckDB errors', () => {
  it('maps error kinds to codes and positions to line and column of the cell', async () => {
    const s = new DuckSession(await createNodeBindings());
    s.query('CREATE TABLE t (a INTEGER, b VARCHAR)');

    const syntax = await errorOf(s, 'SELECT 1;\nSELEC 2');
    expect(syntax).toMatchObject({ code: 'SYNTAX', line: 2, column: 1 });
    expect(syntax.message).toMatch(/^Parser Error: syntax error at or near "SELEC"$/);

    expect(await errorOf(s, 'SELECT a,\n  zz FROM t')).toMatchObject({ code: 'BINDER', line: 2, column: 3 });
    expect(await errorOf(s, 'SELECT * FROM nope')).toMatchObject({ code: 'BINDER', line: 1, column: 15 });
    expect(await errorOf(s, "SELECT 'x'::INTEGER")).toMatchObject({ code: 'RUNTIME', line: 1, column: 11 });

    // DuckDB shows long lines as a window with "..." at the front; the column still points into the cell.
    const long = `SELECT ${'a, '.repeat(60)}qq FROM t`;
    expect(await errorOf(s, long)).toMatchObject({ code: 'BINDER', line: 1, column: long.indexOf('qq') + 1 });
  });

  it('keeps positions relative to the user text when the engine wrapped it', () => {
    const wrapped = 'EXPLAIN SELEC 1';
    const e = toEngineError(
      new Error('{"exception_type":"Parser","exception_message":"syntax error","position":"8"}'),
      wrapped,
      'EXPLAIN '.length,
    );
    expect(e).toMatchObject({ code: 'SYNTAX', line: 1, column: 1 });
  });

  it('recognises cancellation and unknown failures', () => {
    expect(toEngineError(new Error('query was canceled')).code).toBe('CANCELLED');
    expect(toEngineError('something odd')).toEqual({ code: 'INTERNAL', message: 'something odd' });
  });
});
