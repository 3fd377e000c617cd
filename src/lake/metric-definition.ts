import { z } from 'zod';

/**
 * A metric view is a SQL file whose leading `-- key: value` comment lines describe it:
 *
 *   -- metric: readmission_30d
 *   -- description: Daily 30-day readmission rate ...
 *   -- owner: Quality and Performance Office
 *   -- tags: PUBLIC, evergreen, metric
 *   -- upstream: evergreen_admissions
 *
 * Other comment lines are free text (the definition in words). The body is one SELECT over the upstream tables.
 */

const headerSchema = z.object({
  metric: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case identifier'),
  description: z.string().min(1),
  owner: z.string().min(1),
  tags: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/)).min(1),
  upstream: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
  license: z.string().min(1).optional(),
});

export type MetricHeader = z.infer<typeof headerSchema>;

export interface MetricDefinition extends MetricHeader {
  sql: string;
  /** The free-text comment lines of the header: the definition in words. */
  notes: string;
}

const LIST_KEYS = new Set(['tags', 'upstream']);

export function parseMetricDefinition(text: string, fileName: string): MetricDefinition {
  const fields: Record<string, string | string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^--\s*([a-z_]+):\s*(.+)$/.exec(line.trim());
    if (!m || !headerSchema.shape[m[1] as keyof MetricHeader]) continue;
    const [, key, value] = m as unknown as [string, string, string];
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
  const sql = text.trim().replace(/;\s*$/, '');
  return { ...parsed.data, sql, notes: definitionNotes(text) };
}

/** The leading comment block minus its `key: value` lines, joined into paragraphs. */
function definitionNotes(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--')) break;
    const body = trimmed.replace(/^--\s?/, '');
    const m = /^\s*([a-z_]+):/.exec(body);
    if (m && m[1]! in headerSchema.shape) continue;
    lines.push(body.trimEnd());
  }
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}
