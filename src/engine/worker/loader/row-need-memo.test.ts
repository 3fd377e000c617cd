import { describe, expect, it } from 'vitest';
import { RowNeedMemo } from './row-need-memo';

describe('row needs kept per statement', () => {
  it('answers only for the same statements and cells, covering every table asked for', () => {
    const memo = new RowNeedMemo(2);
    const key = RowNeedMemo.key(['SELECT 1'], [{ name: 'c', sql: 'FROM t' }]);
    memo.keep(key, new Map([['t', 'all' as const]]));
    expect(memo.get(key, ['t'])?.get('t')).toBe('all');
    expect(memo.get(key, ['t', 'u'])).toBeUndefined();
    expect(memo.get(RowNeedMemo.key(['SELECT 1'], [{ name: 'c', sql: 'FROM u' }]), ['t'])).toBeUndefined();
    memo.keep('b', new Map());
    memo.keep('c', new Map());
    expect(memo.get(key, [])).toBeUndefined();
    expect(memo.get('c', [])).toBeDefined();
  });
});
