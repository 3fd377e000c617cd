import type { GuardDecision } from '../../gov/guard';
import { AUDIT_TABLE } from '../../gov/types';
import type { CellSource } from '../../contract/results';

/**
 * Decisions the guard allowed, kept for running the same statement again. A decision depends on the
 * statement, the cells it may read, the role's view and the data in the instance (the optimizer prunes
 * scans it can prove empty): the key holds the first two and the loader's generation, and a role or
 * policy change builds a new engine, hence a new cache. The audit log changes with every statement, so
 * decisions that read it are never kept.
 */
export class DecisionCache {
  private readonly entries = new Map<string, GuardDecision>();

  constructor(private readonly capacity = 64) {}

  static key(sql: string, cells: readonly CellSource[], generation: number): string {
    return JSON.stringify([generation, sql, cells.map((c) => [c.name, c.sql])]);
  }

  get(key: string): GuardDecision | undefined {
    const decision = this.entries.get(key);
    if (decision) {
      this.entries.delete(key);
      this.entries.set(key, decision);
    }
    return decision;
  }

  keep(key: string, decision: GuardDecision): void {
    if (decision.decision !== 'allow' || decision.objects.includes(AUDIT_TABLE)) return;
    this.entries.set(key, decision);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
