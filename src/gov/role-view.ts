import { columnTags, type ColumnEntry, type Manifest, type TableEntry } from '../lake/manifest';
import { sameAttributes } from './attributes';
import { maskColumn, type MaskKeys } from './masks';
import {
  PolicyError,
  type MaskRule,
  type Policy,
  type RolePolicy,
  type SmallCellLinks,
} from './policy-schema';
import { aggregateOnlyAllows, columnVisible, ruleName, ruleReaches, smallCellsOn } from './policy-reach';
import { policyWarnings } from './policy-check';
import { refusals } from './refusals';
import { linkedSuppression } from './small-cell-links';
import { compileRowFilter } from './row-filter';
import { isNumericType, quoteIdent } from './sql-text';
import type { ColumnAccess, RoleView, Session, TableAccess } from './types';

/** Name of the flag column that small-cell suppression adds to a table. */
export const SUPPRESSED_COLUMN = 'suppressed';

/** A rule naming the column beats a rule by table or tag; among equals the first in the file wins. */
function pickMask(role: RolePolicy, table: TableEntry, column: ColumnEntry): [MaskRule, number] | undefined {
  const matching = role.masks
    .map((m, i) => [m, i] as [MaskRule, number])
    .filter(([m]) => ruleReaches(m, table, column));
  return matching.find(([m]) => m.columns) ?? matching[0];
}

function patientKeyOf(policy: Policy, table: TableEntry): string | undefined {
  const { patientKeys, patientKeyTag } = policy.dateShift;
  return (
    patientKeys.find((k) => table.columns.some((c) => c.name === k)) ??
    table.columns.find((c) => columnTags(table, c).includes(patientKeyTag))?.name
  );
}

/** Roles with the same scope share pseudonyms; by default each role has its own. */
export function pseudonymScope(policy: Policy, role: string): string {
  return policy.roles[role]?.pseudonyms ?? role;
}

export interface RoleViewOptions {
  /** Keys of the role's `hash` and `date_shift` masks; without them those masks fall back to `null`. */
  maskKeys?: MaskKeys;
}

/**
 * What one session may see of the lake: the tables and columns its role reaches, each column's SQL over the
 * stored columns (masks applied), each table's row filter with the user's attributes inlined as literals,
 * and the rules that produced them. Denied columns and tables are absent. Throws PolicyError for an unknown
 * role. The engine loads exactly this into the instance that runs user SQL (see `roleSelectSql`).
 *
 * On a lake prepared for the role (`manifest.preparedFor`), masks and row filters are in its files already:
 * the view keeps the policy's grants and denies as a second wall over them and names the rules the host
 * applied. A lake prepared for another role or user shows nothing.
 */
export function buildRoleView(
  policy: Policy,
  manifest: Manifest,
  session: Session,
  options: RoleViewOptions = {},
): RoleView {
  const role = policy.roles[session.role];
  if (!role) throw new PolicyError(`The policy has no role "${session.role}".`);
  const prepared = manifest.preparedFor;
  if (prepared && !preparedMatches(prepared, session)) {
    throw new PolicyError(
      `This lake folder was prepared for ${prepared.role}${prepared.attributes ? ' with other user attributes' : ''}, not for ${session.user} as ${session.role}; open the folder prepared for this user.`,
    );
  }
  const warnings = policyWarnings(policy, manifest).filter((w) => w.startsWith(`${session.role} `));
  const tables: TableAccess[] = [];

  for (const table of manifest.tables) {
    if (table.withheld) continue;
    // Tables the browser adds to a prepared lake (files dropped in this tab) were not prepared: masked here.
    const hostApplied = prepared !== undefined && table.appliedRules !== undefined;
    const rules = new Set<string>(table.appliedRules ?? []);
    const columns: ColumnAccess[] = [];
    const patientKey = patientKeyOf(policy, table);
    for (const column of table.columns) {
      if (column.withheld || !columnVisible(role, table, column)) continue;
      const tags = columnTags(table, column);
      if (hostApplied) {
        const access = { name: column.name, type: column.type, tags, expr: quoteIdent(column.name) };
        columns.push(column.masked ? { ...access, mask: column.masked } : access);
        continue;
      }
      const picked = pickMask(role, table, column);
      if (!picked) {
        columns.push({ name: column.name, type: column.type, tags, expr: quoteIdent(column.name) });
        continue;
      }
      const [rule, index] = picked;
      const masked = maskColumn(rule.mask, column, {
        keys: options.maskKeys,
        patientKey,
        maxDays: policy.dateShift.maxDays,
      });
      const mask = masked.fallback ? 'null' : rule.mask;
      if (masked.fallback) warnings.push(`${table.name}.${column.name}: ${masked.fallback}; masked as null`);
      rules.add(
        `mask ${mask} on ${table.name}.${column.name} (${ruleName(session.role, 'mask', index, rule.name)})`,
      );
      columns.push({ name: column.name, type: masked.type, tags, mask, expr: masked.expr });
    }
    if (columns.length === 0) continue;

    const access: TableAccess = { table: table.name, tags: [...table.tags], columns, rules: [] };
    if (!hostApplied && !applyRowFilters(policy, manifest, session, table, access, rules, warnings)) continue;
    const links = hostApplied ? undefined : { links: policy.smallCellLinks, manifest };
    if (applySmallCells(role, table, access, rules, warnings, links) === 'withheld') continue;
    if (!aggregateOnlyAllows(role, table)) continue;
    access.rules = [...rules];
    tables.push(access);
  }

  const can = (p: 'changeTags' | 'readAudit' | 'exportPhi') => role.permissions.includes(p);
  return {
    session,
    tables,
    can: { changeTags: can('changeTags'), readAudit: can('readAudit'), exportPhi: can('exportPhi') },
    refused: refusals(policy, manifest, session.role),
    warnings,
  };
}

