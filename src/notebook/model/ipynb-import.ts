/**
 * Import from Jupyter (nbformat 4). The reverse of `ipynb.ts`: `%%sql` code cells become SQL cells (named by
 * the Lakebook metadata, else by JupySQL's `--save`), Markdown stays Markdown with its `published` choice
 * (unpublished when the metadata does not say), and a chart note becomes the chart again. The result is a
 * document in the current file format, which `restoreNotebookJson` validates like any other notebook file.
 */
import { z } from 'zod';
import type { Cell } from './cells';
import { CURRENT_VERSION, FILE_FORMAT } from './file-schema';
import { newId } from './ids';
import { nextCellName } from './names';

const source = z.union([z.string(), z.array(z.string())]);
const metadata = z.record(z.string(), z.unknown());

/** Only the fields Lakebook reads; Jupyter's own (outputs, attachments…) are allowed and ignored. */
const ipynbSchema = z.object({
  nbformat: z.literal(4),
  metadata: metadata.optional(),
  cells: z.array(
    z.object({
      id: z.string().optional(),
      cell_type: z.enum(['code', 'markdown', 'raw']),
      metadata: metadata.optional(),
      source,
    }),
  ),
});

/** What `toIpynb` writes under `metadata.lakebook` of a cell. */
const cellMetadata = z.object({
  name: z.string().optional(),
  chart: z.record(z.string(), z.json()).optional(),
  published: z.boolean().optional(),
});

const notebookMetadata = z.object({
  title: z.string().optional(),
  id: z.unknown().optional(),
  settings: z.unknown().optional(),
});

type IpynbCell = z.infer<typeof ipynbSchema>['cells'][number];

export type IpynbReadResult = { ok: true; file: unknown } | { ok: false; message: string };

const NOTHING_CHANGED = 'Nothing was changed.';

/** Whether a parsed document claims to be a Jupyter notebook. */
export function looksLikeIpynb(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'nbformat' in json;
}

function describe(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
  return shown.join('; ');
}

const SQL_MAGIC = /^%%sql\b[^\n]*(?:\n|$)/;

function toCell(cell: IpynbCell, at: number, done: Cell[]): Cell | { message: string } {
  const meta = cellMetadata.safeParse(cell.metadata?.lakebook ?? {});
  if (!meta.success)
    return { message: `Cell ${at + 1} has Lakebook metadata that cannot be read (${describe(meta.error)}).` };
  const id = cell.id ?? newId();
  const text = [cell.source].flat().join('');
  if (cell.cell_type === 'markdown') {
    if (meta.data.chart) return { id, kind: 'chart', config: meta.data.chart };
    return { id, kind: 'markdown', text, published: meta.data.published ?? false };
  }
  const magic = cell.cell_type === 'code' ? SQL_MAGIC.exec(text) : null;
  if (!magic)
    return {
      message: `Cell ${at + 1} is ${cell.cell_type === 'raw' ? 'a raw cell' : 'code that is not %%sql'}; Lakebook imports %%sql cells, Markdown and its own chart notes.`,
    };
  const saved = /--save\s+(\S+)/.exec(magic[0])?.[1];
  const name = meta.data.name ?? saved ?? nextCellName(done);
  return { id, kind: 'sql', name, sql: text.slice(magic[0].length) };
}

/** A Jupyter document as a current-version notebook file, not yet validated as one. */
export function ipynbToFile(json: unknown, now = new Date().toISOString()): IpynbReadResult {
  const version = (json as { nbformat?: unknown }).nbformat;
  if (version !== 4)
    return {
      ok: false,
      message: `This Jupyter notebook is in nbformat ${String(version)}; Lakebook reads nbformat 4. Save it from a current Jupyter first. ${NOTHING_CHANGED}`,
    };
  const doc = ipynbSchema.safeParse(json);
  if (!doc.success)
    return {
      ok: false,
      message: `This Jupyter notebook is damaged: ${describe(doc.error)}. ${NOTHING_CHANGED}`,
    };
  const meta = notebookMetadata.safeParse(doc.data.metadata?.lakebook ?? {});
  if (!meta.success)
    return {
      ok: false,
      message: `This Jupyter notebook has Lakebook metadata that cannot be read (${describe(meta.error)}). ${NOTHING_CHANGED}`,
    };
  const cells: Cell[] = [];
  for (const [at, cell] of doc.data.cells.entries()) {
    const made = toCell(cell, at, cells);
    if ('message' in made) return { ok: false, message: `${made.message} ${NOTHING_CHANGED}` };
    cells.push(made);
  }
  return {
    ok: true,
    file: {
      format: FILE_FORMAT,
      version: CURRENT_VERSION,
      id: meta.data.id ?? newId(),
      title: meta.data.title ?? 'Imported Jupyter notebook',
      createdAt: now,
      updatedAt: now,
      settings: meta.data.settings ?? { runMode: 'auto' },
      cells,
    },
  };
}
