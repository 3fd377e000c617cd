import type { ColumnEntry, Manifest, TableEntry } from '../lake/manifest';
import { aggregateOnlyAllows, columnVisible, ruleReaches, smallCellsOn } from './policy-reach';
import type { Policy, RolePolicy } from './policy-schema';
import { AUDIT_TABLE, type Refusal } from './types';

/**
 * Why each catalog table and column a role cannot see is hidden, named the way the policy file names the
 * rule (its `name`, else its place in the role's list), and which other roles may read it. A denial quotes
 * this so the user knows which rule to ask about and whom to ask for; the guard's own rule id stays in the
 * decision for the audit log.
 */

const quoted = (name: string | undefined, index: number) => (name ? `"${name}"` : `#${index + 1}`);

function columnRule(role: RolePolicy, roleName: string, table: TableEntry, column: ColumnEntry): string {
  const deny = role.denies.findIndex((d) => ruleReaches(d, table, column));
  if (deny >= 0) return `deny rule ${quoted(role.denies[deny].name, deny)} of role ${roleName}`;
  const names = role.grants.flatMap((g) => (g.name ? [`"${g.name}"`] : []));
  if (role.grants.length === 0) return `role ${roleName} has no grant`;
  return `no grant of role ${roleName}${names.length > 0 ? ` (${names.join(', ')})` : ''} reaches it`;
}

/** The rule that keeps the whole table out of the role's view; undefined when the role sees it. */
function tableRule(policy: Policy, roleName: string, table: TableEntry): string | undefined {
  const role = policy.roles[roleName];
  const hidden = table.columns.filter((c) => !columnVisible(role, table, c));
  if (hidden.length === table.columns.length) {
    const rules = [...new Set(hidden.map((c) => columnRule(role, roleName, table, c)))];
    return rules.length <= 2 ? rules.join(' and ') : `${rules.slice(0, 2).join(', ')} and others`;
  }
  if (smallCellsOn(role, table) === 'withheld')
    return `smallCells of role ${roleName} (the table has no ${role.smallCells?.countColumn} column to count patients)`;
  if (!aggregateOnlyAllows(role, table))
    return `aggregateOnly of role ${roleName} (only tables with small-cell suppression, and exempt ones)`;
  return undefined;
}

function sees(policy: Policy, roleName: string, table: TableEntry, column?: ColumnEntry): boolean {
  if (tableRule(policy, roleName, table) !== undefined) return false;
  return !column || columnVisible(policy.roles[roleName], table, column);
}

export function refusals(policy: Policy, manifest: Manifest, roleName: string): Record<string, Refusal> {
  const role = policy.roles[roleName];
  const others = Object.keys(policy.roles).filter((r) => r !== roleName);
  const out: Record<string, Refusal> = {};
  for (const table of manifest.tables) {
    const whole = tableRule(policy, roleName, table);
    if (whole !== undefined) {
      out[table.name] = { rule: whole, roles: others.filter((r) => sees(policy, r, table)) };
      continue;
    }
    for (const column of table.columns) {
      if (columnVisible(role, table, column)) continue;
      out[`${table.name}.${column.name}`] = {
        rule: columnRule(role, roleName, table, column),
        roles: others.filter((r) => sees(policy, r, table, column)),
      };
    }
  }
  if (!role.permissions.includes('readAudit'))
    out[AUDIT_TABLE] = {
      rule: 'permission readAudit',
      roles: others.filter((r) => policy.roles[r].permissions.includes('readAudit')),
    };
  return out;
}
