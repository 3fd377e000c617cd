/**
 * The `.lakebook.json` file: a versioned, validated notebook document. `restoreNotebook` is the only way a
 * notebook enters the app from outside (file import, share link, IndexedDB): it parses, validates, migrates
 * older versions and refuses newer or broken ones with a message a person can act on. It returns a new
 * notebook or an error and never a half-read one, so a failed import replaces nothing.
 */
import { z } from 'zod';
import { newId } from './ids';
import { checkCellName } from './names';
import type { Cell } from './cells';
import type { Notebook } from './notebook';

export const FILE_FORMAT = 'lakebook-notebook';
export const CURRENT_VERSION = 2;
/** Larger files are refused before parsing: a notebook is text, so this is far beyond any real one. */
export const MAX_FILE_CHARS = 20 * 1024 * 1024;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of letters, digits, - or _');
const timestamp = z.iso.datetime({ offset: true });

const cellV2 = z.discriminatedUnion('kind', [
  z.object({ id, kind: z.literal('sql'), name: z.string(), sql: z.string() }).strict(),
  z.object({ id, kind: z.literal('markdown'), text: z.string() }).strict(),
  z.object({ id, kind: z.literal('chart'), config: z.record(z.string(), z.json()) }).strict(),
]);

const notebookV2 = z
  .object({
    format: z.literal(FILE_FORMAT),
    version: z.literal(2),
    id,
    title: z.string().max(500),
    createdAt: timestamp,
    updatedAt: timestamp,
    settings: z.object({ runMode: z.enum(['auto', 'lazy']) }).strict(),
    cells: z.array(cellV2),
  })
  .strict();

/** Version 1 files: cells had a `type` and a `source`, notebooks had no id, dates or settings. */
const notebookV1 = z.object({
  format: z.literal(FILE_FORMAT),
  version: z.literal(1),
  title: z.string().max(500),
  cells: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('sql'), name: z.string(), source: z.string() }),
      z.object({ type: z.literal('markdown'), source: z.string() }),
    ]),
  ),
});

type FileV1 = z.infer<typeof notebookV1>;
type FileV2 = z.infer<typeof notebookV2>;

function migrateV1(file: FileV1, now: string): FileV2 {
  return {
    format: FILE_FORMAT,
    version: 2,
    id: newId(),
    title: file.title,
    createdAt: now,
    updatedAt: now,
    settings: { runMode: 'auto' },
    cells: file.cells.map((c) =>
      c.type === 'sql'
        ? { id: newId(), kind: 'sql', name: c.name, sql: c.source }
        : { id: newId(), kind: 'markdown', text: c.source },
    ),
  };
}

export type RestoreResult =
  { ok: true; notebook: Notebook; migratedFrom?: number } | { ok: false; message: string };

const fail = (message: string): RestoreResult => ({ ok: false, message });

/** Reads a notebook file's text. */
export function restoreNotebook(text: string): RestoreResult {
  if (text.length > MAX_FILE_CHARS)
    return fail(
      `This file is ${(text.length / 1048576).toFixed(1)} MB; a notebook file may be at most ${MAX_FILE_CHARS / 1048576} MB. Nothing was changed.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('This file is not valid JSON (it may be cut short or not a notebook). Nothing was changed.');
  }
  return restoreNotebookJson(json);
}

/** Validates an already-parsed document (from IndexedDB or a share link). */
export function restoreNotebookJson(json: unknown): RestoreResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('This file is not a Lakebook notebook. Nothing was changed.');
  const head = json as { format?: unknown; version?: unknown };
  if (head.format !== FILE_FORMAT)
    return fail(
      `This file is not a Lakebook notebook (expected "format": "${FILE_FORMAT}"). Nothing was changed.`,
    );
  if (typeof head.version !== 'number' || !Number.isInteger(head.version) || head.version < 1)
    return fail('This notebook file has no valid version number. Nothing was changed.');
  if (head.version > CURRENT_VERSION)
    return fail(
      `This notebook was saved by a newer Lakebook (file version ${head.version}; this one reads up to ${CURRENT_VERSION}). Update Lakebook to open it. Nothing was changed.`,
    );

  let file: FileV2;
  let migratedFrom: number | undefined;
  if (head.version === 1) {
    const v1 = notebookV1.safeParse(json);
    if (!v1.success) return fail(describe(v1.error));
    file = migrateV1(v1.data, new Date().toISOString());
    migratedFrom = 1;
  } else {
    const v2 = notebookV2.safeParse(json);
    if (!v2.success) return fail(describe(v2.error));
    file = v2.data;
  }

  const problem = checkCells(file.cells as Cell[]);
  if (problem) return fail(`${problem} Nothing was changed.`);
  const { format: _format, version: _version, ...notebook } = file;
  return { ok: true, notebook: { ...notebook, cells: notebook.cells as Cell[] }, migratedFrom };
}

function checkCells(cells: Cell[]): string | undefined {
  const ids = new Set<string>();
  for (const [i, cell] of cells.entries()) {
    if (ids.has(cell.id)) return `Cell ${i + 1} repeats the id "${cell.id}".`;
    ids.add(cell.id);
    if (cell.kind === 'sql') {
      const check = checkCellName(cell.name, cells, cell.id, []);
      if (!check.ok) return `Cell ${i + 1} ("${cell.name}"): ${check.message}`;
    }
  }
  return undefined;
}

function describe(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `This notebook file is damaged or was changed by hand: ${shown.join('; ')}${more}. Nothing was changed.`;
}

/** The notebook as file text, current version. */
export function serializeNotebook(nb: Notebook): string {
  const file: FileV2 = {
    format: FILE_FORMAT,
    version: CURRENT_VERSION,
    id: nb.id,
    title: nb.title,
    createdAt: nb.createdAt,
    updatedAt: nb.updatedAt,
    settings: nb.settings,
    cells: nb.cells as FileV2['cells'],
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** The file name a notebook is exported under: its title made safe for every file system. */
export function fileNameFor(nb: Notebook, extension: string): string {
  const base = nb.title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase();
  return `${base || 'notebook'}${extension}`;
}
