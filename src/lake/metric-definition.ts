import { z } from 'zod';

/**
 * A metric view is a SQL file whose leading `-- key: value` comment lines describe it:
 *
 *   -- metric: readmission_30d
 *   -- description: Daily 30-day readmission rate ...
 *   -- owner: Quality and Performance Office
 *   -- tags: PUBLIC, evergreen, metric
 *   -- upstream: evergreen_admissions
 *   -- column: n_index_stays | index stays | Index stays discharged that day.
 *   -- column: readmission_rate_30d | proportion (0–1) | n_readmitted_30d / n_index_stays | Share readmitted.
 *   -- caveat: Not risk-adjusted: ...
 *
 * `column` lines document one result column each: its name, its unit and what it holds; a rate names the
 * columns it divides (`numerator / denominator`) between unit and description. `caveat` lines are short
 * statements a reader must know before using the numbers. Both may repeat. Other comment lines are free text
 * (the definition in words). The body is one SELECT over the upstream tables.
 */

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case identifier');

const headerSchema = z.object({
  metric: identifier,
  description: z.string().min(1),
  owner: z.string().min(1),
  tags: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/)).min(1),
  upstream: z.array(identifier).min(1),
  license: z.string().min(1).optional(),
});

export type MetricHeader = z.infer<typeof headerSchema>;

/** One result column as the SQL file documents it. */
export interface ColumnDoc {
  name: string;
  /** What one unit of the value is: `index stays`, `patients`, `proportion (0–1)`, `hours`, `date`, … */
  unit: string;
  description: string;
  /** Rates: the count columns of the same view the rate divides. */
  numerator?: string;
  denominator?: string;
}

export interface MetricDefinition extends MetricHeader {
  sql: string;
  /** The free-text comment lines of the header: the definition in words. */
  notes: string;
  /** The `column` lines, in file order. */
  columns: ColumnDoc[];
  /** The `caveat` lines, in file order. */
  caveats: string[];
}

const LIST_KEYS = new Set(['tags', 'upstream']);
/** Keys that may repeat, one entry per line. */
const REPEATED_KEYS = new Set(['column', 'caveat']);
const isHeaderKey = (key: string) => key in headerSchema.shape || REPEATED_KEYS.has(key);

export function parseMetricDefinition(text: string, fileName: string): MetricDefinition {
  const fields: Record<string, string | string[]> = {};
  const columns: ColumnDoc[] = [];
  const caveats: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^--\s*([a-z_]+):\s*(.+)$/.exec(line.trim());
    if (!m || !isHeaderKey(m[1]!)) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'column') {
      columns.push(parseColumnDoc(value.trim(), fileName));
      continue;
    }
    if (key === 'caveat') {
      caveats.push(value.trim());
      continue;
    }
    if (key in fields) continue;
    fields[key] = LIST_KEYS.has(key)
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value.trim();
  }
  const parsed = headerSchema.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${fileName}: metric header is not valid: ${problems}`);
  }
  const twice = columns.map((c) => c.name).filter((n, i, all) => all.indexOf(n) !== i);
  if (twice.length > 0)
    throw new Error(`${fileName}: column ${twice.join(', ')} is documented more than once.`);
  const sql = text.trim().replace(/;\s*$/, '');
  return { ...parsed.data, sql, notes: definitionNotes(text), columns, caveats };
}

/** `name | unit | description`, or `name | unit | numerator / denominator | description` for a rate. */
function parseColumnDoc(value: string, fileName: string): ColumnDoc {
  const parts = value.split(' | ').map((p) => p.trim());
  const wrong = (why: string) =>
    new Error(
      `${fileName}: "-- column: ${value}" ${why}; write "name | unit | description", or ` +
        '"name | unit | numerator / denominator | description" for a rate.',
    );
  if (parts.length !== 3 && parts.length !== 4) throw wrong('does not have 3 or 4 parts');
  const [name, unit] = parts as [string, string];
  if (!identifier.safeParse(name).success) throw wrong(`names no column (${name})`);
  if (!unit) throw wrong('has no unit');
  const description = parts[parts.length - 1]!;
  if (!description) throw wrong('has no description');
  if (parts.length === 3) return { name, unit, description };
  const ratio = /^([a-z_][a-z0-9_]*)\s*\/\s*([a-z_][a-z0-9_]*)$/.exec(parts[2]!);
  if (!ratio) throw wrong(`gives no "numerator / denominator" (${parts[2]})`);
  return { name, unit, numerator: ratio[1]!, denominator: ratio[2]!, description };
}

/** The leading comment block minus its `key: value` lines, joined into paragraphs. */
function definitionNotes(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--')) break;
    const body = trimmed.replace(/^--\s?/, '');
    const m = /^\s*([a-z_]+):/.exec(body);
    if (m && isHeaderKey(m[1]!)) continue;
    lines.push(body.trimEnd());
  }
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}
