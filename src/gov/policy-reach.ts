import { columnTags, tierOf, SENSITIVITY_TAGS, type ColumnEntry, type TableEntry } from '../lake/manifest';
import type { RolePolicy, Selector } from './policy-schema';

/**
 * Which columns and tables a role's rules reach: the predicates `buildRoleView` applies, shared with
 * `refusals.ts`, which explains to a user why something is not in their view.
 */

const isSensitivity = (t: string) => (SENSITIVITY_TAGS as readonly string[]).includes(t);

/**
 * A grant's sensitivity tags name the tiers it reaches (a column's tier is its most sensitive tag, untagged
 * counts as PHI); its free labels narrow it to columns or tables that carry one of them.
 */
export function grantReaches(g: Selector, table: TableEntry, column: ColumnEntry): boolean {
  if (g.tables && !g.tables.includes(table.name)) return false;
  if (g.columns && !g.columns.includes(`${table.name}.${column.name}`)) return false;
  if (g.tags) {
    const own = columnTags(table, column);
    const tiers = g.tags.filter(isSensitivity);
    const labels = g.tags.filter((t) => !isSensitivity(t));
    if (tiers.length > 0 && !tiers.includes(tierOf(own))) return false;
    if (labels.length > 0 && !labels.some((l) => own.includes(l) || table.tags.includes(l))) return false;
  }
  return true;
}

/** Deny and mask rules reach a column that carries any of their tags (untagged counts as PHI). */
export function ruleReaches(r: Selector, table: TableEntry, column: ColumnEntry): boolean {
  if (r.tables && !r.tables.includes(table.name)) return false;
  if (r.columns && !r.columns.includes(`${table.name}.${column.name}`)) return false;
  if (r.tags) {
    const own = columnTags(table, column);
    const carries = (t: string) =>
      own.includes(t) ||
      (!isSensitivity(t) && table.tags.includes(t)) ||
      (t === 'PHI' && tierOf(own) === 'PHI');
    if (!r.tags.some(carries)) return false;
  }
  return true;
}

export function ruleName(roleName: string, kind: string, index: number, named?: string): string {
  return named ?? `${roleName} ${kind} #${index + 1}`;
}

/** A column the role's grants reach and no deny rule does. */
export function columnVisible(role: RolePolicy, table: TableEntry, column: ColumnEntry): boolean {
  return (
    role.grants.some((g) => grantReaches(g, table, column)) &&
    !role.denies.some((d) => ruleReaches(d, table, column))
  );
}

/**
 * Small-cell suppression for one table: `withheld` when the table is named for suppression but has no
 * count column (never shown unsuppressed).
 */
export function smallCellsOn(role: RolePolicy, table: TableEntry): 'applied' | 'none' | 'withheld' {
  const sc = role.smallCells;
  if (!sc) return 'none';
  if (!table.columns.some((c) => c.name === sc.countColumn))
    return sc.tables?.includes(table.name) ? 'withheld' : 'none';
  return sc.tables && !sc.tables.includes(table.name) ? 'none' : 'applied';
}

/** Whether an aggregate-only role may see the table: suppression applies, or the table is exempt. */
export function aggregateOnlyAllows(role: RolePolicy, table: TableEntry): boolean {
  const rule = role.aggregateOnly;
  if (!rule || smallCellsOn(role, table) === 'applied') return true;
  return rule.exempt.includes(table.name) || rule.exemptTags.some((t) => table.tags.includes(t));
}
