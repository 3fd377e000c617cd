import { z } from 'zod';

/**
 * Reads DuckDB's `EXPLAIN (FORMAT JSON)` physical plan: which tables are scanned (and which of their
 * columns), which table functions run, which operators appear. The JSON is DuckDB's output, validated
 * here like any other input so that an unexpected shape is a denial, not a crash.
 */

interface PlanNode {
  name: string;
  children: PlanNode[];
  extra_info: Record<string, unknown>;
}

const nodeSchema: z.ZodType<PlanNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    children: z.array(nodeSchema).default([]),
    extra_info: z.record(z.string(), z.unknown()).default({}),
  }),
);
const planSchema = z.array(nodeSchema);

export interface TableScan {
  table: string;
  /** Stored columns the scan outputs; empty when DuckDB lists none (e.g. `count(*)`). */
  columns: string[];
  /** True when the scan also evaluates pushed-down filters, whose columns DuckDB does not list. */
  filtered: boolean;
  /** The pushed-down filters as DuckDB prints them (`ward='ICU'`). */
  filters: string[];
}

export interface PlanSummary {
  scans: TableScan[];
  /** Upper-case names of table functions (`RANGE`, `READ_CSV`, …) and in-out functions (`unnest`). */
  functions: string[];
  /** Every operator name, trimmed (`PROJECTION`, `SEQ_SCAN`, `INSERT`, …). */
  operators: string[];
}

function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return typeof v === 'string' && v.length > 0 ? v.split('\n').filter(Boolean) : [];
}

export class PlanShapeError extends Error {
  override name = 'PlanShapeError';
}

export function summarizePlan(json: string): PlanSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new PlanShapeError('The query plan could not be read.');
  }
  const result = planSchema.safeParse(parsed);
  if (!result.success) throw new PlanShapeError('The query plan has an unexpected shape.');
  const summary: PlanSummary = { scans: [], functions: [], operators: [] };
  const visit = (n: PlanNode) => {
    const name = n.name.trim();
    summary.operators.push(name);
    const info = n.extra_info;
    if (typeof info.Table === 'string') {
      summary.scans.push({
        table: unqualified(info.Table),
        columns: stringList(info.Projections),
        filtered: info.Filters !== undefined && stringList(info.Filters).length > 0,
        filters: stringList(info.Filters),
      });
    }
    if (typeof info.Function === 'string') summary.functions.push(info.Function.toUpperCase());
    if (name === 'INOUT_FUNCTION' && typeof info.Name === 'string')
      summary.functions.push(info.Name.toUpperCase());
    n.children.forEach(visit);
  };
  result.data.forEach(visit);
  return summary;
}

/**
 * Native DuckDB (1.5) names a table of the default in-memory database with its catalog and schema
 * (`memory.main.audit_log`); DuckDB-WASM names it alone. Both are the same table of the role's instance.
 */
function unqualified(table: string): string {
  return table.startsWith('memory.main.') ? table.slice('memory.main.'.length) : table;
}
