/** Lines and points as the chart draws them, shared by the M4 reduction and the chart data. */
export interface Point {
  x: number | string;
  y: number;
  /** Rows behind the point (dense scatter cells); 1 otherwise. */
  n: number;
  /** Lines with an interval: its low and high ends at this point (the band drawn around the line). */
  band?: [number, number];
}

export interface SeriesData {
  kind: 'series' | 'points';
  series: { name: string; points: Point[] }[];
  /** Dense scatter: the size of a cell in data units; 0 when points are rows. */
  cell: { dx: number; dy: number };
}
