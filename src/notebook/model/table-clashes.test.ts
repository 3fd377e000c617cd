import { describe, expect, it } from 'vitest';
import { makeChartCell, makeSqlCell, type SqlCell } from './cells';
import { newNotebook } from './notebook';
import { renameCellsHidingTables, renamingMessage } from './table-clashes';

const TABLES = ['readmission_30d', 'admissions', 'readmission_30d_cell'];

describe('cells named like lake tables', () => {
  it('renames such a cell to a free name and points its readers and charts at it', () => {
    const nb = {
      ...newNotebook('Invented'),
      cells: [
        makeSqlCell('Readmission_30D', 'SELECT 0.01 AS rate'),
        makeSqlCell('summary', 'SELECT rate FROM readmission_30d JOIN admissions ON true'),
        makeChartCell({ source: 'readmission_30d', type: 'kpi', y: 'rate' }),
        makeSqlCell('own', 'SELECT 1'),
      ],
    };
    const { notebook, renamed } = renameCellsHidingTables(nb, TABLES);
    expect(renamed).toEqual([{ from: 'Readmission_30D', to: 'Readmission_30D_cell_2' }]);
    const [cell, summary, chart, own] = notebook.cells;
    expect((cell as SqlCell).name).toBe('Readmission_30D_cell_2');
    expect((summary as SqlCell).sql).toBe('SELECT rate FROM Readmission_30D_cell_2 JOIN admissions ON true');
    expect(chart).toMatchObject({ config: { source: 'Readmission_30D_cell_2', type: 'kpi' } });
    expect(own).toBe(nb.cells[3]);
    expect(nb.cells[0]).toMatchObject({ name: 'Readmission_30D' });
    expect(renamingMessage(renamed)).toBe(
      'A cell had the name of a table in the lake and was renamed so the table\'s data is not confused with its results: "Readmission_30D" is now "Readmission_30D_cell_2". The cells and charts that read it use the new name; rename them again to any name that is not a table.',
    );
  });

  it('leaves a notebook without such cells as it is', () => {
    const nb = { ...newNotebook('Fine'), cells: [makeSqlCell('rates', 'SELECT * FROM readmission_30d')] };
    expect(renameCellsHidingTables(nb, TABLES)).toEqual({ notebook: nb, renamed: [] });
  });
});
