/**
 * The result grid: virtualized rows read straight from Arrow vectors (`getChildAt(c).get(row)`), so only
 * the rows on screen are ever formatted. Sorting asks DuckDB for a sorted result; selection and copy work
 * on ranges of cells (Shift+click or Shift+arrows, then Ctrl/Cmd+C).
 */
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { QueryResult } from '../../engine/protocol';
import { formatValue, isNumericField } from '../../notebook/model/arrow-format';
import type { SortOrder } from '../../notebook/store-types';

const ROW_HEIGHT = 24;
const GUTTER = 64;

interface Point {
  row: number;
  col: number;
}

export interface ResultGridProps {
  result: QueryResult;
  label: string;
  sort: SortOrder | undefined;
  onSort(sort: SortOrder | undefined): void;
}

export function useArrowTable(result: QueryResult): Table {
  return useMemo(() => tableFromIPC(result.ipc), [result]);
}

function columnWidth(name: string, type: string): number {
  return Math.min(320, Math.max(96, Math.max(name.length, type.length) * 8 + 40));
}

function nextSort(current: SortOrder | undefined, column: string): SortOrder | undefined {
  if (current?.column !== column) return { column, descending: false };
  return current.descending ? undefined : { column, descending: true };
}

export function ResultGrid({ result, label, sort, onSort }: ResultGridProps) {
  const table = useArrowTable(result);
  const fields = table.schema.fields;
  const vectors = useMemo(() => fields.map((_, c) => table.getChildAt(c)!), [table, fields]);
  const types = result.columns.map((c, i) => c.type ?? String(fields[i]?.type));
  const widths = fields.map((f, i) => columnWidth(f.name, types[i] ?? ''));
  const template = `${GUTTER}px ${widths.map((w) => `${w}px`).join(' ')}`;
  const totalWidth = GUTTER + widths.reduce((a, b) => a + b, 0);
  const rows = table.numRows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const [anchor, setAnchor] = useState<Point | undefined>();
  const [focus, setFocus] = useState<Point | undefined>();
  const gridId = useId();

  const range = anchor &&
    focus && {
      top: Math.min(anchor.row, focus.row),
      bottom: Math.max(anchor.row, focus.row),
      left: Math.min(anchor.col, focus.col),
      right: Math.max(anchor.col, focus.col),
    };
  const selected = (row: number, col: number) =>
    !!range && row >= range.top && row <= range.bottom && col >= range.left && col <= range.right;

  const select = (p: Point, extend: boolean) => {
    setFocus(p);
    if (!extend || !anchor) setAnchor(p);
  };

  const text = (row: number, col: number) => {
    const cell = formatValue(vectors[col]!.get(row), fields[col]!);
    return cell.kind === 'null' ? '' : cell.text;
  };

  const onCopy = (e: React.ClipboardEvent) => {
    if (!range) return;
    const lines: string[] = [];
    for (let r = range.top; r <= range.bottom; r++) {
      const cells: string[] = [];
      for (let c = range.left; c <= range.right; c++) cells.push(text(r, c).replace(/[\t\n]/g, ' '));
      lines.push(cells.join('\t'));
    }
    e.clipboardData.setData('text/plain', lines.join('\n'));
    e.preventDefault();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, Point> = {
      ArrowUp: { row: -1, col: 0 },
      ArrowDown: { row: 1, col: 0 },
      ArrowLeft: { row: 0, col: -1 },
      ArrowRight: { row: 0, col: 1 },
      PageDown: { row: 20, col: 0 },
      PageUp: { row: -20, col: 0 },
    };
    const move = moves[e.key];
    if (!move || rows === 0 || fields.length === 0) return;
    e.preventDefault();
    const from = focus ?? { row: 0, col: 0 };
    const to = {
      row: Math.max(0, Math.min(rows - 1, from.row + (focus ? move.row : 0))),
      col: Math.max(0, Math.min(fields.length - 1, from.col + (focus ? move.col : 0))),
    };
    select(to, e.shiftKey);
    virtualizer.scrollToIndex(to.row);
  };

  const activeId = focus ? `${gridId}-${focus.row}-${focus.col}` : undefined;

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label={label}
      aria-rowcount={rows + 1}
      aria-colcount={fields.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onCopy={onCopy}
    >
      <div role="rowgroup" className="grid-head" style={{ width: totalWidth }}>
        <div role="row" aria-rowindex={1} className="grid-row" style={{ gridTemplateColumns: template }}>
          <div role="columnheader" aria-colindex={1} className="grid-gutter">
            #
          </div>
          {fields.map((f, c) => {
            const sorted = sort?.column === f.name ? (sort.descending ? 'descending' : 'ascending') : 'none';
            return (
              <div
                key={c}
                role="columnheader"
                aria-colindex={c + 2}
                aria-sort={sorted}
                className={isNumericField(f) ? 'num' : undefined}
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() => onSort(nextSort(sort, f.name))}
                  aria-label={`Sort by ${f.name}`}
                  title={`${f.name} (${types[c]}): click to sort`}
                >
                  <span className="col-name">{f.name}</span>
                  <span className="col-type">{types[c]}</span>
                  <span aria-hidden="true" className="sort-mark">
                    {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div
        role="rowgroup"
        style={{ height: virtualizer.getTotalSize(), width: totalWidth, position: 'relative' }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const row = item.index;
          return (
            <div
              key={row}
              role="row"
              aria-rowindex={row + 2}
              className="grid-row"
              style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)` }}
            >
              <div role="rowheader" aria-colindex={1} className="grid-gutter">
                {row + 1}
              </div>
              {fields.map((f, col) => {
                const cell = formatValue(vectors[col]!.get(row), f);
                const classes = [
                  isNumericField(f) ? 'num' : '',
                  cell.kind === 'null' ? 'null' : '',
                  selected(row, col) ? 'selected' : '',
                ].join(' ');
                return (
                  <div
                    key={col}
                    id={`${gridId}-${row}-${col}`}
                    role="gridcell"
                    aria-colindex={col + 2}
                    aria-selected={selected(row, col)}
                    className={classes}
                    onMouseDown={(e) => select({ row, col }, e.shiftKey)}
                  >
                    {cell.kind === 'null' ? (
                      'NULL'
                    ) : cell.text === '' ? (
                      <span className="empty" title="empty text" />
                    ) : (
                      cell.text
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
