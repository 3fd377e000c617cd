import { describe, expect, it } from 'vitest';
import { makeMarkdownCell, makeSqlCell } from './cells';
import { checkCellName, nextCellName } from './names';
import {
  createCell,
  deleteCell,
  duplicateCell,
  insertNear,
  moveCell,
  newNotebook,
  publishMarkdown,
  renameCell,
  undoDelete,
  updateCell,
  type Notebook,
} from './notebook';

function sample(): Notebook {
  const nb = newNotebook('Test');
  return {
    ...nb,
    cells: [
      makeSqlCell('cell_1', 'SELECT 1'),
      makeMarkdownCell('# Notes'),
      makeSqlCell('readmits', 'SELECT 2'),
    ],
  };
}

const names = (nb: Notebook) => nb.cells.map((c) => (c.kind === 'sql' ? c.name : c.kind));

describe('notebook edits', () => {
  it('publishes and withdraws a Markdown cell, and no other kind of cell', () => {
    const nb = sample();
    const note = nb.cells[1]!.id;
    const shown = publishMarkdown(nb, note, true);
    expect(shown.cells[1]).toMatchObject({ kind: 'markdown', published: true });
    expect(nb.cells[1]).toMatchObject({ published: false });
    expect(publishMarkdown(shown, note, false).cells[1]).toMatchObject({ published: false });
    expect(publishMarkdown(shown, note, true)).toBe(shown);
    expect(publishMarkdown(nb, nb.cells[0]!.id, true)).toBe(nb);
  });

  it('inserts above and below a cell, and at the end when the cell is gone', () => {
    const nb = sample();
    const a = insertNear(nb, nb.cells[1]!.id, 'above', makeSqlCell('x'));
    expect(names(a)).toEqual(['cell_1', 'x', 'markdown', 'readmits']);
    const b = insertNear(nb, nb.cells[1]!.id, 'below', makeSqlCell('y'));
    expect(names(b)).toEqual(['cell_1', 'markdown', 'y', 'readmits']);
    expect(names(insertNear(nb, 'missing', 'below', makeSqlCell('z')))).toEqual([...names(nb), 'z']);
    expect(names(nb)).toEqual(['cell_1', 'markdown', 'readmits']);
  });

  it('names new SQL cells with the first free cell_N', () => {
    const nb = sample();
    const cell = createCell(nb, 'sql');
    expect(cell.kind === 'sql' && cell.name).toBe('cell_2');
    expect(nextCellName(nb.cells, ['cell_2'])).toBe('cell_3');
  });

  it('gives a new chart the nearest SQL cell above where it goes as its source', () => {
    const nb = sample();
    const [first, note, readmits] = nb.cells.map((c) => c.id);
    const source = (refId: string | undefined, where: 'above' | 'below') =>
      createCell(nb, 'chart', [], { refId, where });
    expect(source(note, 'below')).toMatchObject({ kind: 'chart', config: { source: 'cell_1' } });
    expect(source(readmits, 'below')).toMatchObject({ config: { source: 'readmits' } });
    expect(source(readmits, 'above')).toMatchObject({ config: { source: 'cell_1' } });
    expect(source(undefined, 'below')).toMatchObject({ config: { source: 'readmits' } });
    expect(source(first, 'above')).toMatchObject({ config: {} });
    expect(createCell(nb, 'chart')).toMatchObject({ config: {} });
  });

  it('moves cells and stops at either end', () => {
    const nb = sample();
    const id = nb.cells[0]!.id;
    expect(names(moveCell(nb, id, 1))).toEqual(['markdown', 'cell_1', 'readmits']);
    expect(names(moveCell(nb, id, 10))).toEqual(['markdown', 'readmits', 'cell_1']);
    expect(moveCell(nb, id, -1)).toBe(nb);
  });

  it('duplicates a cell below itself with a new id and a free name', () => {
    const nb = sample();
    const { notebook, copy } = duplicateCell(nb, nb.cells[2]!.id);
    expect(names(notebook)).toEqual(['cell_1', 'markdown', 'readmits', 'readmits_copy']);
    expect(copy!.id).not.toBe(nb.cells[2]!.id);
    const again = duplicateCell(notebook, nb.cells[2]!.id).notebook;
    expect(names(again)).toContain('readmits_copy_2');
  });

  it('deletes a cell and puts it back where it was', () => {
    const nb = sample();
    const { notebook, deleted } = deleteCell(nb, nb.cells[0]!.id);
    expect(names(notebook)).toEqual(['markdown', 'readmits']);
    const back = undoDelete(notebook, deleted!);
    expect(back.cells).toEqual(nb.cells);
  });

  it('renames a restored cell whose name was taken meanwhile', () => {
    const nb = sample();
    const { notebook, deleted } = deleteCell(nb, nb.cells[2]!.id);
    const taken = insertNear(notebook, undefined, 'below', makeSqlCell('readmits'));
    expect(names(undoDelete(taken, deleted!))).toEqual(['cell_1', 'markdown', 'readmits_2', 'readmits']);
  });

  it('updates content without touching other cells', () => {
    const nb = sample();
    const next = updateCell(nb, nb.cells[0]!.id, { sql: 'SELECT 42' });
    expect(next.cells[0]).toMatchObject({ kind: 'sql', sql: 'SELECT 42', name: 'cell_1' });
    expect(next.cells[2]).toBe(nb.cells[2]);
  });
});

describe('cell names', () => {
  const nb = sample();
  const id = nb.cells[0]!.id;
  it.each([
    ['', 'empty'],
    ['1abc', 'letters'],
    ['has space', 'letters'],
    ['select', 'keyword'],
    ['READMITS', 'Another cell'],
    ['Admissions', 'table in the lake'],
    ['x'.repeat(64), 'at most'],
  ])('refuses %j', (name, why) => {
    const result = renameCell(nb, id, name, ['admissions']);
    expect(result.check.ok).toBe(false);
    expect(!result.check.ok && result.check.message).toContain(why);
    expect(result.notebook).toBe(nb);
  });

  it('accepts a fresh identifier and keeps its own name valid', () => {
    expect(renameCell(nb, id, 'readmits_30d', ['admissions']).notebook.cells[0]).toMatchObject({
      name: 'readmits_30d',
    });
    expect(checkCellName('cell_1', nb.cells, id, []).ok).toBe(true);
  });
});
