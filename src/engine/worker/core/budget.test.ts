import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { createNodeBindings } from './node-bindings';
import { DuckSession } from './duck-session';

describe('DuckSession.runBudgeted', () => {
  it('keeps everything under the budget and cuts a larger result at exactly maxRows', async () => {
    const s = new DuckSession(await createNodeBindings());
    const small = await s.runBudgeted('SELECT range AS i FROM range(3000)', { maxRows: 5000 });
    expect(small).toMatchObject({ rowCount: 3000, truncated: false });
    expect(tableFromIPC(small.ipc).numRows).toBe(3000);

    const big = await s.runBudgeted('SELECT range AS i, range::VARCHAR AS s FROM range(10000000)', {
      maxRows: 4500,
    });
    expect(big).toMatchObject({ rowCount: 4500, truncated: true });
    const t = tableFromIPC(big.ipc);
    expect(t.numRows).toBe(4500);
    expect(t.getChild('s')?.get(4499)).toBe('4499');

    const exact = await s.runBudgeted('SELECT range AS i FROM range(4096)', { maxRows: 4096 });
    expect(exact).toMatchObject({ rowCount: 4096, truncated: false });
  });

  it('cancels a streamed statement between batches and stays usable', async () => {
    const s = new DuckSession(await createNodeBindings());
    const slow = s.runBudgeted(
      'SELECT sum(a.range * b.range) OVER (ORDER BY a.range) FROM range(30000) a, range(300) b',
      {
        maxRows: 100_000_000,
      },
    );
    setTimeout(() => s.cancel(), 100);
    await expect(slow).rejects.toThrow(/cancel/i);
    expect((await s.runBudgeted('SELECT 1 AS x', { maxRows: 10 })).rowCount).toBe(1);
  });
});
