import { describe, expect, it, vi } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';
import { session, setup } from './testing/store-setup';

describe('notebook store: running', () => {
  it('runs a cell straight to running when nothing is ahead of it, then to done with its result and tags', async () => {
    const t = await setup([{ name: 'cell_1', sql: 'SELECT 275 AS n' }]);
    const statuses: string[] = [];
    t.store.subscribe((s) => {
      const status = s.runs[t.idOf('cell_1')]?.status ?? 'idle';
      if (statuses.at(-1) !== status) statuses.push(status);
    });
    const done = t.s().runCell(t.idOf('cell_1'));
    const q = await t.nextQuery(1);
    expect(t.runOf('cell_1')!.status).toBe('running');
    expect(q.sql).toBe('SELECT 275 AS n');
    q.answer({ n: [275] }, ['PHI']);
    await done;
    const run = t.runOf('cell_1')!;
    expect(run.status).toBe('done');
    expect(run.result!.tags).toEqual(['PHI']);
    expect(tableFromIPC(run.result!.ipc).getChild('n')!.get(0)).toBe(275);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(statuses).toEqual(['running', 'done']);
  });

  it('shows a cell queued while another query runs', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT 1 AS x' },
      { name: 'b', sql: 'SELECT 2 AS x' },
    ]);
    void t.s().runCell(t.idOf('a'));
    const first = await t.nextQuery(1);
    const second = t.s().runCell(t.idOf('b'));
    expect(t.runOf('b')!.status).toBe('queued');
    first.answer({ x: [1] });
    (await t.nextQuery(2)).answer({ x: [2] });
    await second;
    expect(t.runOf('b')!.status).toBe('done');
  });

  it('sends the cells a cell reads, sources first', async () => {
    const t = await setup([
      { name: 'base', sql: 'SELECT * FROM admissions' },
      { name: 'mid', sql: 'SELECT * FROM base' },
      { name: 'top', sql: 'SELECT count(*) FROM mid' },
    ]);
    void t.s().runCell(t.idOf('top'));
    const q = await t.nextQuery(1);
    expect(q.cells).toEqual([
      { name: 'base', sql: 'SELECT * FROM admissions' },
      { name: 'mid', sql: 'SELECT * FROM base' },
    ]);
  });

  it('reports a cycle without asking the engine', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT * FROM b' },
      { name: 'b', sql: 'SELECT * FROM a' },
    ]);
    await t.s().runCell(t.idOf('a'));
    expect(t.runOf('a')!.status).toBe('error');
    expect(t.runOf('a')!.error!.message).toContain('a → b → a');
    expect(t.connector.queries).toHaveLength(0);
  });

  it('run all reports every cell of a cycle and runs the cells outside it', async () => {
    const t = await setup([
      { name: 'free', sql: 'SELECT 1' },
      { name: 'a', sql: 'SELECT * FROM b' },
      { name: 'b', sql: 'SELECT * FROM a' },
    ]);
    const all = t.s().runAll();
    (await t.nextQuery(1)).answer({ n: [1] });
    await all;
    expect(t.runOf('free')!.status).toBe('done');
    for (const name of ['a', 'b']) {
      expect(t.runOf(name)!.status).toBe('error');
      expect(t.runOf(name)!.error!.code).toBe('CYCLE');
    }
    expect(t.connector.queries).toHaveLength(1);
  });

  it('lets a second run supersede the first', async () => {
    const t = await setup([{ name: 'cell_1', sql: 'SELECT 1' }]);
    const first = t.s().runCell(t.idOf('cell_1'));
    const q1 = await t.nextQuery(1);
    const second = t.s().runCell(t.idOf('cell_1'));
    expect(q1.cancelled).toBe(true);
    await first;
    expect(t.runOf('cell_1')!.status).not.toBe('error');
    (await t.nextQuery(2)).answer({ n: [2] });
    await second;
    expect(t.runOf('cell_1')!.status).toBe('done');
    expect(t.runOf('cell_1')!.result!.rowCount).toBe(1);
  });

  it('marks a cancelled run and a denied one', async () => {
    const t = await setup([
      { name: 'slow', sql: 'SELECT * FROM range(1e12)' },
      { name: 'secret', sql: 'SELECT ssn FROM patients' },
    ]);
    const slow = t.s().runCell(t.idOf('slow'));
    await t.nextQuery(1);
    t.s().cancelCell(t.idOf('slow'));
    await slow;
    expect(t.runOf('slow')).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
    const secret = t.s().runCell(t.idOf('secret'));
    (await t.nextQuery(2)).fail({
      code: 'DENIED',
      message: 'DataAnalyst may not read column patients.ssn (PHI).',
    });
    await secret;
    expect(t.runOf('secret')).toMatchObject({ status: 'denied', error: { code: 'DENIED' } });
  });

  it('cancels a queued cell without sending it', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT 1' },
      { name: 'b', sql: 'SELECT 2' },
    ]);
    const a = t.s().runCell(t.idOf('a'));
    const b = t.s().runCell(t.idOf('b'));
    await t.nextQuery(1);
    t.s().cancelCell(t.idOf('b'));
    expect(t.runOf('b')!.status).toBe('idle');
    t.connector.queries[0]!.answer({ x: [1] });
    await Promise.all([a, b]);
    expect(t.connector.queries).toHaveLength(1);
  });

  it('re-runs the cells that read a changed cell in auto mode, marks them stale in lazy mode', async () => {
    const t = await setup([
      { name: 'base', sql: 'SELECT 1 AS x' },
      { name: 'reader', sql: 'SELECT * FROM base' },
      { name: 'unrelated', sql: 'SELECT 3' },
    ]);
    const r1 = t.s().runCell(t.idOf('reader'));
    (await t.nextQuery(1)).answer({ x: [1] });
    await r1;
    t.s().updateSql(t.idOf('base'), 'SELECT 2 AS x');
    expect(t.runOf('reader')!.stale).toBe(true);
    const r2 = t.s().runCell(t.idOf('base'));
    (await t.nextQuery(2)).answer({ x: [2] });
    const again = await t.nextQuery(3);
    expect(again.sql).toBe('SELECT * FROM base');
    expect(again.cells).toEqual([{ name: 'base', sql: 'SELECT 2 AS x' }]);
    again.answer({ x: [2] });
    await r2;
    expect(t.runOf('reader')).toMatchObject({ status: 'done', stale: false });
    expect(t.runOf('unrelated')).toBeUndefined();

    t.s().setRunMode('lazy');
    const r3 = t.s().runCell(t.idOf('base'));
    (await t.nextQuery(4)).answer({ x: [3] });
    await r3;
    expect(t.connector.queries).toHaveLength(4);
    expect(t.runOf('reader')!.stale).toBe(true);
  });

  it('runs all cells in order; cells that read a failed cell are skipped, naming it, and the others run', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT 1' },
      { name: 'b', sql: 'SELEC 2' },
      { name: 'c', sql: 'SELECT * FROM b' },
      { name: 'd', sql: 'SELECT * FROM c' },
      { name: 'e', sql: 'SELECT 3' },
    ]);
    const all = t.s().runAll();
    expect(['b', 'c'].map((n) => t.runOf(n)!.status)).toEqual(['queued', 'queued']);
    (await t.nextQuery(1)).answer({ x: [1] });
    (await t.nextQuery(2)).fail({
      code: 'SYNTAX',
      message: 'Parser Error: syntax error at or near "SELEC"',
      line: 1,
      column: 1,
    });
    (await t.nextQuery(3)).answer({ x: [3] });
    await all;
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => t.runOf(n)!.status)).toEqual([
      'done',
      'error',
      'skipped',
      'skipped',
      'done',
    ]);
    expect(t.runOf('b')!.error).toMatchObject({ line: 1, column: 1 });
    expect(t.runOf('d')!.skipped).toEqual({ cell: 'b', status: 'error' });
    expect(t.connector.queries.map((q) => q.sql)).toEqual(['SELECT 1', 'SELEC 2', 'SELECT 3']);
  });

  it('runs the cells above a cell', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT 1' },
      { name: 'b', sql: 'SELECT 2' },
      { name: 'c', sql: 'SELECT 3' },
    ]);
    const above = t.s().runAbove(t.idOf('c'));
    (await t.nextQuery(1)).answer({ x: [1] });
    (await t.nextQuery(2)).answer({ x: [2] });
    await above;
    expect(t.connector.queries.map((q) => q.sql)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('sorts in the engine by wrapping the query', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1 AS "my col"; ' }]);
    const sorted = t.s().sortResult(t.idOf('a'), { column: 'my col', descending: true });
    const q = await t.nextQuery(1);
    expect(q.sql).toBe(
      'SELECT * FROM (\nSELECT 1 AS "my col"\n) AS sorted_result ORDER BY "my col" DESC NULLS LAST',
    );
    q.answer({ x: [1] });
    await sorted;
  });

  it('drops results when the role changes', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    const run = t.s().runCell(t.idOf('a'));
    (await t.nextQuery(1)).answer({ x: [1] });
    await run;
    await t.s().switchSession({ ...session, role: 'Clinician' });
    expect(t.runOf('a')!.status).toBe('idle');
    expect(t.runOf('a')!.result).toBeUndefined();
    expect(t.connector.sessions.at(-1)!.role).toBe('Clinician');
    expect(t.s().engine.status).toBe('ready');
  });

  it('drops a result computed under the old role that arrives after a role switch, and says to run again', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT ssn FROM synthea_patients' }]);
    t.connector.cancelsArriveLate = true;
    const run = t.s().runCell(t.idOf('a'));
    const q = await t.nextQuery(1);
    const switched = t.s().switchSession({ ...session, role: 'Public' });
    expect(q.cancelled).toBe(true);
    q.answer({ ssn: [999799380] }, ['PII']);
    await run;
    await switched;
    const after = t.runOf('a')!;
    expect(after.result).toBeUndefined();
    expect(after.status).toBe('error');
    expect(after.error?.code).toBe('CANCELLED');
    expect(after.error?.message).toContain('Public');
    expect(after.error?.hint).toMatch(/run the cell again/i);
    expect((await t.s().exportResult(t.idOf('a'), 'csv')).ok).toBe(false);
  });

  it('drops a result that arrives while the engine switches role, before the switch is done', async () => {
    const t = await setup([
      { name: 'a', sql: 'SELECT 1 AS x' },
      { name: 'b', sql: 'SELECT 2 AS x' },
    ]);
    t.connector.cancelsArriveLate = true;
    const all = t.s().runAll();
    const q = await t.nextQuery(1);
    const switched = t.s().switchSession({ ...session, role: 'Public' });
    q.answer({ x: [1] });
    await all;
    await switched;
    expect(t.runOf('a')!.result).toBeUndefined();
    expect(t.runOf('b')!.result).toBeUndefined();
    expect(t.connector.queries).toHaveLength(1);
    const again = t.s().runCell(t.idOf('a'));
    (await t.nextQuery(2)).answer({ x: [7] });
    await again;
    expect(t.runOf('a')!.status).toBe('done');
  });

  it('waits for the engine before running', async () => {
    const connector = new FakeConnector();
    connector.holdStart();
    const store = createNotebookStore({ connector, storage: new MemoryStorage(), lakeUrl: '/', session });
    await store.getState().init();
    const starting = store.getState().startEngine();
    expect(store.getState().engine.progress?.phase).toBe('engine');
    const cell = store.getState().notebook.cells.find((c) => c.kind === 'sql')!;
    const run = store.getState().runCell(cell.id);
    await new Promise((r) => setTimeout(r, 5));
    expect(connector.queries).toHaveLength(0);
    connector.openStart!();
    await starting;
    (await vi.waitFor(() => connector.queries[0]!)).answer({ x: [1] });
    await run;
    expect(store.getState().runs[cell.id]!.status).toBe('done');
  });
});
