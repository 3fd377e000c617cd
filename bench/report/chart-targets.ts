/** Targets of the chart drawn afresh (bench/phases/chart.ts): coarse at once, then exact. */
import type { ChartFigures, Figure } from './results.ts';
import { formatMs, verdict, type TargetRow } from './stats.ts';

const m = (f: Figure | undefined) => f?.median;

export function freshChartRows(chart: ChartFigures | undefined): TargetRow[] {
  const rows: TargetRow[] = [];
  const fresh = chart?.fresh;
  const chartRows = chart ? `${(chart.rows / 1e6).toFixed(2)}M` : '10M';
  rows.push({
    target: `(e) chart over ${chartRows} rows drawn afresh: first visible draw (coarse) ≤ 0.3 s`,
    figure: formatMs(m(fresh?.coarse)),
    baseline: '–',
    value: formatMs(m(fresh?.coarse)),
    limit: '300 ms',
    verdict: verdict(m(fresh?.coarse), 300),
  });
  rows.push({
    target: `(e) chart over ${chartRows} rows drawn afresh: exact chart ≤ 1.2 s`,
    figure: formatMs(m(fresh?.exact)),
    baseline: '–',
    value: formatMs(m(fresh?.exact)),
    limit: '1200 ms',
    verdict: verdict(m(fresh?.exact), 1200),
  });
  const coarsePerColumn =
    fresh?.coarseMarks !== undefined && fresh.plotWidth ? fresh.coarseMarks / fresh.plotWidth : undefined;
  rows.push({
    target: '(e) coarse drawing ≤ 4 points per pixel column',
    figure: fresh?.coarseMarks !== undefined ? `${fresh.coarseMarks} marks` : '–',
    baseline: fresh?.plotWidth ? `${fresh.plotWidth} px plot` : '–',
    value: coarsePerColumn === undefined ? '–' : coarsePerColumn.toFixed(2),
    limit: '4',
    verdict: verdict(coarsePerColumn, 4),
  });
  const zoom = chart?.zoom;
  rows.push({
    target: `(e) zoom into the chart over ${chartRows} rows: first visible draw (from the whole line) ≤ 0.3 s`,
    figure: formatMs(m(zoom?.preview)),
    baseline: zoom?.previewMarks !== undefined ? `${zoom.previewMarks} marks` : '–',
    value: formatMs(m(zoom?.preview)),
    limit: '300 ms',
    verdict: verdict(m(zoom?.preview), 300),
  });
  rows.push({
    target: `(e) zoom into the chart over ${chartRows} rows: the window's exact chart ≤ 1.2 s`,
    figure: formatMs(m(zoom?.exact)),
    baseline: '–',
    value: formatMs(m(zoom?.exact)),
    limit: '1200 ms',
    verdict: verdict(m(zoom?.exact), 1200),
  });
  return rows;
}
