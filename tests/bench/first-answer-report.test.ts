import { describe, expect, it } from 'vitest';
import {
  firstAnswerLimits,
  firstAnswerSection,
  firstAnswerTargets,
} from '../../bench/report/first-answer-section.ts';
import { renderMarkdown } from '../../bench/report/markdown.ts';
import type { BenchResults, FirstAnswerFigures } from '../../bench/report/results.ts';

const f = (...runs: number[]) => ({ runs, median: [...runs].sort((a, b) => a - b)[(runs.length - 1) / 2]! });

function figures(): FirstAnswerFigures {
  return {
    date: '2026-01-01T00:00:00.000Z',
    command: 'npm run bench -- --first-answer --runs 3',
    runs: 3,
    role: 'DataAnalyst',
    otherRole: 'Clinician',
    folders: { DataAnalyst: 'roles/data-analyst/', Clinician: 'roles/clinician-1/' },
    notebook: 'notebooks/review.lakebook.json',
    cell: 'data_window',
    sql: 'SELECT 1 FROM evergreen_admissions',
    tables: ['evergreen_admissions'],
    ranOnOpen: false,
    visit: {
      app: f(6000, 7000, 8000),
      appEngineReady: f(4000, 4500, 5000),
      appEngineStarted: f(3000, 3500, 4000),
      appTableLoads: f(1000, 1200, 1400),
      tablesBeforeAnswer: ['evergreen_admissions', 'wards'],
      appReadyToRun: f(1, 1, 1),
      appCellRun: f(2000, 2000, 2000),
      appWorker: f(100, 100, 100),
      bare: f(5000, 5000, 5000),
    },
    reload: {
      app: f(1500, 1800, 1900),
      appEngineReady: f(1000, 1000, 1000),
      appRunAllClicks: 3,
      bare: f(900, 1000, 1100),
    },
    roleSwitch: { app: f(400, 600, 800), bare: f(1000, 1000, 1000) },
    loadAverage: { start: 3.2, end: 4.1 },
    durationSeconds: 100,
    problems: [],
  };
}

describe('first-answer report', () => {
  it('judges each target by its absolute limit and shows the bare page with the ratio beside it', () => {
    const rows = firstAnswerTargets(figures());
    expect(rows.map((r) => r.verdict)).toEqual(['miss', 'pass', 'miss']);
    expect(rows[0]).toMatchObject({ figure: '7000 ms', baseline: 'bare 5000 ms (1.40×)', limit: '5000 ms' });
    expect(rows[1]!.baseline).toBe('bare 1000 ms (1.80×)');
  });

  it('says a phase that did not run was not measured', () => {
    expect(firstAnswerTargets(undefined).map((r) => r.verdict)).toEqual([
      'not measured',
      'not measured',
      'not measured',
    ]);
  });

  it('splits a missed first visit into the wait for the engine and what came after it', () => {
    const notes = firstAnswerLimits(figures());
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain(
      'DuckDB started (first catalog step) at 3500 ms, "Engine ready" at 4500 ms, then 2500 ms to the first grid',
    );
    expect(notes[0]).toContain(
      'were 2: evergreen_admissions, wards, where the cell reads evergreen_admissions',
    );
    expect(notes[1]).toContain('Role switch 600 ms');
    const reloadMiss = { ...figures(), reload: { ...figures().reload, app: f(2500, 2600, 2700) } };
    expect(firstAnswerLimits(reloadMiss)[1]).toContain('in 3 of 3 reloads no result was on screen');
  });

  it('lays the section out as one table row per figure and says how the notebook was run', () => {
    const text = firstAnswerSection(figures());
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(2 + 10);
    expect(text).toContain(
      '| … table loads before the answer (evergreen_admissions, wards), first to last | 1200 ms (3) | – | – |',
    );
    expect(text).toContain('the harness clicked "Run all"');
    expect(text).toContain('| first visit to the first answer | 7000 ms (3) | 5000 ms (3) | 1.40× |');
    expect(firstAnswerSection({ ...figures(), ranOnOpen: true })).toContain('ran its cells on open');
  });

  it('puts its rows in the Targets table and its section and misses into RESULTS.md', () => {
    const results: BenchResults = {
      date: '2026-01-01T00:00:00.000Z',
      command: 'npm run bench',
      quick: false,
      runs: 3,
      machine: { cpus: 2, cpuModel: 'test cpu', memoryGiB: 8, os: 'Linux' },
      versions: {},
      durationSeconds: 1,
      coldStart: { query: 'SELECT 1' },
      scales: [],
      firstAnswer: figures(),
      notes: [],
    };
    const text = renderMarkdown(results);
    const targets = text.slice(text.indexOf('## Targets'), text.indexOf('## (a)'));
    expect(targets).toContain('| (h) first visit to the first answer ≤ 5 s | 7000 ms |');
    expect(text.indexOf('## (h) First answer')).toBeGreaterThan(text.indexOf('## (g) First visit'));
    const misses = text.slice(text.indexOf('## What limits the misses'));
    expect(misses).toContain('(h) First visit 7000 ms');
    expect(renderMarkdown({ ...results, firstAnswer: undefined })).not.toContain('## (h)');
  });
});
