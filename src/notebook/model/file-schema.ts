/**
 * The shapes of `.lakebook.json` files, one schema per file version. Only the current version is ever
 * written; older ones are read so that `file-migrations.ts` can bring them up to date.
 */
import { z } from 'zod';

export const FILE_FORMAT = 'lakebook-notebook';
export const CURRENT_VERSION = 3;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of letters, digits, - or _');
const timestamp = z.iso.datetime({ offset: true });

const sqlCell = z.object({ id, kind: z.literal('sql'), name: z.string(), sql: z.string() }).strict();
const chartCell = z.object({ id, kind: z.literal('chart'), config: z.record(z.string(), z.json()) }).strict();

const notebookFields = {
  format: z.literal(FILE_FORMAT),
  id,
  title: z.string().max(500),
  createdAt: timestamp,
  updatedAt: timestamp,
  settings: z.object({ runMode: z.enum(['auto', 'lazy']) }).strict(),
};

/** Version 3: a Markdown cell says whether the read-only view shows it. */
export const notebookV3 = z
  .object({
    ...notebookFields,
    version: z.literal(3),
    cells: z.array(
      z.discriminatedUnion('kind', [
        sqlCell,
        z.object({ id, kind: z.literal('markdown'), text: z.string(), published: z.boolean() }).strict(),
        chartCell,
      ]),
    ),
  })
  .strict();

/** Version 2: the read-only view showed the Markdown cells just above each published chart. */
export const notebookV2 = z
  .object({
    ...notebookFields,
    version: z.literal(2),
    cells: z.array(
      z.discriminatedUnion('kind', [
        sqlCell,
        z.object({ id, kind: z.literal('markdown'), text: z.string() }).strict(),
        chartCell,
      ]),
    ),
  })
  .strict();

/** Version 1: cells had a `type` and a `source`, notebooks had no id, dates or settings. */
export const notebookV1 = z.object({
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

export type FileV1 = z.infer<typeof notebookV1>;
export type FileV2 = z.infer<typeof notebookV2>;
export type FileV3 = z.infer<typeof notebookV3>;
