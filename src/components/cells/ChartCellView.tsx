/** A chart cell. Its form and drawing come with the chart editor; until then the cell shows its saved config. */
import type { ChartCell } from '../../notebook/model/cells';
import { CellFrame } from './CellFrame';

export function ChartCellView({ cell, index }: { cell: ChartCell; index: number }) {
  const label = `Chart cell ${index + 1}`;
  const empty = Object.keys(cell.config).length === 0;
  return (
    <CellFrame cellId={cell.id} label={label} kind="chart" header={<span className="cell-kind">Chart</span>}>
      <div className="chart-placeholder">
        {empty ? (
          <p>This chart has no settings yet.</p>
        ) : (
          <pre aria-label={`Settings of ${label}`}>{JSON.stringify(cell.config, null, 2)}</pre>
        )}
      </div>
    </CellFrame>
  );
}
