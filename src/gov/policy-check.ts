import type { Manifest } from '../lake/manifest';
import type { Policy, RowFilter, Selector } from './policy-schema';

/**
 * Names in the policy that the catalog does not have. They are warnings, not errors: a policy may be written
 * ahead of a table, and an unknown name can only fail to reach something, never widen access.
 */
export function policyWarnings(policy: Policy, manifest: Manifest): string[] {
  const tables = new Map(manifest.tables.map((t) => [t.name, t]));
  const out: string[] = [];
  const table = (where: string, name: string) => {
    if (!tables.has(name)) out.push(`${where}: table ${name} is not in the catalog`);
  };
  const column = (where: string, qualified: string) => {
    const dot = qualified.indexOf('.');
    const t = tables.get(qualified.slice(0, dot));
    if (!t) out.push(`${where}: table of ${qualified} is not in the catalog`);
    else if (!t.columns.some((c) => c.name === qualified.slice(dot + 1))) {
      out.push(`${where}: column ${qualified} is not in the catalog`);
    }
  };
  const selector = (where: string, s: Selector) => {
    s.tables?.forEach((n) => table(where, n));
    s.columns?.forEach((c) => column(where, c));
  };
  const filterTables = (where: string, f: RowFilter) => {
    if ('anyOf' in f) f.anyOf.forEach((g) => filterTables(where, g));
    else if ('allOf' in f) f.allOf.forEach((g) => filterTables(where, g));
    else if ('inTable' in f) {
      table(where, f.inTable.table);
      if (f.inTable.where) filterTables(where, f.inTable.where);
    }
  };

  for (const [name, role] of Object.entries(policy.roles)) {
    role.grants.forEach((g, i) => selector(`${name} grants #${i + 1}`, g));
    role.denies.forEach((d, i) => selector(`${name} denies #${i + 1}`, d));
    role.masks.forEach((m, i) => selector(`${name} masks #${i + 1}`, m));
    role.rowFilters.forEach((f, i) => {
      f.tables?.forEach((n) => table(`${name} row filter #${i + 1}`, n));
      filterTables(`${name} row filter #${i + 1}`, f.where);
    });
    role.smallCells?.tables?.forEach((n) => table(`${name} smallCells`, n));
    role.aggregateOnly?.exempt.forEach((n) => table(`${name} aggregateOnly.exempt`, n));
  }
  const linked = (where: string, tableName: string, columns: readonly string[]) => {
    table(where, tableName);
    columns.forEach((c) => tables.has(tableName) && column(where, `${tableName}.${c}`));
  };
  for (const link of policy.smallCellLinks.periods) {
    for (const [t, c] of Object.entries(link.tables))
      linked(`smallCellLinks "${link.name}"`, t, [c, ...link.sameIn]);
  }
  for (const total of policy.smallCellLinks.totals)
    linked(`smallCellLinks "${total.name}"`, total.table, [total.column, ...total.sameIn]);
  return out;
}
