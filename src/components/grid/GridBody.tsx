/**
 * The rows on screen. Each frame of scrolling must cost no more than the rows it shows: rows are keyed by
 * their place in the window, so scrolling rewrites the text of the same elements instead of creating and
 * removing elements (which costs style, layout and garbage collection); rows are memoised and placed from
 * an anchor (row-window.ts), so while the first row shown stays the same nothing is rendered again and only
 * the window moves. Mouse presses are handled once for the whole body, not per cell.
 */
import { memo, type MouseEvent } from 'react';
import type { Field } from 'apache-arrow';
import { isNumericField, type CellText } from '../../notebook/model/arrow-format';
import type { ResultRows } from './result-rows';
import { rowPlacement, type VisibleRows } from './row-window';

export interface CellRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface GridBodyProps {
  data: ResultRows;
  shown: VisibleRows;
  rowHeight: number;
  bodyHeight: number;
  width: number;
  template: string;
  gridId: string;
  range: CellRange | undefined;
  /** The focused cell, the grid's active descendant: the only cell that needs an id. */
  focus: { row: number; col: number } | undefined;
  /** A result cell's text, in its column's format. */
  show(row: number, col: number): CellText;
  onCellDown(row: number, col: number, extend: boolean): void;
}

/** The cell a press landed on, read from the rendered row and column indexes. */
function cellAt(target: EventTarget): { row: number; col: number } | undefined {
  if (!(target instanceof Element)) return undefined;
  const cell = target.closest('[role="gridcell"]');
  const row = cell?.parentElement;
  if (!cell || !row) return undefined;
  return {
    row: Number(row.getAttribute('aria-rowindex')) - 2,
    col: Number(cell.getAttribute('aria-colindex')) - 2,
  };
}

export function GridBody(props: GridBodyProps) {
  const { data, shown, rowHeight, bodyHeight, width, template, gridId, range, focus, show, onCellDown } =
    props;
  const { windowTop, rowTop } = rowPlacement(shown, rowHeight);
  const onMouseDown = (e: MouseEvent) => {
    const at = cellAt(e.target);
    if (at) onCellDown(at.row, at.col, e.shiftKey);
  };
  const rows = [];
  for (let row = shown.first; row <= shown.last; row++) {
    const inRange = !!range && row >= range.top && row <= range.bottom;
    rows.push(
      <GridRow
        // The place in the window, not the row number: the same elements are reused as rows scroll past.
        key={row - shown.first}
        data={data}
        show={show}
        row={row}
        top={rowTop(row)}
        height={rowHeight}
        width={width}
        template={template}
        gridId={gridId}
        selectedFrom={inRange ? range.left : -1}
        selectedTo={inRange ? range.right : -1}
        activeCol={focus?.row === row ? focus.col : -1}
      />,
    );
  }
  return (
    <div
      role="rowgroup"
      style={{ height: bodyHeight, width, position: 'relative' }}
      onMouseDown={onMouseDown}
    >
      <div style={{ position: 'absolute', top: 0, left: 0, transform: `translateY(${windowTop}px)` }}>
        {rows}
      </div>
    </div>
  );
}

interface GridRowProps {
  data: ResultRows;
  show(row: number, col: number): CellText;
  row: number;
  top: number;
  height: number;
  width: number;
  template: string;
  gridId: string;
  /** Selected columns of this row, -1 when none. */
  selectedFrom: number;
  selectedTo: number;
  /** The focused column of this row, -1 when none. */
  activeCol: number;
}

const GridRow = memo(function GridRow(props: GridRowProps) {
  const { data, show, row, top, height, width, template, gridId, selectedFrom, selectedTo, activeCol } =
    props;
  return (
    <div
      role="row"
      aria-rowindex={row + 2}
      className="grid-row"
      // Strict containment: what changes inside a row (its text) never lays out or repaints another row. A
      // fixed row track: the grid never measures the cells' text to size it.
      style={{
        gridTemplateColumns: template,
        gridTemplateRows: `${height}px`,
        width,
        transform: `translateY(${top}px)`,
        contain: 'strict',
      }}
    >
      <div role="rowheader" aria-colindex={1} className="grid-gutter">
        {row + 1}
      </div>
      {data.fields.map((f: Field, col) => {
        const cell = show(row, col);
        const selected = col >= selectedFrom && col <= selectedTo;
        const classes = [
          isNumericField(f) ? 'num' : '',
          cell.kind === 'null' ? 'null' : '',
          selected ? 'selected' : '',
        ].join(' ');
        return (
          <div
            key={col}
            id={col === activeCol ? `${gridId}-${row}-${col}` : undefined}
            role="gridcell"
            aria-colindex={col + 2}
            aria-selected={selected}
            className={classes}
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
});
