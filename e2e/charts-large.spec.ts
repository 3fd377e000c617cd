import { makeChartCell, makeSqlCell } from '../src/notebook/model/cells';
import { newNotebook } from '../src/notebook/model/notebook';
import { expect, importNotebook, openNotebook, test } from './support/notebook';

/** More rows than a line is drawn exactly at once for (COARSE_MIN_ROWS). */
const ROWS = 2_000_000;

interface Drawing {
  status: string;
  points: number;
  width: number;
  refiningNote: boolean;
}

/** Notes each drawing the chart shows: its status, its points and plot width, and whether it says it is refining. */
const WATCH = `(() => {
  const log = [];
  window.__chartDrawings = log;
  let last = '';
  new MutationObserver(() => {
    const f = document.querySelector('figure.chart-panel');
    if (!f) return;
    const entry = {
      status: f.getAttribute('data-status') || '',
      points: Number(f.getAttribute('data-points') || 0),
      width: Number(f.getAttribute('data-plot-width') || 0),
      refiningNote: (f.textContent || '').includes('Refining…'),
    };
    const key = JSON.stringify(entry);
    if (key !== last) log.push(entry);
    last = key;
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

test('a line over millions of rows is drawn coarse at once, marked as refining, then exact', async ({
  page,
}) => {
  await page.addInitScript({ content: WATCH });
  await openNotebook(page, 'DataAnalyst');
  const nb = newNotebook('A long line');
  nb.cells = [
    makeSqlCell(
      'readings',
      // A reading a minute, stored out of time order (a permutation of the minutes): the sample keeps whole
      // runs of stored rows, which then spread over the whole axis, so the coarse line has points in every
      // pixel column. Over rows stored in time order it would be a few clumps joined by straight lines.
      `SELECT make_timestamp(1577836800000000 + ((i * 7919) % ${ROWS}) * 60000000) AS seen_at,
         sin(((i * 7919) % ${ROWS}) / 20000.0) * 100 + hash(i) % 100 AS v
       FROM range(${ROWS}) AS r(i)`,
    ),
    makeChartCell({ source: 'readings', type: 'line', x: 'seen_at', y: 'v', title: 'Readings' }),
  ];
  await importNotebook(page, nb);
  const f = page.getByRole('figure', { name: 'Readings', exact: true });
  await expect(f).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(f.getByText('Refining…')).toHaveCount(0);

  const drawings = await page.evaluate(
    () => (window as unknown as { __chartDrawings: Drawing[] }).__chartDrawings,
  );
  const coarse = drawings.findIndex((d) => d.status === 'refining' && d.points > 0);
  const exact = drawings.findLastIndex((d) => d.status === 'done');
  expect(coarse, JSON.stringify(drawings)).toBeGreaterThanOrEqual(0);
  expect(coarse).toBeLessThan(exact);
  const first = drawings[coarse]!;
  const last = drawings[exact]!;
  // The coarse drawing says what it is, and is a line across the plot with at most four points per pixel
  // column, as the exact one is.
  expect(first.refiningNote).toBe(true);
  for (const d of [first, last]) {
    expect(d.points).toBeGreaterThan(d.width);
    expect(d.points).toBeLessThanOrEqual(4 * d.width);
  }
});
