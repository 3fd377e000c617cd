import { describe, expect, it } from 'vitest';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from './cells';
import { restoreNotebook } from './file-format';
import { toIpynb } from './ipynb';
import { newNotebook, type Notebook } from './notebook';

function sample(): Notebook {
  return {
    ...newNotebook('Readmissions review'),
    settings: { runMode: 'lazy' },
    cells: [
      makeSqlCell('readmits', 'SELECT *\nFROM admissions\n'),
      makeMarkdownCell('# Shown\n\nin the view', true),
      makeMarkdownCell('draft note', false),
      makeChartCell({ type: 'line', source: 'readmits' }),
      makeSqlCell('empty'),
    ],
  };
}

const imported = (doc: unknown) => restoreNotebook(JSON.stringify(doc));

const messageOf = (doc: unknown) => {
  const r = imported(doc);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.message;
};

/** A notebook as JupyterLab writes it, without any Lakebook metadata. */
const plainJupyter = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'intro', cell_type: 'markdown', metadata: {}, source: ['# Stays\n', 'text'] },
    {
      id: 'q1',
      cell_type: 'code',
      metadata: {},
      source: '%%sql --save stays\nSELECT count(*) FROM admissions',
      execution_count: 3,
      outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }],
    },
    { id: 'q2', cell_type: 'code', metadata: {}, source: ['%%sql\n', 'SELECT 2'], outputs: [] },
  ],
};

describe('Jupyter import', () => {
  it('round-trips what the export writes, the published choice of each Markdown cell included', () => {
    const nb = sample();
    const r = imported(toIpynb(nb));
    if (!r.ok) throw new Error(r.message);
    expect(r.notebook).toEqual({ ...nb, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(r.notebook.cells.map((c) => c.kind === 'markdown' && c.published)).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it('writes the published choice in the Markdown cell metadata', () => {
    const out = toIpynb(sample());
    expect(out.cells[1]!.metadata).toEqual({ lakebook: { published: true } });
    expect(out.cells[2]!.metadata).toEqual({ lakebook: { published: false } });
  });

  it('reads a notebook without Lakebook metadata: Markdown unpublished, %%sql cells named by --save', () => {
    const r = imported(plainJupyter);
    if (!r.ok) throw new Error(r.message);
    expect(r.notebook.title).toBe('Imported Jupyter notebook');
    expect(r.notebook.settings).toEqual({ runMode: 'auto' });
    expect(r.notebook.cells).toEqual([
      { id: 'intro', kind: 'markdown', text: '# Stays\ntext', published: false },
      { id: 'q1', kind: 'sql', name: 'stays', sql: 'SELECT count(*) FROM admissions' },
      { id: 'q2', kind: 'sql', name: 'cell_1', sql: 'SELECT 2' },
    ]);
  });

  it('gives cells of nbformat 4 before 4.5 an id', () => {
    const old = { ...plainJupyter, nbformat_minor: 4, cells: plainJupyter.cells.map(({ id: _, ...c }) => c) };
    const r = imported(old);
    if (!r.ok) throw new Error(r.message);
    for (const cell of r.notebook.cells) expect(cell.id).toMatch(/^[a-z0-9]{12}$/);
  });

  it('refuses a published flag that is not true or false', () => {
    const doc = toIpynb(sample());
    doc.cells[1]!.metadata = { lakebook: { published: 'yes' } };
    expect(messageOf(doc)).toMatch(/Cell 2 has Lakebook metadata.*published.*Nothing was changed/);
  });

  it('refuses code it cannot run, other nbformat versions and broken documents', () => {
    const python = {
      ...plainJupyter,
      cells: [{ cell_type: 'code', metadata: {}, source: 'import pandas', outputs: [] }],
    };
    expect(messageOf(python)).toMatch(/Cell 1 is code that is not %%sql.*Nothing was changed/);
    const raw = { ...plainJupyter, cells: [{ cell_type: 'raw', metadata: {}, source: 'x' }] };
    expect(messageOf(raw)).toMatch(/Cell 1 is a raw cell/);
    expect(messageOf({ ...plainJupyter, nbformat: 3 })).toMatch(/nbformat 3; Lakebook reads nbformat 4/);
    expect(messageOf({ ...plainJupyter, cells: [{ cell_type: 'code' }] })).toMatch(
      /damaged: cells\.0\.source/,
    );
  });

  it('validates the result as a notebook file: bad names and repeated ids are refused', () => {
    const badName = {
      ...plainJupyter,
      cells: [{ ...plainJupyter.cells[1], source: '%%sql --save select\n' }],
    };
    expect(messageOf(badName)).toMatch(/Cell 1 \("select"\)/);
    const sameId = { ...plainJupyter, cells: [plainJupyter.cells[0], plainJupyter.cells[0]] };
    expect(messageOf(sameId)).toMatch(/repeats the id "intro"/);
    const doc = toIpynb(sample());
    doc.metadata = { lakebook: { title: 'x', id: 'no spaces allowed', settings: { runMode: 'auto' } } };
    expect(messageOf(doc)).toMatch(/damaged or was changed by hand: id:/);
  });
});
