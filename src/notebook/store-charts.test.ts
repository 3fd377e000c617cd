import { describe, expect, it } from 'vitest';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

const analyst = { user: 'ana', role: 'DataAnalyst', attributes: {} };
const publicUser = { user: 'visitor', role: 'Public', attributes: {} };

async function started() {
  const connector = new FakeConnector();
  connector.cancelsArriveLate = true;
  const store = createNotebookStore({
    connector,
    storage: new MemoryStorage(),
    lakeUrl: '/lake/',
    session: analyst,
  });
  await store.getState().init();
  await store.getState().startEngine();
  return { connector, store, s: () => store.getState() };
}

describe('chart queries go through the notebook store', () => {
  it('answers a chart with the engine’s result, under the notebook’s limits', async () => {
    const { connector, s } = await started();
    const running = s().queryForChart('SELECT 1 AS x', [{ name: 'src', sql: 'SELECT 1' }]);
    const pending = connector.queries.at(-1)!;
    expect(pending.cells).toEqual([{ name: 'src', sql: 'SELECT 1' }]);
    pending.answer({ x: [1] });
    expect((await running.result).rowCount).toBe(1);
  });

  it('are stopped by Stop with the cells', async () => {
    const { connector, s } = await started();
    const running = s().queryForChart('SELECT 1 AS x', []);
    s().cancelAll();
    expect(connector.queries.at(-1)!.cancelled).toBe(true);
    connector.queries.at(-1)!.fail({ code: 'CANCELLED', message: 'The query was cancelled.' });
    await expect(running.result).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('never draw what an earlier role computed', async () => {
    const { connector, s } = await started();
    const running = s().queryForChart('SELECT 1 AS x', []);
    const asked = connector.queries.at(-1)!;
    await s().switchSession(publicUser);
    expect(asked.cancelled).toBe(true);
    // The analyst's answer was already on its way when the role changed: it is dropped, not drawn.
    asked.answer({ x: [42] });
    await expect(running.result).rejects.toMatchObject({
      code: 'CANCELLED',
      message: /role changed to Public/,
    });
  });
});
