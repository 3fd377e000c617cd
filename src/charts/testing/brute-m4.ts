import type { ChartData } from '../chart-data';

/** Test helper: M4 computed in plain TypeScript over every row, independently of the SQL. */

/**
 * Brute-force M4 over the rows, on the grid the SQL documents (m4-sql.ts): bucket k of `buckets` equal
 * buckets between the smallest and largest x (integer microseconds for time, whose rows hold
 * milliseconds), or between `bounds` when given, pixel column floor(k * px / buckets); per series and column the first, last, lowest and
 * highest point, with the SQL's tie rules. Answers the expected points per "series|column" and the
 * column of any x.
 */
export function bruteM4(
  drawn: { s: string; x: number; y: number }[],
  opts: { time: boolean; buckets: number; px: number; bounds?: { lo: number; hi: number } },
) {
  const { buckets, px, time } = opts;
  const grid = (x: number) => (time ? x * 1000 : x);
  // A loop, not Math.min(...xs): a spread of a million arguments overflows the stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of drawn) {
    lo = Math.min(lo, r.x);
    hi = Math.max(hi, r.x);
  }
  // A zoomed chart's grid spans its window, not its rows.
  if (opts.bounds) ({ lo, hi } = opts.bounds);
  const span = grid(hi) - grid(lo);
  const step = Math.floor(span / buckets) + 1;
  const scale = span > 0 ? (buckets / span) * 0.999999999 : 0;
  const bucket = (x: number) =>
    time ? Math.floor((grid(x) - grid(lo)) / step) : Math.floor((x - lo) * scale);
  const column = (x: number) => Math.floor((bucket(x) * px) / buckets);
  type P = { x: number; y: number };
  const ext = new Map<string, { first: P; last: P; low: P; high: P }>();
  for (const r of drawn) {
    const key = `${r.s}|${column(r.x)}`;
    const e = ext.get(key);
    if (!e) ext.set(key, { first: r, last: r, low: r, high: r });
    else {
      if (r.x < e.first.x || (r.x === e.first.x && r.y < e.first.y)) e.first = r;
      if (r.x > e.last.x || (r.x === e.last.x && r.y > e.last.y)) e.last = r;
      if (r.y < e.low.y || (r.y === e.low.y && r.x < e.low.x)) e.low = r;
      if (r.y > e.high.y || (r.y === e.high.y && r.x > e.high.x)) e.high = r;
    }
  }
  const expected = new Map(
    [...ext].map(([k, e]) => [k, new Set([e.first, e.last, e.low, e.high].map((p) => `${p.x}:${p.y}`))]),
  );
  return { expected, column, lo, hi };
}

/** The points a drawing has per "series|column", as "x:y" texts. */
export function drawnPoints(data: ChartData, column: (x: number) => number): Map<string, Set<string>> {
  const got = new Map<string, Set<string>>();
  if (data.kind !== 'series') throw new Error(`expected a series, got ${data.kind}`);
  for (const s of data.series)
    for (const p of s.points) {
      const key = `${s.name}|${column(p.x as number)}`;
      got.set(key, (got.get(key) ?? new Set()).add(`${p.x}:${p.y}`));
    }
  return got;
}
