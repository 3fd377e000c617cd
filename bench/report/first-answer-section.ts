/**
 * The first-answer phase in RESULTS.md: its three rows of the Targets table, its section, and what its
 * misses are made of, from the same run's figures.
 */
import type { TargetRow } from './stats.ts';
import type { Figure, FirstAnswerFigures } from './results.ts';
import { formatMs, formatRatio, markdownTable, ratio, verdict } from './stats.ts';

const m = (f: Figure | undefined) => f?.median;
const fig = (f: Figure | undefined) => (f ? `${formatMs(f.median)} (${f.runs.length})` : '–');

export const FIRST_ANSWER_LIMITS = { visitMs: 5000, reloadMs: 2000, switchMs: 500 } as const;

function row(target: string, app: Figure | undefined, bare: Figure | undefined, limitMs: number): TargetRow {
  return {
    target,
    figure: formatMs(m(app)),
    baseline: `bare ${formatMs(m(bare))} (${formatRatio(ratio(m(app), m(bare)))})`,
    value: formatMs(m(app)),
    limit: formatMs(limitMs),
    verdict: verdict(m(app), limitMs),
  };
}

export function firstAnswerTargets(f: FirstAnswerFigures | undefined): TargetRow[] {
  const L = FIRST_ANSWER_LIMITS;
  return [
    row('(h) first visit to the first answer ≤ 5 s', f?.visit.app, f?.visit.bare, L.visitMs),
    row('(h) reload to the first answer, warm, ≤ 2 s', f?.reload.app, f?.reload.bare, L.reloadMs),
    row('(h) role switch to "Engine ready" ≤ 0.5 s', f?.roleSwitch.app, f?.roleSwitch.bare, L.switchMs),
  ];
}

/** What each missed first-answer target's time went to, as far as the run's own figures tell. */
export function firstAnswerLimits(f: FirstAnswerFigures): string[] {
  const L = FIRST_ANSWER_LIMITS;
  const notes: string[] = [];
  const v = f.visit;
  const visit = m(v.app);
  if (visit !== undefined && visit > L.visitMs) {
    const ready = m(v.appEngineReady);
    const rest = ready !== undefined ? visit - ready : undefined;
    const loaded = v.tablesBeforeAnswer;
    notes.push(
      `(h) First visit ${formatMs(visit)}: DuckDB started (first catalog step) at ${formatMs(m(v.appEngineStarted))}, "Engine ready" at ${formatMs(ready)}, then ${formatMs(rest)} to the first grid ` +
        `(the cell Running to Done ${formatMs(m(v.appCellRun))}, of which ${formatMs(m(v.appWorker))} in the engine worker; table loads before the answer span ${formatMs(m(v.appTableLoads))}` +
        `${loaded ? ` and were ${loaded.length}: ${loaded.join(', ')}, where the cell reads ${f.tables.join(', ')}` : ''}); ` +
        `the bare page shows the same answer at ${formatMs(m(v.bare))}.`,
    );
  }
  const reload = m(f.reload.app);
  if (reload !== undefined && reload > L.reloadMs) {
    const ready = m(f.reload.appEngineReady);
    notes.push(
      `(h) Reload ${formatMs(reload)}: "Engine ready" at ${formatMs(ready)}; ` +
        (f.reload.appRunAllClicks > 0
          ? `in ${f.reload.appRunAllClicks} of ${f.reload.app?.runs.length ?? 0} reloads no result was on screen when the engine was ready, so the answer waited for the engine and a new run. `
          : 'the first grid came before the engine was ready. ') +
        `The bare page reloads to its answer in ${formatMs(m(f.reload.bare))}.`,
    );
  }
  const sw = m(f.roleSwitch.app);
  if (sw !== undefined && sw > L.switchMs) {
    notes.push(
      `(h) Role switch ${formatMs(sw)} to "Engine ready" (${formatMs(m(f.roleSwitch.appToCatalog))} to the catalog step of the new role's engine); a new DuckDB-WASM instance loading the new role's ${f.tables.join(', ')} takes ${formatMs(m(f.roleSwitch.bare))} on the bare page.`,
    );
  }
  return notes;
}

export function firstAnswerSection(f: FirstAnswerFigures): string {
  const v = f.visit;
  const r = f.reload;
  const folders = Object.entries(f.folders)
    .map(([role, folder]) => `${role} \`sample-lake/${folder}\``)
    .join(', ');
  const opening = f.ranOnOpen
    ? 'The notebook ran its cells on open.'
    : `The notebook does not run its cells on open: the harness clicked "Run all" in the first frame showing "Engine ready" (${fig(v.appReadyToRun)} after it).`;
  return [
    '## (h) First answer on the site as it ships',
    '',
    `\`${f.command}\`, ${f.date}, median of ${f.runs} rounds (bare page, then notebook, each in a new browser); load average ${f.loadAverage.start.toFixed(1)} at the start, ${f.loadAverage.end.toFixed(1)} at the end; took ${f.durationSeconds} s. ` +
      `The sample lake's role folders: ${folders}. A new visitor as ${f.role} opens the site's root, which opens \`${f.notebook}\`; the first answer is the frame showing the result grid of its first SQL cell, \`${f.cell}\`, which reads ${f.tables.map((t) => `\`${t}\``).join(', ')}. ${opening}`,
    '',
    markdownTable(
      ['figure', 'notebook', 'bare page', '÷ bare'],
      [
        ['first visit to the first answer', fig(v.app), fig(v.bare), formatRatio(ratio(m(v.app), m(v.bare)))],
        ['… of which until "Engine ready"', fig(v.appEngineReady), '–', '–'],
        ['… … DuckDB started (first catalog step)', fig(v.appEngineStarted), '–', '–'],
        [
          `… table loads before the answer${v.tablesBeforeAnswer ? ` (${v.tablesBeforeAnswer.join(', ')})` : ''}, first to last`,
          fig(v.appTableLoads),
          '–',
          '–',
        ],
        ['… the cell, Running to Done', fig(v.appCellRun), '–', '–'],
        ['… the query in the engine worker', fig(v.appWorker), '–', '–'],
        ['reload to the first answer', fig(r.app), fig(r.bare), formatRatio(ratio(m(r.app), m(r.bare)))],
        ['reload to "Engine ready"', fig(r.appEngineReady), '–', '–'],
        [
          `role switch ${f.role} ⇄ ${f.otherRole} to "Engine ready" (bare: a new instance loading the tables)`,
          fig(f.roleSwitch.app),
          fig(f.roleSwitch.bare),
          formatRatio(ratio(m(f.roleSwitch.app), m(f.roleSwitch.bare))),
        ],
        [
          '… of which until the catalog step (new instance started)',
          fig(f.roleSwitch.appToCatalog),
          '–',
          '–',
        ],
      ],
    ),
    '',
    `Reloads after which the harness clicked "Run all" (nothing on screen when the engine was ready): ${r.appRunAllClicks} of ${r.app?.runs.length ?? 0}.` +
      (f.problems.length > 0 ? ` Problems: ${f.problems.join('; ')}.` : ''),
    '',
  ].join('\n');
}
