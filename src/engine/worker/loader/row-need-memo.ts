import type { CellSource } from '../../../contract/results';
import type { RowNeed } from './scan-filters';

/**
 * The rows each table a statement reads, kept per statement and cells. A row need holds every row the
 * statement reads of the whole lake, whatever was loaded when it was planned, so it stays true for the
 * session: a re-run skips planning its stubs again.
 */
export class RowNeedMemo {
  private readonly entries = new Map<string, ReadonlyMap<string, RowNeed>>();

  constructor(private readonly capacity = 200) {}

  static key(statements: readonly string[], cells: readonly CellSource[]): string {
    return JSON.stringify([statements, cells.map((c) => [c.name, c.sql])]);
  }

  /** The kept needs, when they cover every one of `tables`. */
  get(key: string, tables: readonly string[]): ReadonlyMap<string, RowNeed> | undefined {
    const needs = this.entries.get(key);
    return needs && tables.every((t) => needs.has(t)) ? needs : undefined;
  }

  keep(key: string, needs: ReadonlyMap<string, RowNeed>): void {
    this.entries.delete(key);
    this.entries.set(key, needs);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
