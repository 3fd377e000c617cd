import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DuckSession } from '../../src/engine/worker/core/duck-session';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { ipcByteLength } from '../../src/contract/ipc-bytes';

const MB = 1024 * 1024;

describe('result memory budget', () => {
  it('cuts a result at the byte budget, keeps a readable prefix, and the session goes on', async () => {
    const s = new DuckSession(await createNodeBindings());
    // About 200 MB if it were kept whole.
    const wide = "SELECT range AS i, repeat('x', 1000) AS s FROM range(200000)";
    const cut = await s.runBudgeted(wide, { maxBytes: 8 * MB, maxRows: 10_000_000 });
    expect(cut).toMatchObject({ truncated: true, truncatedBy: 'bytes' });
    expect(ipcByteLength(cut.ipc)).toBeLessThanOrEqual(8 * MB + 16);
    const table = tableFromIPC(cut.ipc);
    expect(table.numRows).toBe(cut.rowCount);
    expect(cut.rowCount).toBeGreaterThan(0);
    expect(cut.rowCount).toBeLessThan(200000);
    expect(Number(table.getChild('i')?.get(cut.rowCount - 1))).toBe(cut.rowCount - 1);

    const rowsFirst = await s.runBudgeted(wide, { maxBytes: 64 * MB, maxRows: 1000 });
    expect(rowsFirst).toMatchObject({ rowCount: 1000, truncated: true, truncatedBy: 'rows' });

    const whole = await s.runBudgeted('SELECT range AS i FROM range(5000)', { maxBytes: 8 * MB });
    expect(whole).toMatchObject({ rowCount: 5000, truncated: false });
    expect(whole.truncatedBy).toBeUndefined();
  });

  it('a byte budget smaller than one batch gives an empty, typed result', async () => {
    const s = new DuckSession(await createNodeBindings());
    const cut = await s.runBudgeted("SELECT repeat('x', 10000) AS s FROM range(5000)", { maxBytes: 1024 });
    expect(cut).toMatchObject({ rowCount: 0, truncated: true, truncatedBy: 'bytes' });
    expect(tableFromIPC(cut.ipc).schema.fields.map((f) => f.name)).toEqual(['s']);
  });
});
