import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditFile, verifyLog } from './audit-file.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lakebook-audit-'));
  file = path.join(dir, 'audit.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const decision = (statement: string) => ({
  action: 'query' as const,
  user: 'ana.lyst',
  role: 'DataAnalyst',
  time: '2026-12-05T20:00:00.000Z',
  statement,
  decision: 'allow' as const,
  objects: ['admissions'],
  rules: [],
  tags: ['PHI'],
  rows: 1,
  durationMs: 3,
});

async function threeEntries(): Promise<void> {
  const log = await AuditFile.open(file);
  await Promise.all(['SELECT 1', 'SELECT 2', 'SELECT 3'].map((sql) => log.append(decision(sql))));
}

describe('the server audit log', () => {
  it('chains appends made at once, in order, and continues the chain after a restart', async () => {
    await threeEntries();
    const again = await AuditFile.open(file);
    await again.append(decision('SELECT 4'));
    expect(again.entriesAfter(undefined).map((e) => [e.seq, e.statement])).toEqual([
      [0, 'SELECT 1'],
      [1, 'SELECT 2'],
      [2, 'SELECT 3'],
      [3, 'SELECT 4'],
    ]);
    expect(await verifyLog(file)).toMatchObject({ ok: true, entries: 4 });
  });

  it('finds an edited entry, and refuses to extend the log', async () => {
    await threeEntries();
    writeFileSync(file, readFileSync(file, 'utf8').replace('SELECT 2', 'SELECT 9'));
    const report = await verifyLog(file);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.index)).toContain(1);
    await expect(AuditFile.open(file)).rejects.toThrow(/does not verify/);
  });

  it('finds entries cut from the end, by the head kept beside the log', async () => {
    await threeEntries();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, lines.slice(0, 2).join('\n') + '\n');
    const report = await verifyLog(file);
    expect(report.ok).toBe(false);
    expect(report.problems.at(-1)?.problem).toMatch(/missing/);
  });
});
