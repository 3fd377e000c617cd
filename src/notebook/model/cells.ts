/** The cells of a notebook. Plain data: the store, the file format and the UI all share these shapes. */
import { newId } from './ids';

export interface SqlCell {
  id: string;
  kind: 'sql';
  /** The name other cells use to query this cell's result as a table. */
  name: string;
  sql: string;
}

export interface MarkdownCell {
  id: string;
  kind: 'markdown';
  text: string;
  /** Shown in the notebook's read-only view, with the published charts, in notebook order. */
  published: boolean;
}

/**
 * A chart over another cell's result. The chart's own options live in `config`, a JSON object whose shape
 * the chart code validates; the notebook only stores and copies it.
 */
export interface ChartCell {
  id: string;
  kind: 'chart';
  config: Record<string, unknown>;
}

export type Cell = SqlCell | MarkdownCell | ChartCell;
export type CellKind = Cell['kind'];

export function makeSqlCell(name: string, sql = ''): SqlCell {
  return { id: newId(), kind: 'sql', name, sql };
}

export function makeMarkdownCell(text = '', published = false): MarkdownCell {
  return { id: newId(), kind: 'markdown', text, published };
}

export function makeChartCell(config: Record<string, unknown> = {}): ChartCell {
  return { id: newId(), kind: 'chart', config };
}

export function isSqlCell(cell: Cell): cell is SqlCell {
  return cell.kind === 'sql';
}

/** A short human label for a cell: its name for SQL cells, else its kind and position. */
export function cellLabel(cell: Cell, index: number): string {
  return cell.kind === 'sql' ? cell.name : `${cell.kind} cell ${index + 1}`;
}
