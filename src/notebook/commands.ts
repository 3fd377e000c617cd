/**
 * The one command registry. The toolbar, the keyboard (Jupyter's command mode and the editor's keys), the
 * command palette and the end-to-end tests all run notebook actions through these commands, so a command
 * behaves the same wherever it is started.
 */
import { serializeNotebook, fileNameFor } from './model/file-format';
import { toIpynb } from './model/ipynb';
import { shareFragment } from './model/share';
import type { NotebookStore } from './store-types';
import type { ResultFormat } from './store-types';

/** What commands need from the page; the UI provides it, tests can fake it. */
export interface CommandUi {
  focusCell(id: string, mode: 'command' | 'edit'): void;
  openPalette(): void;
  download(fileName: string, parts: BlobPart[], type: string): void;
  pickFileText(accept: string): Promise<string | undefined>;
  copyText(text: string): Promise<void>;
  pageUrl(): string;
}

export interface CommandContext {
  store: NotebookStore;
  ui: CommandUi;
}

export type CommandSection = 'Run' | 'Cell' | 'Notebook' | 'View';

export interface Command {
  id: string;
  title: string;
  section: CommandSection;
  /** Shortcut as shown to the user; the key handling lives in the UI's keymaps below. */
  keys?: string;
  /** Needs a selected cell. */
  needsCell?: boolean;
  run(ctx: CommandContext, cellId: string | undefined): void | Promise<void>;
}

const state = (ctx: CommandContext) => ctx.store.getState();

function neighbour(ctx: CommandContext, cellId: string | undefined, delta: number): string | undefined {
  const cells = state(ctx).notebook.cells;
  const index = cells.findIndex((c) => c.id === cellId);
  return cells[Math.max(0, Math.min(cells.length - 1, index + delta))]?.id;
}

async function downloadResult(ctx: CommandContext, cellId: string, format: ResultFormat): Promise<void> {
  const file = await state(ctx).exportResult(cellId, format);
  if (!file.ok) return state(ctx).notify('error', file.message);
  ctx.ui.download(file.fileName, file.parts, file.type);
  if (file.note) state(ctx).notify('info', file.note);
}

function insert(
  ctx: CommandContext,
  cellId: string | undefined,
  kind: 'sql' | 'markdown' | 'chart',
  where: 'above' | 'below',
) {
  const id = state(ctx).addCell(kind, where, cellId);
  ctx.ui.focusCell(id, kind === 'chart' ? 'command' : 'edit');
}

