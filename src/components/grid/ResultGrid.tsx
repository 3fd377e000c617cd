/**
 * The result grid: windowed rows read straight from Arrow vectors (result-rows.ts), so only the rows on
 * screen are ever decoded and formatted. Rows have one fixed height, so which rows are on screen is arithmetic
 * (row-window.ts), and a result of millions of rows keeps a scrollable height the browser can lay out.
 * Sorting asks DuckDB for a sorted result; selection and copy work on ranges of cells (Shift+click or
 * Shift+arrows, then Ctrl/Cmd+C).
 */
import {
  memo,
  useCallback,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { QueryResult } from '../../contract/results';
import { formatWith, isNumericField } from '../../notebook/model/arrow-format';
import { formatText, type ColumnFormat } from '../../charts/column-formats';
import type { SortOrder } from '../../notebook/store-types';
import { GridBody, type CellRange } from './GridBody';
import { columnWidth, gridHeight, ROW_HEIGHT, SIZING_ROWS } from './grid-size';
import { resultRows } from './result-rows';
import { MAX_BODY_HEIGHT, rowLayout, scrollTopForRow, visibleRows } from './row-window';

const GUTTER = 64;
/** A number column is at least this wide when its header offers formats, so the choice fits. */
const FORMAT_COLUMN = 104;
const PAGE_ROWS = 20;
/** Rows drawn beyond each edge: rows are drawn in the scroll event's own frame, so a few suffice. */
const OVERSCAN = 1;

interface Point {
  row: number;
  col: number;
}

export interface ResultGridProps {
  result: QueryResult;
  /** Formats of the cell's columns, from its `-- format:` lines. */
  formats?: ReadonlyMap<string, ColumnFormat>;
  /** Sets a number column's format in the cell (its `-- format:` line); absent where the cell is read-only. */
  onFormat?(column: string, format: ColumnFormat | undefined): void;
  label: string;
  sort: SortOrder | undefined;
  onSort(sort: SortOrder | undefined): void;
}

/** The formats a number column's header offers, each with how it shows 1234.5678 or 0.1234. */
const FORMAT_CHOICES: { value: string; label: string; format?: ColumnFormat }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'integer', label: '1,235', format: { format: 'integer' } },
  { value: 'decimal:1', label: '1,234.6', format: { format: 'decimal', decimals: 1 } },
  { value: 'decimal:2', label: '1,234.57', format: { format: 'decimal', decimals: 2 } },
  { value: 'percent:0', label: '12%', format: { format: 'percent', decimals: 0 } },
  { value: 'percent:1', label: '12.3%', format: { format: 'percent', decimals: 1 } },
  { value: 'percent:2', label: '12.34%', format: { format: 'percent', decimals: 2 } },
  { value: 'compact', label: '1.2K', format: { format: 'compact' } },
];

/** The choice showing a column's format; a format written by hand that no choice matches is added as is. */
function formatChoices(current: ColumnFormat | undefined) {
  const value = current ? formatText(current) : 'auto';
  const known = FORMAT_CHOICES.some((c) => c.value === value);
  return {
    value,
    choices: known ? FORMAT_CHOICES : [...FORMAT_CHOICES, { value, label: value, format: current }],
  };
}

function nextSort(current: SortOrder | undefined, column: string): SortOrder | undefined {
  if (current?.column !== column) return { column, descending: false };
  return current.descending ? undefined : { column, descending: true };
}

/** Where a key moves the focused cell; `undefined` for keys the grid leaves alone. */
function moveFor(e: KeyboardEvent, from: Point, rows: number, cols: number): Point | undefined {
  const mod = e.ctrlKey || e.metaKey;
  switch (e.key) {
    case 'ArrowUp':
      return { row: from.row - 1, col: from.col };
    case 'ArrowDown':
      return { row: from.row + 1, col: from.col };
    case 'ArrowLeft':
      return { row: from.row, col: from.col - 1 };
    case 'ArrowRight':
      return { row: from.row, col: from.col + 1 };
    case 'PageUp':
      return { row: from.row - PAGE_ROWS, col: from.col };
    case 'PageDown':
      return { row: from.row + PAGE_ROWS, col: from.col };
    case 'Home':
      return mod ? { row: 0, col: from.col } : { row: from.row, col: 0 };
    case 'End':
      return mod ? { row: rows - 1, col: from.col } : { row: from.row, col: cols - 1 };
    default:
      return undefined;
  }
}

