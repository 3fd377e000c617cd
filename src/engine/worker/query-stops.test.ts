import { describe, expect, it } from 'vitest';
import { toEngineError } from '../errors';
import { beyondTheTab } from './query-stops';

describe('beyondTheTab', () => {
  it('points a query the tab ran out of memory on to the server', () => {
    const error = beyondTheTab(
      toEngineError(
        new Error('Out of Memory Error: failed to allocate data of size 256.0 MiB (3.9 GiB/4.0 GiB used)'),
      ),
    );
    expect(error.code).toBe('TOO_LARGE');
    expect(error.hint).toMatch(/Aggregate or filter.*Lakebook server/);
  });

  it('leaves every other error as it was', () => {
    const syntax = toEngineError(new Error('Parser Error: syntax error at or near "SELEC"'));
    expect(beyondTheTab(syntax)).toEqual(syntax);
    const budget = { code: 'TOO_LARGE' as const, message: 'PIVOT ON ward has more than 100 distinct values' };
    expect(beyondTheTab(budget)).toEqual(budget);
  });
});
