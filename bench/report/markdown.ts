/** Renders bench/RESULTS.md from the results: a header, a targets table with pass/miss, then each section. */
import { freshChartRows } from './chart-targets.ts';
import { limitNotes } from './limits.ts';
import { serverSection } from './server-section.ts';
import { firstAnswerLimits, firstAnswerSection, firstAnswerTargets } from './first-answer-section.ts';
import type { BenchResults, Figure, RoleLakeFigures, ScaleFigures } from './results.ts';
import {
  formatBytes,
  formatMs,
  formatRatio,
  markdownTable,
  ratio,
  verdict,
  type TargetRow,
} from './stats.ts';

const KB = 1000;
const m = (f: Figure | undefined) => f?.median;
const rowsText = (n: number) => `${(n / 1e6).toFixed(2)}M`;

export function targetRows(r: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const cold = ratio(m(r.coldStart.app), m(r.coldStart.bare));
  rows.push({
    target: '(a) cold start to first result ≤ 1.2× bare page',
    figure: formatMs(m(r.coldStart.app)),
    baseline: `bare ${formatMs(m(r.coldStart.bare))}`,
    value: formatRatio(cold),
    limit: '1.2×',
    verdict: verdict(cold, 1.2),
  });
  for (const s of r.scales) {
    for (const [id, q] of Object.entries(s.queries)) {
      const vsBare = ratio(m(q.app), m(q.bare));
      const vsNative = ratio(m(q.app), m(q.native));
      const at = `${id} @ ${rowsText(s.rows)}`;
      rows.push({
        target: `(b) ${at} ≤ 1.1× bare`,
        figure: formatMs(m(q.app)),
        baseline: `bare ${formatMs(m(q.bare))}`,
        value: formatRatio(vsBare),
        limit: '1.1×',
        verdict: verdict(vsBare, 1.1),
      });
      rows.push({
        target: `(b) ${at} ≤ 1.5× native`,
        figure: formatMs(m(q.app)),
        baseline: `native ${formatMs(m(q.native))}`,
        value: formatRatio(vsNative),
        limit: '1.5×',
        verdict: verdict(vsNative, 1.5),
      });
    }
  }
  const guards = r.scales.flatMap((s) => Object.values(s.queries).flatMap((q) => q.appGuard?.runs ?? []));
  const guardMedian =
    guards.length > 0 ? [...guards].sort((a, b) => a - b)[Math.floor(guards.length / 2)] : undefined;
  rows.push({
    target: '(c) guard overhead of a fresh decision, median over all queries ≤ 5 ms',
    figure: formatMs(guardMedian),
    baseline: '–',
    value: formatMs(guardMedian),
    limit: '5 ms',
    verdict: verdict(guardMedian, 5),
  });
  const grid = r.scales.find((s) => s.grid)?.grid;
  rows.push({
    target: '(d) 1M-row result, first grid paint ≤ 0.5 s',
    figure: formatMs(m(grid?.firstPaint)),
    baseline: '–',
    value: formatMs(m(grid?.firstPaint)),
    limit: '500 ms',
    verdict: verdict(m(grid?.firstPaint), 500),
  });
  rows.push({
    target: '(d) worst frame while scrolling ≤ 50 ms',
    figure: formatMs(m(grid?.worstFrame)),
    baseline: '–',
    value: formatMs(m(grid?.worstFrame)),
    limit: '50 ms',
    verdict: verdict(m(grid?.worstFrame), 50),
  });
  const chart = r.scales.at(-1)?.chart;
  rows.push({
    target: `(e) chart redraw at a new width, ${chart ? rowsText(chart.rows) : '10M'} rows, ≤ 0.3 s`,
    figure: formatMs(m(chart?.queryAndRender)),
    baseline: '–',
    value: formatMs(m(chart?.queryAndRender)),
    limit: '300 ms',
    verdict: verdict(m(chart?.queryAndRender), 300),
  });
  rows.push({
    target: `(e) chart query over ${chart ? rowsText(chart.rows) : '10M'} rows + render ≤ 0.3 s`,
    figure: formatMs(m(chart?.newGrid?.total)),
    baseline: '–',
    value: formatMs(m(chart?.newGrid?.total)),
    limit: '300 ms',
    verdict: verdict(m(chart?.newGrid?.total), 300),
  });
  rows.push({
    target: `(e) chart at a width its kept grid cannot draw, ${chart ? rowsText(chart.rows) : '10M'} rows: first visible draw (the kept coarser grid) ≤ 0.3 s`,
    figure: formatMs(m(chart?.newGrid?.coarse)),
    baseline: '–',
    value: formatMs(m(chart?.newGrid?.coarse)),
    limit: '300 ms',
    verdict: verdict(m(chart?.newGrid?.coarse), 300),
  });
  const perColumn =
    chart?.marks !== undefined && chart.pixelColumns ? chart.marks / chart.pixelColumns : undefined;
  rows.push({
    target: '(e) ≤ 4 points per pixel column',
    figure: chart?.marks !== undefined ? `${chart.marks} marks` : '–',
    baseline: chart?.pixelColumns ? `${chart.pixelColumns} px columns` : '–',
    value: perColumn === undefined ? '–' : perColumn.toFixed(2),
    limit: '4',
    verdict: verdict(perColumn, 4),
  });
  rows.push(...freshChartRows(chart));
  const largest = r.scales.at(-1);
  const load = largest?.load.find((l) => l.table.endsWith('admissions'));
  const loadRatio = ratio(m(load?.appMs), load?.nativeMs);
  rows.push({
    target: `(f) load ${load ? rowsText(load.rows) : '10M'} admissions ≤ 2× native read`,
    figure: formatMs(m(load?.appMs)),
    baseline: `native ${formatMs(load?.nativeMs)}`,
    value: formatRatio(loadRatio),
    limit: '2×',
    verdict: verdict(loadRatio, 2),
  });
  const slack =
    load?.oneColumnChunkBytes !== undefined ? load.oneColumnChunkBytes * 1.25 + 256 * 1024 : undefined;
  const fetchedShare = ratio(load?.oneColumnBytesFetched, slack);
  rows.push({
    target: '(f) a one-column query fetches only that column',
    figure: formatBytes(load?.oneColumnBytesFetched),
    baseline: `column chunks ${formatBytes(load?.oneColumnChunkBytes)} of ${formatBytes(load?.fileBytes)}`,
    value: formatRatio(ratio(load?.oneColumnBytesFetched, load?.oneColumnChunkBytes)),
    limit: '1.25× + 256 KiB',
    verdict: verdict(fetchedShare, 1),
  });
  const filtered = load?.filtered;
  const filteredSlack = filtered ? filtered.chunkBytes * 1.25 + 256 * 1024 : undefined;
  rows.push({
    target: '(f) a one-column query filtered on a time column fetches only its row groups',
    figure: formatBytes(filtered?.bytesFetched),
    baseline: filtered
      ? `${filtered.column} in ${filtered.groupsRead} of ${filtered.groups} row groups ${formatBytes(filtered.chunkBytes)} (whole column ${formatBytes(filtered.columnBytes)})`
      : '–',
    value: formatRatio(ratio(filtered?.bytesFetched, filtered?.chunkBytes)),
    limit: '1.25× + 256 KiB',
    verdict: verdict(ratio(filtered?.bytesFetched, filteredSlack), 1),
  });
  rows.push({
    target: '(g) initial JS ≤ 400 KB gzip',
    figure: r.bundle ? formatBytes(r.bundle.initialJsGzip) : '–',
    baseline: '–',
    value: r.bundle ? `${(r.bundle.initialJsGzip / KB).toFixed(0)} KB` : '–',
    limit: '400 KB',
    verdict: verdict(r.bundle?.initialJsGzip, 400 * KB),
  });
  rows.push({
    target: '(g) Monaco loaded only when an editor is shown',
    figure: r.bundle ? (r.bundle.monacoDeferred ? 'not in the initial JS' : 'in the initial JS') : '–',
    baseline: '–',
    value: '–',
    limit: 'lazy',
    verdict: r.bundle ? (r.bundle.monacoDeferred ? 'pass' : 'miss') : 'not measured',
  });
  rows.push(...firstAnswerTargets(r.firstAnswer));
  return rows;
}

