import { describe, expect, it } from 'vitest';
import { makeSqlCell, type SqlCell } from './model/cells';
import { serializeNotebook } from './model/file-format';
import { newNotebook, type Notebook } from './model/notebook';
import { shareFragment } from './model/share';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

/** The fake engine's lake has the tables `admissions` and `patients`. */
const invented = (): Notebook => ({
  ...newNotebook('Invented admissions'),
  cells: [makeSqlCell('admissions', 'SELECT 3 AS n'), makeSqlCell('total', 'SELECT sum(n) FROM admissions')],
});

const sql = (nb: Notebook) => nb.cells.map((c) => [(c as SqlCell).name, (c as SqlCell).sql]);

function storeWith(connector = new FakeConnector()) {
  const storage = new MemoryStorage();
  const store = createNotebookStore({ connector, storage, lakeUrl: '/', session, saveDelayMs: 5 });
  return { store, connector, storage, s: () => store.getState() };
}

describe('notebook store: cells from outside named like lake tables', () => {
  it('renames them on import, says so, and keeps what the notebook computes', async () => {
    const t = storeWith();
    await t.s().init();
    await t.s().startEngine();
    const result = await t.s().importNotebook(serializeNotebook(invented()));
    expect(result.ok).toBe(true);
    expect(sql(t.s().notebook)).toEqual([
      ['admissions_cell', 'SELECT 3 AS n'],
      ['total', 'SELECT sum(n) FROM admissions_cell'],
    ]);
    expect(t.s().notice?.text).toMatch(
      /Opened "Invented admissions"\. A cell had the name of a table in the lake .*"admissions" is now "admissions_cell"/,
    );
    await t.s().flushSave();
    const stored = await t.storage.read(t.s().notebook.id);
    expect(JSON.stringify(stored?.doc)).toContain('admissions_cell');
  });

  it('renames them once the engine names the tables, when a link opened before it was ready', async () => {
    const link = shareFragment(invented());
    if (!link.ok) throw new Error(link.message);
    const connector = new FakeConnector();
    connector.holdStart();
    const t = storeWith(connector);
    await t.s().init(link.fragment);
    const starting = t.s().startEngine();
    expect((t.s().notebook.cells[0] as SqlCell).name).toBe('admissions');
    connector.openStart!();
    await starting;
    expect(sql(t.s().notebook)).toEqual([
      ['admissions_cell', 'SELECT 3 AS n'],
      ['total', 'SELECT sum(n) FROM admissions_cell'],
    ]);
    expect(t.s().notice?.text).toMatch(
      /^A cell had the name of a table in the lake .*"admissions" is now "admissions_cell"/,
    );
  });
});