export const COMMANDS: readonly Command[] = [
  {
    id: 'run.cell',
    title: 'Run cell',
    section: 'Run',
    keys: 'Ctrl+Enter',
    needsCell: true,
    run: (ctx, id) => void state(ctx).runCell(id!),
  },
  {
    id: 'run.advance',
    title: 'Run cell and select below',
    section: 'Run',
    keys: 'Shift+Enter',
    needsCell: true,
    run: (ctx, id) => ctx.ui.focusCell(state(ctx).runAndAdvance(id!), 'command'),
  },
  { id: 'run.all', title: 'Run all cells', section: 'Run', run: (ctx) => void state(ctx).runAll() },
  {
    id: 'run.above',
    title: 'Run all cells above',
    section: 'Run',
    needsCell: true,
    run: (ctx, id) => void state(ctx).runAbove(id!),
  },
  {
    id: 'run.cancel',
    title: 'Cancel cell',
    section: 'Run',
    needsCell: true,
    run: (ctx, id) => state(ctx).cancelCell(id!),
  },
  {
    id: 'result.downloadCsv',
    title: 'Download result as CSV',
    section: 'Cell',
    needsCell: true,
    run: (ctx, id) => downloadResult(ctx, id!, 'csv'),
  },
  {
    id: 'result.downloadParquet',
    title: 'Download result as Parquet',
    section: 'Cell',
    needsCell: true,
    run: (ctx, id) => downloadResult(ctx, id!, 'parquet'),
  },
  { id: 'run.cancelAll', title: 'Stop all queries', section: 'Run', run: (ctx) => state(ctx).cancelAll() },
  {
    id: 'run.toggleMode',
    title: 'Toggle automatic re-run of dependent cells',
    section: 'Run',
    run: (ctx) => {
      const mode = state(ctx).notebook.settings.runMode === 'auto' ? 'lazy' : 'auto';
      state(ctx).setRunMode(mode);
      state(ctx).notify(
        'info',
        mode === 'auto'
          ? 'Cells that read a changed cell now re-run automatically.'
          : 'Cells that read a changed cell are now marked stale; run them when you choose.',
      );
    },
  },
  {
    id: 'cell.insertAbove',
    title: 'Insert SQL cell above',
    section: 'Cell',
    keys: 'A',
    run: (ctx, id) => insert(ctx, id, 'sql', 'above'),
  },
  {
    id: 'cell.insertBelow',
    title: 'Insert SQL cell below',
    section: 'Cell',
    keys: 'B',
    run: (ctx, id) => insert(ctx, id, 'sql', 'below'),
  },
  {
    id: 'cell.insertMarkdown',
    title: 'Insert Markdown cell below',
    section: 'Cell',
    keys: 'M',
    run: (ctx, id) => insert(ctx, id, 'markdown', 'below'),
  },
  {
    id: 'cell.insertChart',
    title: 'Insert chart cell below',
    section: 'Cell',
    run: (ctx, id) => insert(ctx, id, 'chart', 'below'),
  },
  {
    id: 'cell.delete',
    title: 'Delete cell',
    section: 'Cell',
    keys: 'D, D',
    needsCell: true,
    run: (ctx, id) => {
      state(ctx).deleteCell(id!);
      const next = state(ctx).activeCellId;
      if (next) ctx.ui.focusCell(next, 'command');
      state(ctx).notify('info', 'Cell deleted. Press Z or use "Undo delete cell" to bring it back.');
    },
  },
  {
    id: 'cell.undoDelete',
    title: 'Undo delete cell',
    section: 'Cell',
    keys: 'Z',
    run: (ctx) => {
      state(ctx).undoDelete();
      const id = state(ctx).activeCellId;
      if (id) ctx.ui.focusCell(id, 'command');
    },
  },
  {
    id: 'cell.moveUp',
    title: 'Move cell up',
    section: 'Cell',
    needsCell: true,
    run: (ctx, id) => state(ctx).moveCell(id!, -1),
  },
  {
    id: 'cell.moveDown',
    title: 'Move cell down',
    section: 'Cell',
    needsCell: true,
    run: (ctx, id) => state(ctx).moveCell(id!, 1),
  },
  {
    id: 'cell.duplicate',
    title: 'Duplicate cell',
    section: 'Cell',
    needsCell: true,
    run: (ctx, id) => {
      state(ctx).duplicateCell(id!);
      const copy = state(ctx).activeCellId;
      if (copy) ctx.ui.focusCell(copy, 'command');
    },
  },
  {
    id: 'cell.edit',
    title: 'Edit cell',
    section: 'Cell',
    keys: 'Enter',
    needsCell: true,
    run: (ctx, id) => ctx.ui.focusCell(id!, 'edit'),
  },
  {
    id: 'cell.selectPrevious',
    title: 'Select cell above',
    section: 'Cell',
    keys: 'K',
    needsCell: true,
    run: (ctx, id) => {
      const target = neighbour(ctx, id, -1);
      if (target) ctx.ui.focusCell(target, 'command');
    },
  },
  {
    id: 'cell.selectNext',
    title: 'Select cell below',
    section: 'Cell',
    keys: 'J',
    needsCell: true,
    run: (ctx, id) => {
      const target = neighbour(ctx, id, 1);
      if (target) ctx.ui.focusCell(target, 'command');
    },
  },
  { id: 'notebook.new', title: 'New notebook', section: 'Notebook', run: (ctx) => state(ctx).newNotebook() },
  {
    id: 'notebook.export',
    title: 'Export notebook (.lakebook.json)',
    section: 'Notebook',
    run: (ctx) => {
      const nb = state(ctx).notebook;
      ctx.ui.download(fileNameFor(nb, '.lakebook.json'), [serializeNotebook(nb)], 'application/json');
    },
  },
  {
    id: 'notebook.exportIpynb',
    title: 'Export to Jupyter (.ipynb)',
    section: 'Notebook',
    run: (ctx) => {
      const nb = state(ctx).notebook;
      ctx.ui.download(
        fileNameFor(nb, '.ipynb'),
        [JSON.stringify(toIpynb(nb), null, 1)],
        'application/x-ipynb+json',
      );
    },
  },
  {
    id: 'notebook.import',
    title: 'Import notebook file…',
    section: 'Notebook',
    run: async (ctx) => {
      const text = await ctx.ui.pickFileText('.json,.lakebook.json,.ipynb,application/json');
      if (text !== undefined) await state(ctx).importNotebook(text);
    },
  },
  {
    id: 'notebook.share',
    title: 'Copy share link',
    section: 'Notebook',
    run: async (ctx) => {
      const link = shareFragment(state(ctx).notebook);
      if (!link.ok) return state(ctx).notify('error', link.message);
      await ctx.ui.copyText(ctx.ui.pageUrl().split('#')[0] + link.fragment);
      state(ctx).notify('info', 'Link copied. The notebook travels inside the link; nothing is uploaded.');
    },
  },
  {
    id: 'view.palette',
    title: 'Show all commands',
    section: 'View',
    keys: 'Ctrl+K',
    run: (ctx) => ctx.ui.openPalette(),
  },
];

const byId = new Map(COMMANDS.map((c) => [c.id, c]));

export function getCommand(id: string): Command {
  const command = byId.get(id);
  if (!command) throw new Error(`Unknown command ${id}`);
  return command;
}

export async function runCommand(
  id: string,
  ctx: CommandContext,
  cellId = ctx.store.getState().activeCellId,
): Promise<void> {
  const command = getCommand(id);
  if (command.needsCell && !cellId) return;
  await command.run(ctx, cellId);
}

/** Jupyter's command mode: single keys act on the selected cell while no editor has focus. */
export const COMMAND_MODE_KEYS: Readonly<Record<string, string>> = {
  a: 'cell.insertAbove',
  b: 'cell.insertBelow',
  m: 'cell.insertMarkdown',
  z: 'cell.undoDelete',
  j: 'cell.selectNext',
  k: 'cell.selectPrevious',
  ArrowDown: 'cell.selectNext',
  ArrowUp: 'cell.selectPrevious',
  Enter: 'cell.edit',
  'Shift+Enter': 'run.advance',
  'Mod+Enter': 'run.cell',
};

/** Keys pressed twice in a row (Jupyter's D, D). */
export const COMMAND_MODE_CHORDS: Readonly<Record<string, string>> = { d: 'cell.delete' };
