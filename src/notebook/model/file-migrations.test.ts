import { describe, expect, it } from 'vitest';
import { restoreNotebook, serializeNotebook } from './file-format';
import { FILE_FORMAT } from './file-schema';
import { makeMarkdownCell } from './cells';
import { newNotebook } from './notebook';

const STAMP = '2026-11-01T00:00:00.000Z';
const md = (id: string) => ({ id, kind: 'markdown', text: `text of ${id}` });
const sql = (id: string) => ({ id, kind: 'sql', name: id, sql: 'SELECT 1 AS x' });
const chart = (id: string, config: Record<string, unknown>) => ({ id, kind: 'chart', config });
const published = { source: 'q', type: 'bar', x: 'x', published: true };

function v2(cells: unknown[]): string {
  const head = {
    format: FILE_FORMAT,
    version: 2,
    id: 'nb',
    title: 'Old',
    createdAt: STAMP,
    updatedAt: STAMP,
  };
  return JSON.stringify({ ...head, settings: { runMode: 'auto' }, cells });
}

/** The ids of the Markdown cells a restored file publishes. */
function publishedMarkdown(text: string): string[] {
  const r = restoreNotebook(text);
  if (!r.ok) throw new Error(r.message);
  return r.notebook.cells.flatMap((c) => (c.kind === 'markdown' && c.published ? [c.id] : []));
}

describe('version 2 files', () => {
  it('publish the Markdown cells between a published chart and the chart before it, as their view did', () => {
    const text = v2([
      md('intro'),
      sql('q'),
      md('explains-first'),
      chart('first', published),
      md('before-unpublished'),
      chart('hidden', { ...published, published: false }),
      md('explains-last'),
      sql('q2'),
      chart('last', published),
      md('after-every-chart'),
    ]);
    expect(publishedMarkdown(text)).toEqual(['intro', 'explains-first', 'explains-last']);
  });

  it('publish no Markdown above a chart whose settings are not valid, which their view did not draw', () => {
    const text = v2([md('note'), sql('q'), chart('broken', { ...published, type: 'pie' })]);
    expect(publishedMarkdown(text)).toEqual([]);
  });

  it('are reported as migrated and keep their ids, title and dates', () => {
    const r = restoreNotebook(v2([md('note'), sql('q'), chart('c', published)]));
    expect(r).toMatchObject({
      ok: true,
      migratedFrom: 2,
      notebook: { id: 'nb', title: 'Old', createdAt: STAMP, updatedAt: STAMP },
    });
    if (r.ok) expect(r.notebook.cells[0]).toEqual({ ...md('note'), published: true });
  });

  it('are still validated against their own version', () => {
    const r = restoreNotebook(v2([{ ...md('note'), published: true }]));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/cells\.0.*published/) });
  });
});

describe('version 3 files', () => {
  it('keep each Markdown cell’s own choice', () => {
    const nb = {
      ...newNotebook('Now'),
      cells: [makeMarkdownCell('shown', true), makeMarkdownCell('kept back')],
    };
    const r = restoreNotebook(serializeNotebook(nb));
    expect(r).toEqual({ ok: true, notebook: nb, migratedFrom: undefined });
  });

  it('refuse a Markdown cell that does not say whether it is published', () => {
    const file = JSON.parse(serializeNotebook({ ...newNotebook('Now'), cells: [makeMarkdownCell('x')] }));
    delete file.cells[0].published;
    expect(restoreNotebook(JSON.stringify(file))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/cells\.0\.published/),
    });
  });
});
