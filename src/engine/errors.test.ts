import { describe, expect, it } from 'vitest';
import { createNodeBindings } from './worker/core/node-bindings';
import { DuckSession } from './worker/core/duck-session';
import { blameCell, toEngineError } from './errors';
import type { EngineError } from '../contract/results';

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

describe('blameCell', () => {
  const missing = (name: string): EngineError => ({
    code: 'BINDER',
    message: `Catalog Error: Table with name ${name} does not exist!`,
  });
  // index_stays reads rule_start, which reads a table the role may not read.
  const cellErrors = new Map([
    ['index_stays', 'Catalog Error: Table with name rule_start does not exist!'],
    ['rule_start', 'Catalog Error: Table with name evergreen_audit_events does not exist!'],
    ['typo', 'Parser Error: syntax error at or near "SELEC"'],
  ]);
  const withheld = (table: string) =>
    table === 'evergreen_audit_events'
      ? 'Clinician may not read table evergreen_audit_events (PII).'
      : undefined;

  it('follows the chain of cells to the one whose own SQL failed', () => {
    const e = blameCell(missing('index_stays'), cellErrors);
    expect(e.message).toBe(
      'Cell rule_start has an error, so it cannot be read: Catalog Error: Table with name evergreen_audit_events does not exist!',
    );
    expect(e.hint).toBe('Fix cell rule_start first.');
  });

  it('says a figure is withheld, and why, when that cell reads a table the role may not read', () => {
    const e = blameCell(missing('index_stays'), cellErrors, withheld);
    expect(e).toEqual({
      code: 'DENIED',
      message:
        'Withheld: cell rule_start reads evergreen_audit_events. Clinician may not read table evergreen_audit_events (PII).',
      hint: 'Nothing that reads cell rule_start can be shown for your role.',
    });
  });

  it("leaves an error that no cell's failure explains as it is", () => {
    expect(blameCell(missing('patients'), cellErrors, withheld)).toEqual(missing('patients'));
    expect(blameCell({ code: 'SYNTAX', message: 'x "typo"' }, cellErrors)).toEqual({
      code: 'SYNTAX',
      message: 'x "typo"',
    });
    expect(blameCell(missing('typo'), cellErrors, withheld).message).toMatch(/^Cell typo has an error/);
  });
});
