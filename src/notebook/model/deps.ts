/**
 * The dependency graph between SQL cells: cell A depends on cell B when A's SQL mentions B's name. Used to
 * send a cell's sources to the engine in order, to re-run or mark stale what depends on a changed cell, and
 * to report cycles instead of looping.
 */
import type { Cell, SqlCell } from './cells';
import { referencedNames } from './sql-tokens';

export interface DependencyGraph {
  /** Cell id → ids of the cells it reads. */
  readonly uses: ReadonlyMap<string, ReadonlySet<string>>;
  /** Cell id → ids of the cells that read it. */
  readonly usedBy: ReadonlyMap<string, ReadonlySet<string>>;
  /** Each cycle as the ids of its cells, in notebook order. */
  readonly cycles: readonly string[][];
  /** Cell id → the cycle it is part of. */
  readonly inCycle: ReadonlyMap<string, readonly string[]>;
}

export function buildGraph(cells: readonly Cell[]): DependencyGraph {
  const sqlCells = cells.filter((c): c is SqlCell => c.kind === 'sql');
  const byName = new Map(sqlCells.map((c) => [c.name.toLowerCase(), c.id]));
  const names = new Set(byName.keys());
  const uses = new Map<string, Set<string>>();
  const usedBy = new Map<string, Set<string>>();
  for (const c of sqlCells) {
    uses.set(c.id, new Set());
    usedBy.set(c.id, new Set());
  }
  for (const c of sqlCells) {
    for (const name of referencedNames(c.sql, names)) {
      const target = byName.get(name)!;
      uses.get(c.id)!.add(target);
      usedBy.get(target)!.add(c.id);
    }
  }
  const order = new Map(sqlCells.map((c, i) => [c.id, i]));
  const cycles = stronglyConnected(
    sqlCells.map((c) => c.id),
    uses,
  )
    .filter((scc) => scc.length > 1 || uses.get(scc[0]!)!.has(scc[0]!))
    .map((scc) => scc.sort((a, b) => order.get(a)! - order.get(b)!));
  const inCycle = new Map<string, string[]>();
  for (const cycle of cycles) for (const id of cycle) inCycle.set(id, cycle);
  return { uses, usedBy, cycles, inCycle };
}

/** Tarjan's algorithm, iterative so a long chain of cells cannot overflow the stack. */
function stronglyConnected(ids: string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: Iterator<string> }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: edges.get(id)![Symbol.iterator]() });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== frame.id);
        result.push(scc);
      }
    }
  }
  return result;
}

export class CycleError extends Error {
  override name = 'CycleError';
  constructor(readonly cycle: readonly string[]) {
    super('cells depend on each other in a cycle');
  }
}

/**
 * Every cell `id` reads, directly or not, ordered so each comes after the cells it reads (the order the
 * engine must define their views in). Throws CycleError when `id` or one of its sources is in a cycle.
 */
export function upstreamOrder(graph: DependencyGraph, id: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (cur: string) => {
    const cycle = graph.inCycle.get(cur);
    if (cycle) throw new CycleError(cycle);
    if (seen.has(cur)) return;
    seen.add(cur);
    for (const dep of graph.uses.get(cur) ?? []) visit(dep);
    if (cur !== id) order.push(cur);
  };
  visit(id);
  return order;
}

/**
 * Every cell that reads `id`, directly or not, ordered so each comes after the cells it reads (the order to
 * re-run them in). Cells in a cycle are left out: they cannot run.
 */
export function downstreamOrder(graph: DependencyGraph, id: string): string[] {
  const post: string[] = [];
  const seen = new Set<string>([id]);
  const visit = (cur: string) => {
    for (const dep of graph.usedBy.get(cur) ?? []) {
      if (seen.has(dep) || graph.inCycle.has(dep)) continue;
      seen.add(dep);
      visit(dep);
      post.push(dep);
    }
  };
  visit(id);
  return post.reverse();
}
