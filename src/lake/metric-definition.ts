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
  return { ...parsed.data, sql };
}
