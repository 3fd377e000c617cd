import { z } from 'zod';

/**
 * Table contracts: what an event stream must look like to enter a curated table. The CLI and the browser
 * validate with the same contract, so a file accepted in one is accepted in the other.
 */

export const CONTRACT_TYPES = [
  'VARCHAR',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP',
] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export interface ContractColumn {
  name: string;
  type: ContractType;
  /** Required columns reject a row when missing or empty. */
  required?: boolean;
  tags?: string[];
  description?: string;
}

export interface TableContract {
  /** Curated table the rows are upserted into. */
  table: string;
  /** Name of the raw-zone folder the files are kept in, and the prefix of their file names. */
  source: string;
  description: string;
  owner: string;
  sourceText: string;
  license: string;
  tags: string[];
  key: string[];
  /** The column whose newest value dates a batch (its raw partition day). */
  eventTime: string;
  columns: ContractColumn[];
}

/** A typed row: values are JSON-friendly (timestamps as ISO text) so they can travel as JSONL into DuckDB. */
export type TypedRow = Record<string, string | number | boolean | null>;

const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : v);
const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]00:?00)?$/;

function valueSchema(type: ContractType): z.ZodType<string | number | boolean> {
  switch (type) {
    case 'VARCHAR':
      return z.union([z.string(), z.number().transform(String)]);
    case 'INTEGER':
    case 'BIGINT':
      return z.union([
        z.number().int(),
        z.string().regex(INTEGER_TEXT, 'expected an integer').transform(Number),
      ]);
    case 'DOUBLE':
      return z.union([z.number(), z.string().regex(NUMBER_TEXT, 'expected a number').transform(Number)]);
    case 'BOOLEAN':
      return z.union([
        z.boolean(),
        z
          .enum(['true', 'false', 'TRUE', 'FALSE', '1', '0'])
          .transform((s) => s === 'true' || s === 'TRUE' || s === '1'),
      ]);
    case 'DATE':
      return z
        .string()
        .regex(DATE_TEXT, 'expected a date YYYY-MM-DD')
        .refine((s) => !Number.isNaN(Date.parse(s)));
    case 'TIMESTAMP':
      // Event times are UTC; an explicit offset other than zero is refused rather than silently shifted.
      return z
        .string()
        .regex(TIMESTAMP_TEXT, 'expected a UTC timestamp YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]')
        .refine((s) => !Number.isNaN(Date.parse(s.replace(' ', 'T'))), 'not a real date and time')
        .transform((s) => s.replace('T', ' ').replace(/(Z|[+-]00:?00)$/, ''));
  }
}

/** The zod schema of one row of a contract; unknown fields are dropped, known ones typed. */
export function rowSchema(contract: TableContract): z.ZodType<TypedRow> {
  const shape: Record<string, z.ZodType> = {};
  for (const col of contract.columns) {
    const value = valueSchema(col.type);
    const required = col.required || contract.key.includes(col.name);
    shape[col.name] = z.preprocess(emptyToNull, required ? value : value.nullable());
  }
  return z.object(shape) as unknown as z.ZodType<TypedRow>;
}

export type RowCheck = { ok: true; row: TypedRow } | { ok: false; reason: string };

/** Validates one event against a contract; the reason names each bad column and what it expected. */
export function rowChecker(contract: TableContract): (record: unknown) => RowCheck {
  const schema = rowSchema(contract);
  const types = new Map(contract.columns.map((c) => [c.name, c.type]));
  return (record) => {
    const result = schema.safeParse(record);
    if (result.success) return { ok: true, row: result.data };
    const fields = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
    const reasons = result.error.issues.map((issue) => {
      const column = String(issue.path[0] ?? '');
      const value = fields[column];
      if (!column) return issue.message;
      if (value === undefined || value === null || value === '') return `${column}: missing`;
      return `${column}: expected ${types.get(column) ?? 'a value'}, got ${JSON.stringify(value)}`;
    });
    return { ok: false, reason: [...new Set(reasons)].join('; ') };
  };
}

/** Which contract a file belongs to: the one whose source name starts its file name. */
export function contractForFile(
  contracts: readonly TableContract[],
  fileName: string,
): TableContract | undefined {
  return [...contracts]
    .sort((a, b) => b.source.length - a.source.length)
    .find((c) => fileName.startsWith(c.source));
}