/**
 * A folder prepared without attributes serves every user of its role; one prepared with attributes only
 * the users who have exactly those.
 */
function preparedMatches(prepared: NonNullable<Manifest['preparedFor']>, session: Session): boolean {
  if (prepared.role !== session.role) return false;
  return !prepared.attributes || sameAttributes(prepared.attributes, session.attributes);
}

/** Restrictive: every matching filter must hold. Returns false when the table must be withheld. */
function applyRowFilters(
  policy: Policy,
  manifest: Manifest,
  session: Session,
  table: TableEntry,
  access: TableAccess,
  rules: Set<string>,
  warnings: string[],
): boolean {
  const role = policy.roles[session.role];
  const predicates: string[] = [];
  const sources = new Set<string>();
  role.rowFilters.forEach((f, i) => {
    const byName = f.tables?.includes(table.name) ?? false;
    const byTag = f.tags?.some((t) => table.tags.includes(t)) ?? false;
    if (!byName && !byTag) return;
    const compiled = compileRowFilter(f.where, table, manifest, session);
    warnings.push(...compiled.problems);
    compiled.sources.forEach((s) => sources.add(s));
    predicates.push(compiled.sql);
    rules.add(`row filter on ${table.name} (${ruleName(session.role, 'row filter', i, f.name)})`);
  });
  if (predicates.length === 0) return true;
  access.rowFilter = predicates.length === 1 ? predicates[0] : predicates.map((p) => `(${p})`).join(' AND ');
  if (sources.size > 0) access.filterSources = [...sources];
  return true;
}

/**
 * Small-cell suppression at load: in groups under the threshold every measure (a numeric column that is not
 * a listed dimension, the patient count included) becomes NULL and a `suppressed` flag is set. A table
 * named for suppression that has no count column is withheld rather than shown unsuppressed. With `links`,
 * groups that add up with a small one are suppressed too (`linkedSuppression`); a prepared folder had that
 * done by the host, over tables it may no longer hold.
 */
function applySmallCells(
  role: RolePolicy,
  table: TableEntry,
  access: TableAccess,
  rules: Set<string>,
  warnings: string[],
  links: { links: SmallCellLinks; manifest: Manifest } | undefined,
): 'applied' | 'none' | 'withheld' {
  const sc = role.smallCells;
  const outcome = smallCellsOn(role, table);
  if (!sc || outcome !== 'applied') {
    if (sc && outcome === 'withheld')
      warnings.push(`small-cell suppression on ${table.name} needs column ${sc.countColumn}; table withheld`);
    return outcome;
  }
  const count = quoteIdent(sc.countColumn);
  const linked = links && linkedSuppression(links.links, links.manifest, table, sc);
  const big = linked
    ? `(coalesce(${count} >= ${sc.minGroupSize}, FALSE) AND NOT (${linked.predicate}))`
    : `coalesce(${count} >= ${sc.minGroupSize}, FALSE)`;
  if (linked) {
    access.filterSources = [...new Set([...(access.filterSources ?? []), ...linked.sources])];
    linked.rules.forEach((r) => rules.add(`${r}, on ${table.name}`));
  }
  access.columns = access.columns.map((c) =>
    isNumericType(c.type) && !sc.dimensions.includes(c.name)
      ? { ...c, expr: `CASE WHEN ${big} THEN ${c.expr} END` }
      : c,
  );
  if (!access.columns.some((c) => c.name === SUPPRESSED_COLUMN)) {
    access.columns.push({
      name: SUPPRESSED_COLUMN,
      type: 'BOOLEAN',
      tags: [...table.tags],
      expr: `NOT ${big}`,
    });
  }
  access.aggregateOnly = { minGroupSize: sc.minGroupSize, countColumn: sc.countColumn };
  rules.add(`small cells on ${table.name}: groups under ${sc.minGroupSize} patients suppressed`);
  return 'applied';
}

/**
 * The statement the loader runs in its trusted instance to produce what the role may see of one table.
 * The result keeps the column names and order of the view.
 */
export function roleSelectSql(access: TableAccess): string {
  const cols = access.columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ');
  const where = access.rowFilter ? ` WHERE ${access.rowFilter}` : '';
  return `SELECT ${cols} FROM ${quoteIdent(access.table)}${where}`;
}
