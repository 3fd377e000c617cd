import type { TableAccess } from '../../../gov/types';
import { quoteIdent } from '../../../gov/sql-text';

/**
 * True when the role sees the stored columns unchanged, all rows, in the file's column order: the chunks
 * can then go straight into the role's instance without the trusted staging instance.
 */
export function isPassThrough(access: TableAccess, columnIndex: (name: string) => number): boolean {
  if (access.rowFilter !== undefined) return false;
  if (!access.columns.every((c) => c.expr === quoteIdent(c.name) || c.expr === c.name)) return false;
  const positions = access.columns.map((c) => columnIndex(c.name));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]));
}

/** True when masks or a row filter must be applied in the trusted instance before the role sees the rows. */
export function needsStaging(access: TableAccess): boolean {
  return (
    access.rowFilter !== undefined ||
    !access.columns.every((c) => c.expr === quoteIdent(c.name) || c.expr === c.name)
  );
}

/**
 * Groups row groups into chunks of about `targetRows` rows (at least one group each): `order` (every group
 * when absent) is kept, and a chunk only holds groups that follow each other in the file, since a read
 * returns its groups in file order.
 */
export function chunkRowGroups(
  rowGroups: readonly number[],
  targetRows: number,
  order: readonly number[] = rowGroups.map((_, i) => i),
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let rows = 0;
  for (const g of order) {
    const n = rowGroups[g] ?? 0;
    if (current.length > 0 && (rows + n > targetRows || current[current.length - 1] !== g - 1)) {
      chunks.push(current);
      current = [];
      rows = 0;
    }
    current.push(g);
    rows += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** `CREATE TABLE` for the empty typed table the role's instance gets before any data is loaded. */
export function stubDdl(access: TableAccess, checkType: (type: string) => string): string {
  const cols = access.columns.map((c) => `${quoteIdent(c.name)} ${checkType(c.type)}`).join(', ');
  return `CREATE TABLE ${quoteIdent(access.table)} (${cols})`;
}
