import { describe, expect, it } from 'vitest';
import { createNodeBindings } from './node-bindings';
import { DuckSession } from './duck-session';
import { tableFromIPC } from 'apache-arrow';

describe('DuckSession on Node', () => {
  it('returns results as Arrow IPC and can be cancelled mid-query', async () => {
    const s = new DuckSession(await createNodeBindings());
    const ipc = await s.run('SELECT range AS i FROM range(5)');
    expect(tableFromIPC(ipc).getChild('i')?.toArray().length).toBe(5);

    const slow = s.run('SELECT count(DISTINCT a.range + b.range) FROM range(30000) a, range(3000) b');
    setTimeout(() => s.cancel(), 100);
    await expect(slow).rejects.toThrow(/cancel/i);
    expect(
      tableFromIPC(await s.run('SELECT 42 AS x'))
        .getChild('x')
        ?.get(0),
    ).toBe(42);
  });

  it('refuses file access once locked down, while the app can still insert Arrow', async () => {
    const s = new DuckSession(await createNodeBindings());
    const ipc = await s.run('SELECT 1 AS a');
    s.lockDown();
    await expect(s.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/disabled by configuration/);
    await expect(s.run('SET enable_external_access=true')).rejects.toThrow();
    s.insertIpc('t', ipc, true);
    expect(s.query('SELECT count(*)::INT AS n FROM t').getChild('n')?.get(0)).toBe(1);
  });
});
