import type { Table } from 'apache-arrow';
import type { ChartQuery } from './aggregate-sql';
import { MISSING_LABEL, OTHER_LABEL } from './aggregate-sql';
import { reduceM4, reduceM4Within } from './m4-reduce';
import type { Point, SeriesData } from './series';
import type { XWindow } from './x-window';

export type { Point, SeriesData } from './series';

const sameWindow = (a: XWindow, b: XWindow | undefined) => b !== undefined && a.lo === b.lo && a.hi === b.hi;

/**
 * The chart query's result (a few rows per pixel by construction) turned into what the drawing needs:
 * per-series point lists for lines and scatter, one row per category with a key per series for bars and
 * histograms, one number for a KPI. Also the chart's data as a plain table for the text alternative and
 * the CSV export.
 */

export interface CategoryData {
  kind: 'categories';
  series: string[];
  /** One row per bar group: `x` is its label (or its time, or the bin's start), then a value per series. */
  rows: Record<string, number | string | number[] | null>[];
  /** Histogram bins: each row's end, for labels. */
  binEnds?: number[];
  /**
   * Bars with error bars: each row also has, per series, the interval's ends under `intervalKeys(series)`
   * and the distances below and above the value that the error bar draws.
   */
  intervals?: boolean;
}

/** Where a bar row keeps a series' interval: its ends, and the error bar's [below, above] distances. */
export function intervalKeys(series: string): { low: string; high: string; error: string } {
  return { low: `${series}\u0000low`, high: `${series}\u0000high`, error: `${series}\u0000error` };
}

export interface KpiData {
  kind: 'kpi';
  period: number | null;
  value: number | null;
  previous: number | null;
}

export type ChartData = SeriesData | CategoryData | KpiData;

export interface DataTable {
  columns: string[];
  rows: (number | string | null)[][];
}

function col(table: Table, name: string): (i: number) => unknown {
  const v = table.getChild(name);
  if (!v) throw new Error(`The chart query returned no column "${name}".`);
  return (i) => v.get(i);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * `width` is the plot's width in pixels: an M4 grid result is drawn at it (any width up to its grid's).
 * `xWindow`, on M4 lines, draws a narrower window of x than the result's own (see `reduceM4Within`).
 */
export function toChartData(query: ChartQuery, table: Table, width: number, xWindow?: XWindow): ChartData {
  const n = table.numRows;
  switch (query.shape) {
    case 'm4':
      if (!query.grid) throw new Error('An M4 chart query needs its grid.');
      return xWindow && !sameWindow(xWindow, query.xWindow)
        ? reduceM4Within(table, query.grid.buckets, xWindow, width, query.xWindow)
        : reduceM4(table, query.grid.buckets, width);
    case 'series':
    case 'points': {
      const s = col(table, 's');
      const x = col(table, 'x');
      const y = col(table, 'y');
      const count = query.shape === 'points' ? col(table, 'n') : () => 1;
      const banded = table.getChild('lo') !== null;
      const lo = banded ? col(table, 'lo') : () => null;
      const hi = banded ? col(table, 'hi') : () => null;
      const bySeries = new Map<string, Point[]>();
      let cell = { dx: 0, dy: 0 };
      for (let i = 0; i < n; i++) {
        const name = String(s(i));
        const xv = x(i);
        const points = bySeries.get(name) ?? [];
        const [low, high] = [num(lo(i)), num(hi(i))];
        points.push({
          x: typeof xv === 'string' ? xv : Number(xv),
          y: Number(y(i)),
          n: Number(count(i)),
          ...(low !== null && high !== null ? { band: [low, high] as [number, number] } : {}),
        });
        bySeries.set(name, points);
      }
      if (query.shape === 'points' && n > 0)
        cell = { dx: Number(col(table, 'dx')(0)), dy: Number(col(table, 'dy')(0)) };
      return { kind: query.shape, series: [...bySeries].map(([name, points]) => ({ name, points })), cell };
    }
    case 'bars': {
      const ord = col(table, 'ord');
      const x = col(table, 'x');
      const s = col(table, 's');
      const y = col(table, 'y');
      const members = col(table, 'members');
      const intervals = table.getChild('lo') !== null;
      const lo = intervals ? col(table, 'lo') : () => null;
      const hi = intervals ? col(table, 'hi') : () => null;
      const rows = new Map<number, Record<string, number | string | number[] | null>>();
      const series: string[] = [];
      for (let i = 0; i < n; i++) {
        const k = Number(ord(i));
        const name = String(s(i));
        if (!series.includes(name)) series.push(name);
        const xv = x(i);
        const m = Number(members(i));
        const label = xv === OTHER_LABEL && m > 1 ? `${OTHER_LABEL} (${m})` : (xv as string | number);
        const row = rows.get(k) ?? { x: typeof label === 'bigint' ? Number(label) : label };
        const value = num(y(i));
        row[name] = value;
        if (intervals) {
          const keys = intervalKeys(name);
          const [low, high] = [num(lo(i)), num(hi(i))];
          row[keys.low] = low;
          row[keys.high] = high;
          row[keys.error] =
            value === null || low === null || high === null ? null : [value - low, high - value];
        }
        rows.set(k, row);
      }
      return { kind: 'categories', series, rows: [...rows.values()], ...(intervals ? { intervals } : {}) };
    }
    case 'bins': {
      const s = col(table, 's');
      const bin = col(table, 'bin');
      const x0 = col(table, 'x0');
      const x1 = col(table, 'x1');
      const count = col(table, 'n');
      const series: string[] = [];
      const counts = new Map<number, Record<string, number>>();
      let first: { k: number; x0: number; step: number } | undefined;
      for (let i = 0; i < n; i++) {
        const k = Number(bin(i));
        const name = String(s(i));
        if (!series.includes(name)) series.push(name);
        counts.set(k, { ...counts.get(k), [name]: Number(count(i)) });
        if (!first || k < first.k) first = { k, x0: Number(x0(i)), step: Number(x1(i)) - Number(x0(i)) };
      }
      if (!first) return { kind: 'categories', series, rows: [], binEnds: [] };
      // Empty bins are not in the result; they are drawn as zeros so the axis keeps its scale.
      const last = Math.max(...counts.keys());
      const rows: Record<string, number | string | null>[] = [];
      const binEnds: number[] = [];
      for (let k = first.k; k <= last; k++) {
        const start = first.x0 + (k - first.k) * first.step;
        const c = counts.get(k) ?? {};
        rows.push({ x: start, ...Object.fromEntries(series.map((name) => [name, c[name] ?? 0])) });
        binEnds.push(start + first.step);
      }
      return { kind: 'categories', series, rows, binEnds };
    }
    case 'kpi': {
      if (n === 0) return { kind: 'kpi', period: null, value: null, previous: null };
      return {
        kind: 'kpi',
        period: num(col(table, 'period')(0)),
        value: num(col(table, 'value')(0)),
        previous: num(col(table, 'previous')(0)),
      };
    }
  }
}