function fig(f: Figure | undefined): string {
  return f ? `${formatMs(f.median)} (${f.runs.length})` : '–';
}

function scaleSection(s: ScaleFigures): string {
  const out: string[] = [
    `### ${s.rows.toLocaleString('en-US')} admissions (lake ${formatBytes(s.lakeBytes)})`,
    '',
  ];
  out.push(
    markdownTable(
      [
        'query',
        'rows',
        'native 1T',
        'bare page',
        'notebook (click→screen)',
        'in worker',
        'guard',
        '÷ bare',
        '÷ native',
        'first run',
      ],
      Object.entries(s.queries).map(([id, q]) => [
        `${id}: ${q.label}${q.problem ? ` — ${q.problem}` : ''}`,
        q.rows?.toLocaleString('en-US') ?? '–',
        fig(q.native),
        fig(q.bare),
        fig(q.app),
        fig(q.appEngine),
        fig(q.appGuard),
        formatRatio(ratio(m(q.app), m(q.bare))),
        formatRatio(ratio(m(q.app), m(q.native))),
        formatMs(q.appFirstRunMs),
      ]),
    ),
    '',
  );
  if (s.load.length > 0) {
    out.push(
      markdownTable(
        [
          'table',
          'rows',
          'file',
          'native read 1T',
          'bare page load',
          'notebook load',
          'fetched: bare / notebook',
          'one column: fetched / its chunks',
        ],
        s.load.map((l) => [
          l.table + (l.problem ? ` — ${l.problem}` : ''),
          l.rows.toLocaleString('en-US'),
          formatBytes(l.fileBytes),
          formatMs(l.nativeMs),
          `${formatMs(l.bareMs)}${l.bareRuns ? ` (${l.bareRuns.length})` : ''}`,
          fig(l.appMs),
          `${formatBytes(l.bareBytesFetched)} / ${formatBytes(l.appBytesFetched)}`,
          `${l.oneColumn ?? ''} ${formatBytes(l.oneColumnBytesFetched)} / ${formatBytes(l.oneColumnChunkBytes)}`,
        ]),
      ),
      '',
    );
    const methods = [...new Set(s.load.map((l) => l.appMethod).filter(Boolean))];
    if (methods.length > 0) out.push(`Notebook load time taken as: ${methods.join('; ')}.`, '');
  }
  if (s.enginePath) {
    const e = s.enginePath;
    out.push(
      'Engine query path on Node, same DuckDB-WASM build and `DuckSession` as the worker (median of 3): one-shot `runQuery`, ' +
        'the cancellable polled `run`, and `runBudgeted` with the notebook row budget (the path the notebook uses).',
      '',
      markdownTable(
        ['query', 'one-shot', 'polled', 'row budget', 'row budget ÷ one-shot'],
        Object.keys(e.oneShot).map((id) => [
          id,
          formatMs(e.oneShot[id]),
          formatMs(e.polled[id]),
          formatMs(e.budgeted[id]),
          formatRatio(ratio(e.budgeted[id], e.oneShot[id])),
        ]),
      ),
      '',
    );
  }
  if (s.grid) {
    const g = s.grid;
    out.push(
      `**Grid**: ${g.rows?.toLocaleString('en-US') ?? '?'} rows${g.truncated ? ' (truncated by the result budget)' : ''}; ` +
        `first paint ${fig(g.firstPaint)}, of which ${fig(g.engine)} in the engine worker; ` +
        `worst frame ${fig(g.worstFrame)} (steady scroll ${fig(g.worstSteadyFrame)}, jumps ${fig(g.worstJumpFrame)}), 95th percentile ${fig(g.p95Frame)} over ${g.frames ?? '?'} frames; ` +
        `JS heap after ${g.heapAfterBytes ? formatBytes(g.heapAfterBytes.median) : '–'}${g.problem ? `; ${g.problem}` : ''}.`,
      '',
    );
  }
  if (s.chart) {
    const c = s.chart;
    const g = c.newGrid;
    const query = g
      ? `; a width the kept grid cannot draw (${g.plotWidth} px) ${fig(g.total)}: waiting for the size to settle ${fig(g.settle)}, ` +
        `query in the engine ${fig(g.engine)}, answer to frame ${fig(g.render)}` +
        (g.coarse ? `, the kept coarser grid on screen meanwhile after ${fig(g.coarse)}` : '')
      : '';
    const f = c.fresh;
    const afresh = f
      ? `; drawn afresh (its source ran again; ${f.queries} engine queries: columns, row count, coarse, exact) at ${f.plotWidth} px: ` +
        `coarse on screen after ${fig(f.coarse)} (${f.coarseMarks ?? '?'} marks), exact after ${fig(f.exact)}`
      : '';
    const z = c.zoom;
    const zoom = z
      ? `; "Zoom in" clicked after each, to half the span: the window drawn from the whole line after ${fig(z.preview)} (${z.previewMarks ?? '?'} marks), its own exact chart after ${fig(z.exact)}`
      : '';
    const alone = c.measured
      ? ` Measured alone by \`${c.measured.command}\` on ${c.measured.date.slice(0, 10)} (load average ${c.measured.loadAverage.toFixed(2)} at the end).`
      : '';
    out.push(
      `**Chart** over ${c.rows.toLocaleString('en-US')} rows: ${c.problem ?? `redraw at a new width ${fig(c.queryAndRender)} (${c.redrawQueries ?? '?'} engine queries)${query}${afresh}${zoom}; ${c.marks} marks over ${c.pixelColumns} pixel columns`}.${alone}`,
      '',
    );
  }
  if (s.problems.length > 0) out.push(`Problems: ${s.problems.join('; ')}`, '');
  return out.join('\n');
}

