/**
 * Values from results in Markdown: `{{ cell.column }}` shows the first row's value of `column` in the latest
 * result of the SQL cell `cell`, and `{{ cell.column | percent:1 }}` formats it (`auto`, `integer`,
 * `decimal[:digits]`, `percent[:digits]`, `compact`). Text is filled in before the Markdown is rendered, so a
 * figure stated in prose is the figure the cell computed, updated on each run; a value the reader may not
 * see is shown as withheld, never as an old number.
 */
import { NUMBER_FORMATS, type NumberFormat } from '../charts/config';
import { formatNumber } from '../charts/format';

export interface Placeholder {
  cell: string;
  column: string;
  format: NumberFormat;
  decimals?: number;
}

/** What the notebook knows of a value a placeholder asks for. */
export type ValueState =
  | { kind: 'value'; value: unknown }
  | { kind: 'not-run' }
  | { kind: 'running' }
  | { kind: 'withheld' }
  | { kind: 'failed' }
  | { kind: 'no-cell' }
  | { kind: 'no-column' }
  | { kind: 'no-rows' };

const PLACEHOLDER =
  /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([a-z]+)(?::(\d))?\s*)?\}\}/g;

function parse(match: RegExpExecArray | RegExpMatchArray): Placeholder | undefined {
  const [, cell, column, format = 'auto', digits] = match;
  if (!(NUMBER_FORMATS as readonly string[]).includes(format)) return undefined;
  return {
    cell: cell!,
    column: column!,
    format: format as NumberFormat,
    ...(digits !== undefined ? { decimals: Number(digits) } : {}),
  };
}

/** The cells a Markdown text reads values from, so a view can run them. */
export function placeholderCells(text: string): string[] {
  return [
    ...new Set(
      [...text.matchAll(PLACEHOLDER)].flatMap((m) => {
        const p = parse(m);
        return p ? [p.cell] : [];
      }),
    ),
  ];
}

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;

function shown(p: Placeholder, state: ValueState): string {
  switch (state.kind) {
    case 'value':
      return display(p, state.value).replace(MARKDOWN_SPECIAL, '\\$&');
    case 'not-run':
      return `[${p.cell} not run yet]`;
    case 'running':
      return '[…]';
    case 'withheld':
      return `[withheld: ${p.cell} was denied for your role]`;
    case 'failed':
      return `[${p.cell} did not run]`;
    case 'no-cell':
      return `[no cell named ${p.cell}]`;
    case 'no-column':
      return `[${p.cell} has no column ${p.column}]`;
    case 'no-rows':
      return `[${p.cell} returned no rows]`;
  }
}

function display(p: Placeholder, value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'bigint') return formatNumber(Number(value), p.format, p.decimals);
  if (typeof value === 'number') return formatNumber(value, p.format, p.decimals);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** The Markdown with every well-formed placeholder replaced by its value or by why there is none. */
export function fillPlaceholders(text: string, lookup: (cell: string, column: string) => ValueState): string {
  return text.replace(PLACEHOLDER, (...args: string[]) => {
    const p = parse(args as unknown as RegExpMatchArray);
    return p ? shown(p, lookup(p.cell, p.column)) : args[0]!;
  });
}
