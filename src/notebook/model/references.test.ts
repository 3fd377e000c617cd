import { describe, expect, it } from 'vitest';
import { makeMarkdownCell, makeSqlCell } from './cells';
import { buildGraph } from './deps';
import { cellsReading, renameReferences } from './references';

describe('renameReferences', () => {
  it('renames the cell where it is used as a table and as a qualifier', () => {
    expect(renameReferences('SELECT cell_1.n FROM cell_1 JOIN x USING (k)', 'cell_1', 'counts')).toBe(
      'SELECT counts.n FROM counts JOIN x USING (k)',
    );
  });

  it('matches any case and keeps quoted mentions quoted', () => {
    expect(renameReferences('SELECT * FROM CELL_1, "Cell_1"', 'cell_1', 'counts')).toBe(
      'SELECT * FROM counts, "counts"',
    );
  });

  it('leaves strings, comments, members and longer names alone', () => {
    const sql = `-- from cell_1\nSELECT 'cell_1', t.cell_1, cell_10 /* cell_1 */ FROM cell_1 t`;
    expect(renameReferences(sql, 'cell_1', 'base')).toBe(
      `-- from cell_1\nSELECT 'cell_1', t.cell_1, cell_10 /* cell_1 */ FROM base t`,
    );
  });

  it('changes nothing when the name is not used', () => {
    const sql = 'SELECT 1 AS cell_2';
    expect(renameReferences(sql, 'cell_1', 'x')).toBe(sql);
  });
});

describe('cellsReading', () => {
  it('finds the cells that read a name, as the dependency graph does', () => {
    const base = makeSqlCell('base', 'SELECT 1 AS n');
    const a = makeSqlCell('a', 'SELECT * FROM base');
    const b = makeSqlCell('b', "SELECT 'base' AS s FROM admissions");
    const c = makeSqlCell('c', 'SELECT base.n FROM base, a');
    const cells = [base, a, b, makeMarkdownCell('uses base'), c];
    expect(cellsReading(cells, 'BASE', base.id).map((x) => x.name)).toEqual(['a', 'c']);
    expect([...buildGraph(cells).usedBy.get(base.id)!].sort()).toEqual([a.id, c.id].sort());
  });

  it('after a rename with references updated, the readers read the new name', () => {
    const base = makeSqlCell('renamed', 'SELECT 1 AS n');
    const reader = makeSqlCell('r', renameReferences('SELECT n FROM base', 'base', 'renamed'));
    expect(buildGraph([base, reader]).uses.get(reader.id)).toEqual(new Set([base.id]));
  });
});