/** The scroll box's height for rows (its own height less the sticky header), kept up to date. */
function useViewport(
  box: React.RefObject<HTMLDivElement | null>,
  head: React.RefObject<HTMLDivElement | null>,
) {
  const [viewport, setViewport] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () =>
      setViewport(Math.max(ROW_HEIGHT, el.clientHeight - (head.current?.offsetHeight ?? 0)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [box, head]);
  return viewport;
}

/** Memoised: a cell's status changes while its result stays the same, and the grid need not follow. */
export const ResultGrid = memo(function ResultGrid({
  result,
  formats,
  onFormat,
  label,
  sort,
  onSort,
}: ResultGridProps) {
  const data = useMemo(() => resultRows(result.ipc), [result]);
  const fields = data.fields;
  const show = useCallback(
    (row: number, col: number) =>
      formatWith(data.value(row, col), fields[col]!, formats?.get(fields[col]!.name)),
    [data, fields, formats],
  );
  const types = result.columns.map((c, i) => c.type ?? String(fields[i]?.type));
  const widths = useMemo(() => {
    const top = Math.min(data.numRows, SIZING_ROWS);
    return data.fields.map((f, col) => {
      const values: string[] = [];
      for (let row = 0; row < top; row++) {
        const cell = show(row, col);
        values.push(cell.kind === 'null' ? 'NULL' : cell.text);
      }
      const width = columnWidth(f.name, result.columns[col]?.type ?? String(f.type), values);
      return onFormat && isNumericField(f) ? Math.max(width, FORMAT_COLUMN) : width;
    });
  }, [data, result, show, onFormat]);
  const template = `${GUTTER}px ${widths.map((w) => `${w}px`).join(' ')}`;
  const totalWidth = GUTTER + widths.reduce((a, b) => a + b, 0);
  const rows = data.numRows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const viewport = useViewport(scrollRef, headRef);
  const [scrollTop, setScrollTop] = useState(0);
  const geometry = { rows, rowHeight: ROW_HEIGHT, viewport, maxHeight: MAX_BODY_HEIGHT };
  const layout = rowLayout(geometry);
  const shown = visibleRows(geometry, scrollTop, OVERSCAN);
  const [anchor, setAnchor] = useState<Point | undefined>();
  const [focus, setFocus] = useState<Point | undefined>();
  // A new result starts at its top with nothing selected, in the same elements: rebuilding the grid for
  // every run would cost the page more than drawing the result does.
  const [shownResult, setShownResult] = useState(result);
  const [scrollBack, setScrollBack] = useState(false);
  if (shownResult !== result) {
    setShownResult(result);
    if (scrollTop !== 0) setScrollBack(true);
    setScrollTop(0);
    setAnchor(undefined);
    setFocus(undefined);
  }
  // Only when it moved: setting the scroll position makes the browser lay the page out there and then.
  useLayoutEffect(() => {
    if (!scrollBack || !scrollRef.current) return;
    scrollRef.current.scrollTop = 0;
    setScrollBack(false);
  }, [scrollBack]);
  const gridId = useId();

  const range: CellRange | undefined =
    anchor && focus
      ? {
          top: Math.min(anchor.row, focus.row),
          bottom: Math.max(anchor.row, focus.row),
          left: Math.min(anchor.col, focus.col),
          right: Math.max(anchor.col, focus.col),
        }
      : undefined;

  const select = (p: Point, extend: boolean) => {
    setFocus(p);
    if (!extend || !anchor) setAnchor(p);
  };

  const text = (row: number, col: number) => {
    const cell = show(row, col);
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

  const bringIntoView = (row: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const target = scrollTopForRow(geometry, el.scrollTop, row);
    if (target !== el.scrollTop) el.scrollTop = target;
    setScrollTop(el.scrollTop);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (rows === 0 || fields.length === 0) return;
    const from = focus ?? { row: 0, col: 0 };
    const move = moveFor(e, from, rows, fields.length);
    if (!move) return;
    e.preventDefault();
    const to = focus
      ? {
          row: Math.max(0, Math.min(rows - 1, move.row)),
          col: Math.max(0, Math.min(fields.length - 1, move.col)),
        }
      : from;
    select(to, e.shiftKey);
    bringIntoView(to.row);
  };

  const activeId = focus ? `${gridId}-${focus.row}-${focus.col}` : undefined;

  return (
    <div
      ref={scrollRef}
      className="grid"
      style={{ height: gridHeight(rows) }}
      role="grid"
      aria-label={label}
      aria-rowcount={rows + 1}
      aria-colcount={fields.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onCopy={onCopy}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div ref={headRef} role="rowgroup" className="grid-head" style={{ width: totalWidth }}>
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
                {onFormat && isNumericField(f) && (
                  <FormatChoice column={f.name} current={formats?.get(f.name)} onFormat={onFormat} />
                )}
              </div>
            );
          })}
        </div>
      </div>
      <GridBody
        data={data}
        shown={shown}
        rowHeight={ROW_HEIGHT}
        bodyHeight={layout.bodyHeight}
        width={totalWidth}
        template={template}
        gridId={gridId}
        range={range}
        focus={focus}
        show={show}
        onCellDown={(row, col, extend) => select({ row, col }, extend)}
      />
    </div>
  );
});

function FormatChoice({
  column,
  current,
  onFormat,
}: {
  column: string;
  current: ColumnFormat | undefined;
  onFormat(column: string, format: ColumnFormat | undefined): void;
}) {
  const { value, choices } = formatChoices(current);
  return (
    <select
      className="col-format"
      aria-label={`Format of ${column}`}
      title="How the grid, charts and Markdown values show this column (kept as a -- format: line in the cell)"
      value={value}
      onChange={(e) => onFormat(column, choices.find((c) => c.value === e.target.value)?.format)}
    >
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
