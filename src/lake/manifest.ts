import { z } from 'zod';

/**
 * The catalog manifest (`catalog.json` at the root of a lake folder). It is the contract between the lake
 * CLI that writes it, the engine that loads tables from it, the guard that reads tags from it and the
 * catalog panel that shows it. Every reader validates it with `parseManifest` at the edge.
 */

export const SENSITIVITY_TAGS = ['PHI', 'PII', 'PUBLIC'] as const;
export type SensitivityTag = (typeof SENSITIVITY_TAGS)[number];

export const ZONES = ['raw', 'curated', 'metrics'] as const;
export type Zone = (typeof ZONES)[number];

/** How a policy may mask a column's values (src/gov/masks.ts); a prepared lake records the one applied. */
export const MASK_KINDS = ['null', 'hash', 'partial', 'year', 'date_shift'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

const identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, 'lower-case identifier (letters, digits, underscore)');

/** Tags are the three sensitivity tiers plus free labels such as `finance` or `demo`. */
const tag = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a tag is a word (letters, digits, - or _)');

export const columnSchema = z.object({
  name: z.string().min(1),
  /** DuckDB type as DuckDB spells it, e.g. `INTEGER`, `VARCHAR`, `DATE`, `TIMESTAMP`, `DOUBLE`. */
  type: z.string().min(1),
  /** When absent the column inherits its table's tags. */
  tags: z.array(tag).optional(),
  description: z.string().optional(),
  /** In a lake prepared for one role: the mask the host applied to the stored values. */
  masked: z.enum(MASK_KINDS).optional(),
  /** In a lake prepared for one role: a column the role may not read, listed without its values. */
  withheld: z.literal(true).optional(),
});

export const fileSchema = z.object({
  /** Path relative to the lake root, with forward slashes. */
  path: z.string().min(1),
  format: z.enum(['parquet', 'json', 'jsonl', 'csv']),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Raw event files may arrive gzip-compressed (`*.csv.gz`, `*.jsonl.gz`); they are kept as they arrived. */
  compression: z.enum(['gzip']).optional(),
  /** Parquet only: rows per row group, so a loader can plan range reads without a footer fetch. */
  rowGroups: z.array(z.number().int().nonnegative()).optional(),
});

export const tableSchema = z.object({
  /** Unique across zones: the guard resolves tables by name alone. */
  name: identifier,
  zone: z.enum(ZONES),
  /** The sensitivity tier whose folder holds the files: the highest of the table's and columns' tags. */
  tier: z.enum(SENSITIVITY_TAGS),
  description: z.string(),
  owner: z.string().min(1),
  source: z.string(),
  license: z.string(),
  tags: z.array(tag).min(1),
  columns: z.array(columnSchema).min(1),
  files: z.array(fileSchema),
  rowCount: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Upsert key for curated tables. */
  key: z.array(z.string()).optional(),
  lineage: z
    .object({
      upstream: z.array(z.string()),
      /** Path (relative to the project) of the SQL that builds a metric view. */
      definition: z.string().optional(),
      /** SHA-256 of that SQL file when the metric was last built: a changed file needs a rebuild. */
      definitionSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    })
    .optional(),
  updatedAt: z.iso.datetime({ offset: true }),
  /** Metric views: the as-of time of the newest snapshot. */
  asOf: z.iso.datetime({ offset: true }).optional(),
  /** In a lake prepared for one role: a table the role may not read, listed without its files. */
  withheld: z.literal(true).optional(),
  /** In a lake prepared for one role: the policy rules the host applied to this table's files. */
  appliedRules: z.array(z.string()).optional(),
});

/**
 * A lake folder built for one role (and one set of user attributes when the role's row filters read
 * them): masks, row filters and suppression are already applied in its files, with a secret the browser
 * never receives.
 */
export const preparedForSchema = z.object({
  role: z.string().min(1),
  /** The user attributes the row filters were applied with; absent when the role's rows do not depend on them. */
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

export const manifestSchema = z.object({
  format: z.literal('lakebook-catalog'),
  version: z.literal(1),
  name: z.string(),
  generatedAt: z.iso.datetime({ offset: true }),
  preparedFor: preparedForSchema.optional(),
  tables: z.array(tableSchema),
});

export type ColumnEntry = z.infer<typeof columnSchema>;
export type FileEntry = z.infer<typeof fileSchema>;
export type TableEntry = z.infer<typeof tableSchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type PreparedFor = z.infer<typeof preparedForSchema>;

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Validates untrusted JSON; the message lists each problem with its path so a lake owner can fix it. */
export function parseManifest(json: unknown): Manifest {
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError(`The lake catalog is not valid:\n${problems.join('\n')}`);
  }
  const names = new Set<string>();
  for (const t of result.data.tables) {
    if (names.has(t.name)) throw new ManifestError(`The lake catalog lists table "${t.name}" twice.`);
    names.add(t.name);
  }
  return result.data;
}

/** A column's effective tags: its own when set, else its table's (deny-by-default relies on this). */
export function columnTags(table: TableEntry, column: ColumnEntry): string[] {
  return column.tags ?? table.tags;
}

const TIER_RANK: Record<SensitivityTag, number> = { PUBLIC: 0, PII: 1, PHI: 2 };

/** The most sensitive tier among a set of tags; untagged data counts as PHI so it is never published by mistake. */
export function tierOf(tags: Iterable<string>): SensitivityTag {
  let best: SensitivityTag | undefined;
  for (const t of tags) {
    if ((SENSITIVITY_TAGS as readonly string[]).includes(t)) {
      const s = t as SensitivityTag;
      if (!best || TIER_RANK[s] > TIER_RANK[best]) best = s;
    }
  }
  return best ?? 'PHI';
}
