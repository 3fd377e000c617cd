import type { CellSource } from '../contract/results';
import type { Cell, SqlCell } from '../notebook/model/cells';
import { buildGraph, CycleError, upstreamOrder } from '../notebook/model/deps';

/**
 * The cells a chart's query needs, in the order the engine must define their views: everything the source
 * cell reads, then the source cell itself. A message instead when the source is missing, empty or caught
 * in a cycle.
 */
export function chartSources(cells: readonly Cell[], sourceName: string): CellSource[] | string {
  const source = cells.find((c): c is SqlCell => c.kind === 'sql' && c.name === sourceName);
  if (!source) return `There is no SQL cell named "${sourceName}" in this notebook.`;
  if (source.sql.trim() === '') return `The cell "${sourceName}" has no SQL yet.`;
  const byId = new Map(cells.map((c) => [c.id, c]));
  try {
    const upstream = upstreamOrder(buildGraph(cells), source.id).map((id) => byId.get(id) as SqlCell);
    return [...upstream, source].map((c) => ({ name: c.name, sql: c.sql }));
  } catch (e) {
    if (e instanceof CycleError) return `The cell "${sourceName}" reads cells that read it back (a cycle).`;
    throw e;
  }
}

/** Names of the SQL cells a chart can draw from. */
export function sourceNames(cells: readonly Cell[]): string[] {
  return cells.flatMap((c) => (c.kind === 'sql' && c.sql.trim() !== '' ? [c.name] : []));
}
