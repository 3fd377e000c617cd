/**
 * (e) A chart over every admission: query plus render time and the marks drawn. The notebook has no chart
 * cell that this benchmark can drive yet, so this reports that plainly instead of a number.
 */
import type { ChartFigures } from '../report/results.ts';

export async function measureChart(
  _origin: string,
  rows: number,
  _runs: number,
  log: (s: string) => void,
): Promise<ChartFigures> {
  log('chart: not yet measured (no chart cell to drive)');
  return { rows, problem: 'not yet measured: the notebook has no chart cell the benchmark can drive yet' };
}
