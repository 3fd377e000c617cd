import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cell } from './cells';
import { buildGraph, CycleError, downstreamOrder, upstreamOrder } from './deps';

const sql = (id: string, body: string): Cell => ({ id, kind: 'sql', name: id, sql: body });

describe('dependency graph', () => {
  const cells: Cell[] = [
    sql('base', 'SELECT * FROM admissions'),
    { id: 'md', kind: 'markdown', text: 'FROM base', published: false },
    sql('mid', 'SELECT * FROM base'),
    sql('top', 'SELECT * FROM mid JOIN base USING (subject_id)'),
    sql('other', "SELECT 'base' AS s"),
  ];
  const graph = buildGraph(cells);

  it('links cells through the names their SQL mentions', () => {
    expect([...graph.uses.get('top')!].sort()).toEqual(['base', 'mid']);
    expect([...graph.usedBy.get('base')!].sort()).toEqual(['mid', 'top']);
    expect(graph.uses.get('other')!.size).toBe(0);
    expect(graph.cycles).toEqual([]);
  });

  it('orders upstream cells so each comes after its sources', () => {
    expect(upstreamOrder(graph, 'top')).toEqual(['base', 'mid']);
    expect(upstreamOrder(graph, 'base')).toEqual([]);
  });

  it('orders downstream cells for re-running', () => {
    expect(downstreamOrder(graph, 'base')).toEqual(['mid', 'top']);
    expect(downstreamOrder(graph, 'top')).toEqual([]);
  });

  it('reports cycles, including a cell that reads itself, and never loops', () => {
    const g = buildGraph([
      sql('a', 'SELECT * FROM c'),
      sql('b', 'SELECT * FROM a'),
      sql('c', 'SELECT * FROM b'),
      sql('d', 'SELECT * FROM d'),
      sql('e', 'SELECT * FROM a'),
      sql('f', 'SELECT 1'),
    ]);
    expect(g.cycles).toEqual([['a', 'b', 'c'], ['d']]);
    expect(() => upstreamOrder(g, 'e')).toThrow(CycleError);
    expect(() => upstreamOrder(g, 'd')).toThrow(CycleError);
    expect(upstreamOrder(g, 'f')).toEqual([]);
    expect(downstreamOrder(g, 'a')).toEqual(['e']);
  });

  it('agrees with brute force on random graphs', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 8 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 16 })),
          ),
        ([n, edges]) => {
          const ids = Array.from({ length: n }, (_, i) => `c${i}`);
          const cellsOf = ids.map((id, i) =>
            sql(
              id,
              `SELECT 1 ${edges
                .filter(([from]) => from === i)
                .map(([, to]) => `, (FROM c${to})`)
                .join(' ')}`,
            ),
          );
          const g = buildGraph(cellsOf);
          const reach = (from: string, to: string): boolean => {
            const seen = new Set<string>();
            const stack = [...g.uses.get(from)!];
            while (stack.length) {
              const cur = stack.pop()!;
              if (cur === to) return true;
              if (seen.has(cur)) continue;
              seen.add(cur);
              stack.push(...g.uses.get(cur)!);
            }
            return false;
          };
          for (const id of ids) {
            expect(g.inCycle.has(id)).toBe(reach(id, id));
            let order: string[] | undefined;
            try {
              order = upstreamOrder(g, id);
            } catch (e) {
              expect(e).toBeInstanceOf(CycleError);
            }
            if (order) {
              expect(new Set(order)).toEqual(new Set(ids.filter((o) => o !== id && reach(id, o))));
              for (const [i, cur] of order.entries())
                for (const dep of g.uses.get(cur)!) expect(order.indexOf(dep)).toBeLessThan(i);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
