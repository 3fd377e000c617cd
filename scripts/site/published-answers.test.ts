/**
 * The review's published answers (the `published_*` cells and the Markdown that states them) read only the
 * hospital's published metric views, so every reader gets the same conclusion: run here over the folders the
 * site build ships to a DataAnalyst, to a Clinician whose rows are their own wards, and to Public, they give
 * one and the same answer, and that answer is the ward the lake's simulation made game the rule. The rest of the
 * review runs for the Clinician too, on their own wards: only the audit log's check is withheld from them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/gov/policy-schema';
import { parseManifest } from '../../src/lake/manifest';
import { placeholderCells } from '../../src/notebook/markdown-values';
import type { Notebook } from '../../src/notebook/model/notebook';
import { REVIEW_NOTEBOOK_PATH } from '../../src/notebook/notebook-url';
import { readLakeNotebook, runNotebookCells, type CellResults } from '../lake/check-notebooks';
import { openDuck, sqlIdent, sqlString, type Duck } from '../lake/duck';
import { GAMING_WARD } from '../lake/evergreen/simulate';
import { writeRoleLakes, type BuiltFolder } from './role-lakes';
import { demoSessions } from './users-file';

const lakeDir = path.resolve('public/sample-lake');
const policyText = readFileSync(path.join(lakeDir, 'policy.json'), 'utf8');
const policy = parsePolicy(JSON.parse(policyText));
const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
const review = readLakeNotebook(lakeDir, REVIEW_NOTEBOOK_PATH);
const READERS = ['DataAnalyst', 'Clinician', 'Public'];

/** The published Markdown that states the answers, and the cells it (transitively) reads. */
const statement = review.cells.find(
  (c) => c.kind === 'markdown' && c.published && placeholderCells(c.text).includes('published_answer'),
);
const publishedCells: Notebook = {
  ...review,
  cells: review.cells.filter((c) => c.kind === 'sql' && c.name.startsWith('published_')),
};

let out: string;
let built: BuiltFolder[];
const answers = new Map<string, CellResults>();
/** The cells of the whole review that did not run for the Clinician. */
let clinicianProblems: string[] = [];

/** A connection with the reader's folder's tables as views, as the engine sees them. */
async function readerConnection(folder: string): Promise<Duck> {
  const conn = await openDuck();
  const catalog = parseManifest(JSON.parse(readFileSync(path.join(out, folder, 'catalog.json'), 'utf8')));
  for (const t of catalog.tables) {
    if (t.files.length === 0) continue;
    const files = t.files.map((f) => sqlString(path.join(out, folder, f.path))).join(', ');
    await conn.run(`CREATE VIEW ${sqlIdent(t.name)} AS SELECT * FROM read_parquet([${files}])`);
  }
  return conn;
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'lakebook-published-'));
  built = await writeRoleLakes(
    {
      conn: await openDuck(),
      lakeDir,
      manifest,
      policyText,
      policy,
      secret: 'published-answers-test-secret-0123456789',
      roles: READERS,
      users: demoSessions(policy),
    },
    out,
  );
  for (const role of READERS) {
    const conn = await readerConnection(built.find((b) => b.role === role)!.folder);
    const { results, problems } = await runNotebookCells(
      conn,
      role === 'Clinician' ? review : publishedCells,
    );
    if (role === 'Clinician') clinicianProblems = problems.flatMap((p) => p.cell ?? []);
    else expect(problems, role).toEqual([]);
    answers.set(role, results);
  }
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the review's published answers", () => {
  it('are stated by a published Markdown cell that reads only published_* cells, right after the findings', () => {
    expect(statement).toBeDefined();
    expect(review.cells.indexOf(statement!)).toBe(1);
    if (statement?.kind !== 'markdown') return;
    expect(placeholderCells(statement.text).every((c) => c.startsWith('published_'))).toBe(true);
    const tables = new Set(manifest.tables.map((t) => t.name));
    for (const c of publishedCells.cells)
      if (c.kind === 'sql')
        for (const t of manifest.tables)
          if (new RegExp(`\\b${t.name}\\b`).test(c.sql) && tables.has(t.name))
            expect(t.zone, `${c.name} reads ${t.name}`).toBe('metrics');
  });

  it('are the same for an analyst, a clinician filtered to their own wards, and the public', () => {
    const analyst = answers.get('DataAnalyst')!;
    expect(analyst.get('published_answer')).toHaveLength(1);
    for (const role of ['Clinician', 'Public'])
      for (const cell of ['published_months', 'published_ward_rates', 'published_answer'])
        expect(answers.get(role)!.get(cell), `${role}: ${cell}`).toEqual(analyst.get(cell));
  });

  it('leave the rest of the review to run for a clinician on their own wards: only the audit check is theirs to miss', () => {
    expect(clinicianProblems).toEqual(['rule_start_audit']);
    expect(answers.get('Clinician')!.get('index_stays')!.length).toBeGreaterThan(0);
  });

  it("name the ward that gamed the rule, whose 7-day rate rose while the rest of the hospital's fell", () => {
    const a = answers.get('Clinician')!.get('published_answer')![0]!;
    expect(a.ward).toBe(GAMING_WARD);
    expect(Number(a.ward_after_7d)).toBeGreaterThan(Number(a.ward_before_7d));
    expect(Number(a.others_after_7d)).toBeLessThan(Number(a.others_before_7d));
    expect(Number(a.rate_30d_after)).toBeLessThan(Number(a.rate_30d_before));
    // Whole months only: the edge months the data cut short are left out.
    const months = answers.get('Public')!.get('published_months')!.length;
    expect(months).toBeGreaterThanOrEqual(18);
    expect(String(a.first_month)).not.toBe('April 2024');
  });
});
