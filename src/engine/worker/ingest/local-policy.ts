import type { Policy, RolePolicy } from '../../../gov/policy-schema';
import type { TableContract } from '../../../lake/contracts';
import { localName, localRawName } from '../../../lake/local-zone';

/**
 * A local table holds the same kind of rows as its contract's lake table, so every policy rule that names
 * that table (grants, denies, masks, row filters, by table or by `table.column`) reaches its local twins
 * too: a Clinician's ward filter on `evergreen_admissions` also filters `local_evergreen_admissions` and
 * `local_raw_evergreen_adt`. Rules by tag reach them already through the tags they inherit.
 */
export function withLocalTwins(
  policy: Policy,
  contracts: readonly TableContract[],
  present: ReadonlySet<string>,
): Policy {
  const twins = new Map<string, string[]>();
  for (const c of contracts) {
    const names = [localName(c.table), localRawName(c.source)].filter((n) => present.has(n));
    if (names.length > 0) twins.set(c.table, names);
  }
  if (twins.size === 0) return policy;

  const tables = (list: string[] | undefined) =>
    list && [...list, ...list.flatMap((t) => twins.get(t) ?? [])];
  const columns = (list: string[] | undefined) =>
    list && [
      ...list,
      ...list.flatMap((qualified) => {
        const dot = qualified.indexOf('.');
        const column = qualified.slice(dot + 1);
        return (twins.get(qualified.slice(0, dot)) ?? []).map((t) => `${t}.${column}`);
      }),
    ];
  const selector = <S extends { tables?: string[]; columns?: string[] }>(s: S): S => ({
    ...s,
    ...(s.tables && { tables: tables(s.tables) }),
    ...(s.columns && { columns: columns(s.columns) }),
  });
  const role = (r: RolePolicy): RolePolicy => ({
    ...r,
    grants: r.grants.map(selector),
    denies: r.denies.map(selector),
    masks: r.masks.map(selector),
    rowFilters: r.rowFilters.map((f) => (f.tables ? { ...f, tables: tables(f.tables) } : f)),
  });
  return {
    ...policy,
    roles: Object.fromEntries(Object.entries(policy.roles).map(([name, r]) => [name, role(r)])),
  };
}
