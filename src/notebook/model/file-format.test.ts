import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from './cells';
import { CURRENT_VERSION, FILE_FORMAT, fileNameFor, restoreNotebook, serializeNotebook } from './file-format';
import { newNotebook, type Notebook } from './notebook';

function sample(): Notebook {
  return {
    ...newNotebook('Readmissions review'),
    cells: [
      makeSqlCell('cell_1', 'SELECT count(*) FROM admissions'),
      makeMarkdownCell('**Note**'),
      makeChartCell({ type: 'bar', source: 'cell_1' }),
    ],
  };
}

const messageOf = (text: string) => {
  const r = restoreNotebook(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.message;
};

describe('.lakebook.json', () => {
  it('round-trips a notebook exactly', () => {
    const nb = sample();
    const r = restoreNotebook(serializeNotebook(nb));
    expect(r).toEqual({ ok: true, notebook: nb, migratedFrom: undefined });
  });

  it('migrates version 1 files', () => {
    const v1 = {
      format: FILE_FORMAT,
      version: 1,
      title: 'Old',
      cells: [
        { type: 'sql', name: 'first', source: 'SELECT 1' },
        { type: 'markdown', source: 'hello' },
      ],
    };
    const r = restoreNotebook(JSON.stringify(v1));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(1);
    expect(r.notebook.title).toBe('Old');
    expect(r.notebook.settings.runMode).toBe('auto');
    expect(r.notebook.cells).toMatchObject([
      { kind: 'sql', name: 'first', sql: 'SELECT 1' },
      { kind: 'markdown', text: 'hello', published: false },
    ]);
    expect(restoreNotebook(serializeNotebook(r.notebook)).ok).toBe(true);
  });

  it('refuses a newer version with a message that says so', () => {
    const newer = { ...JSON.parse(serializeNotebook(sample())), version: CURRENT_VERSION + 1 };
    expect(messageOf(JSON.stringify(newer))).toMatch(/newer Lakebook.*Nothing was changed/);
  });

  it('refuses truncated, foreign, mistyped and oversized files', () => {
    const text = serializeNotebook(sample());
    expect(messageOf(text.slice(0, text.length / 2))).toMatch(/not valid JSON/);
    expect(messageOf('{"cells": []}')).toMatch(/not a Lakebook notebook/);
    expect(messageOf('[]')).toMatch(/not a Lakebook notebook/);
    const wrong = JSON.parse(text);
    wrong.cells[0].sql = 42;
    expect(messageOf(JSON.stringify(wrong))).toMatch(/cells\.0\.sql/);
    expect(messageOf(' '.repeat(21 * 1024 * 1024))).toMatch(/at most 20 MB/);
  });

  it('refuses duplicate names and ids', () => {
    const dup = JSON.parse(serializeNotebook(sample()));
    dup.cells.push({ ...dup.cells[0], id: 'another' });
    expect(messageOf(JSON.stringify(dup))).toMatch(/already named "cell_1"/);
    const sameId = JSON.parse(serializeNotebook(sample()));
    sameId.cells[1].id = sameId.cells[0].id;
    expect(messageOf(JSON.stringify(sameId))).toMatch(/repeats the id/);
  });

  it('never throws on random or mutated documents', () => {
    const base = JSON.parse(serializeNotebook(sample()));
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (junk, key) => {
        const mutated = { ...base, [key]: junk };
        const cells = [...base.cells];
        cells[0] = { ...cells[0], [key]: junk };
        for (const doc of [junk, mutated, { ...base, cells }]) {
          const r = restoreNotebook(JSON.stringify(doc));
          if (r.ok) expect(r.notebook.cells.length).toBeGreaterThanOrEqual(0);
          else expect(r.message).toMatch(/Nothing was changed/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('derives a safe file name from the title', () => {
    expect(fileNameFor({ ...sample(), title: 'Readmits: Q3/Q4 ✓' }, '.ipynb')).toBe('readmits-q3q4.ipynb');
    expect(fileNameFor({ ...sample(), title: '///' }, '.lakebook.json')).toBe('notebook.lakebook.json');
  });
});
