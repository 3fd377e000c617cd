import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import {
  findSecret,
  guardOn,
  leakySession,
  RAW_HADM_IDS,
  RAW_SUBJECT_IDS,
  readCorpus,
  runAllowed,
  SECRET_NAMES,
  SECRET_SSNS,
} from './instances';

/**
 * Mutated allowed and denied queries through the guard, for the Public role on an instance that holds every
 * table (the guard is the only wall): the guard never throws, and never allows a statement that reads a
 * table Public may not see or returns a planted secret. GOV_FUZZ_RUNS sets the number of runs
 * (the reliability suite runs 10,000 and more).
 */

const RUNS = Number(process.env.GOV_FUZZ_RUNS ?? 200);
const FORBIDDEN = ['patients', 'admissions', 'transfers', 'audit_notes'];
const SECRETS = [...SECRET_SSNS, ...SECRET_NAMES, ...RAW_SUBJECT_IDS, ...RAW_HADM_IDS];

const allowed = [
  'SELECT * FROM readmission_30d',
  'SELECT ward, sum(n_patients) AS n FROM readmission_30d GROUP BY ward',
  'FROM cms_hrrp SELECT measure_name, excess_readmission_ratio',
  'WITH x AS (SELECT * FROM readmission_30d) SELECT * FROM x WHERE rate > 0.1',
  'SELECT r.ward, c.facility_id FROM readmission_30d r, cms_hrrp c LIMIT 5',
  'SELECT * FROM range(5) t(i) JOIN readmission_30d ON i = n_patients',
  "PIVOT readmission_30d ON ward IN ('MICU', 'SICU') USING sum(n_patients)",
  'SELECT day, rate, avg(rate) OVER (ORDER BY day ROWS 3 PRECEDING) FROM readmission_30d',
];
const denied = [
  ...readCorpus(new URL('./bypass-corpus.sql', import.meta.url)),
  ...readCorpus(new URL('./extra-attacks.sql', import.meta.url)),
].map((a) => a.sql);

const fragments = [
  ';',
  '--',
  '/*',
  '*/',
  "'",
  '"',
  '$$',
  '(',
  ')',
  ',',
  '\n',
  ' patients ',
  ' "patients" ',
  ' main.patients ',
  ' UNION ALL SELECT * FROM patients ',
  ' JOIN patients ON true ',
  ' WHERE EXISTS (SELECT 1 FROM admissions) ',
  " query_table('patients') ",
  " read_csv('x.csv') ",
  ' getvariable(1) ',
  ' duckdb_tables() ',
  'SELECT',
  'FROM',
  'SET ',
  'COPY ',
  'ATTACH ',
  'PRAGMA ',
  '\u0000',
  'é',
  '𝔭',
];

const seed = fc.constantFrom(...allowed, ...denied);
const at = (s: string, f: number) => Math.floor(f * (s.length + 1));

const mutation: fc.Arbitrary<(s: string) => string> = fc.oneof(
  fc.tuple(fc.constantFrom(...fragments), fc.double({ min: 0, max: 1, noNaN: true })).map(
    ([frag, f]) =>
      (s: string) =>
        s.slice(0, at(s, f)) + frag + s.slice(at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 12 })).map(
    ([f, n]) =>
      (s: string) =>
        s.slice(0, at(s, f)) + s.slice(at(s, f) + n),
  ),
  fc.constantFrom(
    (s: string) => s.toUpperCase(),
    (s: string) => s.replaceAll('readmission_30d', 'patients'),
    (s: string) => s.replaceAll('patients', 'PaTiEnTs'),
    (s: string) => s.replaceAll(' ', '/**/'),
  ),
  seed.map((other) => (s: string) => `${s}; ${other}`),
);

const input = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(seed, fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([s, ms]) => ms.reduce((acc, m) => m(acc), s)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
);

describe('guard under mutated queries', () => {
  let leaky: DuckSession;
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    leaky = await leakySession();
    guard = guardOn(
      leaky,
      buildRoleView(
        testPolicy,
        testManifest,
        { user: 'fuzz', role: 'Public', attributes: {} },
        testViewOptions,
      ),
    );
  });

  it(`never crashes and never allows a forbidden read (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(input, async (sql) => {
        const d = await guard(sql);
        expect(['allow', 'deny']).toContain(d.decision);
        if (d.decision === 'deny') return;
        expect(d.objects.filter((o) => FORBIDDEN.includes(o))).toEqual([]);
        expect(findSecret(await runAllowed(leaky, d), SECRETS)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});