function roleLakeSection(r: RoleLakeFigures): string {
  const rows = r.roles.map((x) => [
    x.role,
    `\`${x.folder}\``,
    String(x.tables),
    formatBytes(x.bytes),
    `${((x.bytes / r.fullLakeBytes) * 100).toFixed(0)} %`,
    formatMs(x.ms),
  ]);
  return [
    '## Role lake folders (site build)',
    '',
    `What \`npm run build\` writes for each role of the sample lake (\`${r.lake}\`, ${formatBytes(r.fullLakeBytes)} in all tables): the role's tables, masked, filtered and suppressed. Times are medians of ${r.runs} builds after a warm-up, taken ${r.date}; a whole build of every folder, reading the lake included, took ${formatMs(r.totalMs)}.`,
    '',
    markdownTable(['role', 'folder', 'tables', 'size', 'of the full lake', 'build time'], rows),
    '',
  ].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const v = r.versions;
  const header = markdownTable(
    ['', ''],
    [
      ['date', r.date],
      ['command', `\`${r.command}\``],
      [
        'machine',
        `${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, ${r.machine.os}` +
          (r.loadAverage
            ? `; shared: load average ${r.loadAverage.start.toFixed(1)} at the start, ${r.loadAverage.end.toFixed(1)} at the end`
            : ''),
      ],
      ['browser', `Chromium ${v.chromium ?? '?'} headless, fresh profile per cold run`],
      [
        'DuckDB',
        `wasm ${v['@duckdb/duckdb-wasm']} (engine ${v['DuckDB in the browser'] ?? '?'} on the bare page, ${v['DuckDB in the notebook'] ?? '?'} in the notebook), native @duckdb/node-api ${v['@duckdb/node-api']} (engine ${r.scales[0]?.nativeVersion ?? '?'}), 1 thread`,
      ],
      [
        'others',
        `parquet-wasm ${v['parquet-wasm']}, apache-arrow ${v['apache-arrow']}, Playwright ${v['@playwright/test']}, Vite ${v.vite}, Node ${v.node}`,
      ],
      [
        'runs',
        `median of ${r.runs} measured runs after 1 warm-up (at most 3 at 10M rows); ${r.quick ? 'quick mode (1M rows only)' : 'full'}; took ${r.durationSeconds} s`,
      ],
    ],
  );
  const targets = markdownTable(
    ['target', 'Lakebook', 'baseline', 'ratio / value', 'limit', 'verdict'],
    targetRows(r).map((t) => [
      t.target,
      t.figure,
      t.baseline,
      t.value,
      t.limit,
      t.verdict === 'pass' ? 'pass' : t.verdict === 'miss' ? '**miss**' : t.verdict,
    ]),
  );
  const c = r.coldStart;
  const b = r.bundle;
  return [
    '# Lakebook benchmark results',
    '',
    'Generated by `npm run bench` (see [README.md](README.md) for what each figure means and what limits it). Every figure is a median; every ratio compares figures taken in the same run.',
    '',
    header,
    '',
    '## Targets',
    '',
    targets,
    '',
    '## (a) Cold start',
    '',
    `Query: \`${c.query}\`. Notebook ${fig(c.app)} (engine ready at ${fig(c.appEngineReady)}, then ${fig(c.appTyping)} for confirming the link's notebook, loading the editor and the harness typing and clicking), bare page ${fig(c.bare)}.${c.problem ? ` Problems: ${c.problem}.` : ''}`,
    '',
    '## (b, c, d, e, f) Per lake size',
    '',
    ...r.scales.map(scaleSection),
    '## (g) First visit',
    '',
    b
      ? `Initial JS ${formatBytes(b.initialJsGzip)} gzip (${formatBytes(b.initialJsRaw)} raw) in ${b.initialFiles.length} files: ${b.initialFiles.map((f) => `\`${f}\``).join(', ')}; Monaco ${b.monacoDeferred ? 'not among them' : '**among them**'}. ` +
        `A first visit until "Engine ready" transferred ${formatBytes(b.firstVisitBytes)} in ${b.firstVisitRequests ?? '?'} requests (wasm ${formatBytes(b.firstVisitWasmBytes)}, lake ${formatBytes(b.firstVisitLakeBytes)}); ` +
        `requests to other hosts: ${b.foreignRequests ? b.foreignRequests.length : '?'}. DuckDB wasm files in the build: ${Object.entries(
          b.duckdbWasmBytes,
        )
          .map(([f, n]) => `${f} ${formatBytes(n)}`)
          .join(', ')}.${b.problem ? ` Problem: ${b.problem}.` : ''}`
      : 'not measured',
    '',
    ...(r.firstAnswer ? [firstAnswerSection(r.firstAnswer)] : []),
    ...(r.roleLakes ? [roleLakeSection(r.roleLakes)] : []),
    ...(r.server ? [serverSection(r)] : []),
    '## What limits the misses',
    '',
    ...[...limitNotes(r), ...(r.firstAnswer ? firstAnswerLimits(r.firstAnswer) : [])].map((n) => `- ${n}`),
    '',
    ...(r.notes.length > 0 ? ['## Notes', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}