/** A series name for people: the empty name of a chart without series reads as its y title. */
export function seriesLabel(name: string, fallback: string): string {
  if (name === '') return fallback || 'Value';
  return name === MISSING_LABEL ? 'Missing' : name;
}

/** The chart's data as one table (long form), for the data-table view and the CSV download. */
export function dataTable(
  data: ChartData,
  names: { x: string; y: string; series?: string },
  formatX: (v: unknown) => string,
): DataTable {
  const seriesCol = names.series ? [names.series] : [];
  switch (data.kind) {
    case 'series':
    case 'points': {
      const withCount = data.kind === 'points' && data.cell.dx > 0;
      const withBand = data.series.some((s) => s.points.some((p) => p.band));
      return {
        columns: [
          ...seriesCol,
          names.x,
          names.y,
          ...(withCount ? ['rows'] : []),
          ...(withBand ? ['interval low', 'interval high'] : []),
        ],
        rows: data.series.flatMap((s) =>
          s.points.map((p) => [
            ...(names.series ? [s.name] : []),
            typeof p.x === 'number' ? formatX(p.x) : p.x,
            p.y,
            ...(withCount ? [p.n] : []),
            ...(withBand ? (p.band ?? [null, null]) : []),
          ]),
        ),
      };
    }
    case 'categories':
      return {
        columns: [
          ...seriesCol,
          names.x,
          names.y,
          ...(data.intervals ? ['interval low', 'interval high'] : []),
        ],
        rows: data.series.flatMap((s) =>
          data.rows.flatMap((r, i) => {
            if (r[s] === undefined) return [];
            const x = data.binEnds ? `${formatX(r.x)} – ${formatX(data.binEnds[i])}` : formatX(r.x);
            const keys = intervalKeys(s);
            const ends = data.intervals ? [cellValue(r[keys.low]), cellValue(r[keys.high])] : [];
            return [[...(names.series ? [s] : []), x, cellValue(r[s]), ...ends]];
          }),
        ),
      };
    case 'kpi':
      return {
        columns: ['period', names.y, 'previous period'],
        rows: [[data.period === null ? 'all rows' : formatX(data.period), data.value, data.previous]],
      };
  }
}

function cellValue(v: number | string | number[] | null | undefined): number | string | null {
  return v === undefined || Array.isArray(v) ? null : v;
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted. */
export function toCsv(table: DataTable): string {
  const field = (v: number | string | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
