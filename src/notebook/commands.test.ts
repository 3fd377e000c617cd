import { describe, expect, it, vi } from 'vitest';
import {
  COMMANDS,
  COMMAND_MODE_CHORDS,
  COMMAND_MODE_KEYS,
  getCommand,
  runCommand,
  type CommandUi,
} from './commands';
import { restoreNotebook } from './model/file-format';
import { readShareFragment } from './model/share';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

async function setup() {
  const store = createNotebookStore({
    connector: new FakeConnector(),
    storage: new MemoryStorage(),
    lakeUrl: '/',
    session: { user: 'u', role: 'DataAnalyst', attributes: {} },
  });
  await store.getState().init();
  const downloads: { name: string; text: string }[] = [];
  const ui: CommandUi = {
    focusCell: vi.fn(),
    openPalette: vi.fn(),
    download: (name, parts) => downloads.push({ name, text: parts.join('') }),
    pickFileText: async () => '{"not": "a notebook"}',
    copyText: vi.fn(async () => undefined),
    pageUrl: () => 'http://localhost/app/#/somewhere',
  };
  return { store, ui, downloads, ctx: { store, ui } };
}

describe('command registry', () => {
  it('has unique ids, and every key binding points at a command', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    for (const id of [...Object.values(COMMAND_MODE_KEYS), ...Object.values(COMMAND_MODE_CHORDS)])
      expect(getCommand(id).id).toBe(id);
  });

  it('inserts, deletes and undoes through commands, moving focus to the new cell', async () => {
    const { store, ui, ctx } = await setup();
    const first = store.getState().notebook.cells[1]!.id;
    await runCommand('cell.insertAbove', ctx, first);
    const added = store.getState().activeCellId!;
    expect(store.getState().notebook.cells.map((c) => c.id)).toEqual([
      store.getState().notebook.cells[0]!.id,
      added,
      first,
    ]);
    expect(ui.focusCell).toHaveBeenLastCalledWith(added, 'edit');
    await runCommand('cell.delete', ctx, added);
    expect(store.getState().notebook.cells).toHaveLength(2);
    await runCommand('cell.undoDelete', ctx);
    expect(store.getState().notebook.cells[1]!.id).toBe(added);
  });

  it('skips cell commands when no cell is selected', async () => {
    const { store, ctx } = await setup();
    store.getState().setActiveCell(undefined);
    const before = store.getState().notebook;
    await runCommand('cell.delete', ctx);
    expect(store.getState().notebook).toBe(before);
  });

  it('exports the notebook file and a Jupyter notebook', async () => {
    const { store, downloads, ctx } = await setup();
    await runCommand('notebook.export', ctx);
    await runCommand('notebook.exportIpynb', ctx);
    expect(downloads.map((d) => d.name)).toEqual([
      'welcome-to-lakebook.lakebook.json',
      'welcome-to-lakebook.ipynb',
    ]);
    expect(restoreNotebook(downloads[0]!.text)).toMatchObject({
      ok: true,
      notebook: store.getState().notebook,
    });
    expect(JSON.parse(downloads[1]!.text).nbformat).toBe(4);
  });

  it('refuses an imported file that is not a notebook and keeps the open one', async () => {
    const { store, ctx } = await setup();
    const before = store.getState().notebook;
    await runCommand('notebook.import', ctx);
    expect(store.getState().notebook).toBe(before);
    expect(store.getState().notice?.kind).toBe('error');
  });

  it('copies a share link that opens the same notebook', async () => {
    const { store, ui, ctx } = await setup();
    await runCommand('notebook.share', ctx);
    const url = vi.mocked(ui.copyText).mock.calls[0]![0];
    expect(url.startsWith('http://localhost/app/#/share/')).toBe(true);
    expect(readShareFragment(url.slice(url.indexOf('#')))).toMatchObject({
      ok: true,
      notebook: store.getState().notebook,
    });
  });
});
