/**
 * The `.lakebook.json` file: a versioned, validated notebook document. `restoreNotebook` is the only way a
 * notebook enters the app from outside (file import, share link, IndexedDB): it parses, validates, migrates
 * older versions and refuses newer or broken ones with a message a person can act on. A Jupyter notebook is
 * first turned into this format (`ipynb-import.ts`) and then validated the same way. It returns a new
 * notebook or an error and never a half-read one, so a failed import replaces nothing.
 */
import type { z } from 'zod';
import { checkCellName } from './names';
import type { Cell } from './cells';
import type { Notebook } from './notebook';
import { migrateV1, migrateV2 } from './file-migrations';
import { ipynbToFile, looksLikeIpynb } from './ipynb-import';
import { CURRENT_VERSION, FILE_FORMAT, notebookV1, notebookV2, notebookV3, type FileV3 } from './file-schema';

export { CURRENT_VERSION, FILE_FORMAT };
/** Larger files are refused before parsing: a notebook is text, so this is far beyond any real one. */
export const MAX_FILE_CHARS = 20 * 1024 * 1024;

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
  if (looksLikeIpynb(json)) {
    const converted = ipynbToFile(json);
    return converted.ok ? restoreNotebookJson(converted.file) : fail(converted.message);
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

  const file = parseAndMigrate(json, head.version);
  if ('message' in file) return fail(file.message);
  const migratedFrom = head.version < CURRENT_VERSION ? head.version : undefined;

  const problem = checkCells(file.cells as Cell[]);
  if (problem) return fail(`${problem} Nothing was changed.`);
  const { format: _format, version: _version, ...notebook } = file;
  return { ok: true, notebook: { ...notebook, cells: notebook.cells as Cell[] }, migratedFrom };
}

/** The document validated against the schema of its own version, then migrated up to the current one. */
function parseAndMigrate(json: unknown, version: number): FileV3 | { message: string } {
  if (version === 1) {
    const v1 = notebookV1.safeParse(json);
    return v1.success
      ? migrateV2(migrateV1(v1.data, new Date().toISOString()))
      : { message: describe(v1.error) };
  }
  if (version === 2) {
    const v2 = notebookV2.safeParse(json);
    return v2.success ? migrateV2(v2.data) : { message: describe(v2.error) };
  }
  const v3 = notebookV3.safeParse(json);
  return v3.success ? v3.data : { message: describe(v3.error) };
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
  const file: FileV3 = {
    format: FILE_FORMAT,
    version: CURRENT_VERSION,
    id: nb.id,
    title: nb.title,
    createdAt: nb.createdAt,
    updatedAt: nb.updatedAt,
    settings: nb.settings,
    cells: nb.cells as FileV3['cells'],
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
