import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import type { RoleView } from '../../src/gov/types';
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
  stagingSession,
  userSession,
} from './instances';

/**
 * Every attack of the research corpus (renamed to the sample lake) and of our own list is refused, or runs
 * without returning a forbidden value. Two attackers: Public (patient tables hidden) and DataAnalyst
 * (identifiers hidden, keys hashed). Each runs on its real user instance; Public also on a "leaky"
 * instance that holds every table, so the guard alone must hold the line.
 */

const attacks = [
  ...readCorpus(new URL('./bypass-corpus.sql', import.meta.url)),
  ...readCorpus(new URL('./extra-attacks.sql', import.meta.url)),
];
const SECRETS = [...SECRET_SSNS, ...SECRET_NAMES, ...RAW_SUBJECT_IDS, ...RAW_HADM_IDS];
const FORBIDDEN_FOR_PUBLIC = ['patients', 'admissions', 'transfers', 'audit_notes'];

function view(role: string): RoleView {
  return buildRoleView(
    testPolicy,
    testManifest,
    { user: 'mallory', role, attributes: { wards: ['MICU'] } },
    testViewOptions,
  );
}

describe('bypass corpus', () => {
  let staging: DuckSession;
  beforeAll(async () => {
    staging = await stagingSession();
  });

  it('has the whole research corpus and the extra attacks', () => {
    expect(attacks.length).toBe(68 + 48);
  });

  for (const role of ['Public', 'DataAnalyst']) {
    describe(`${role} on its own user instance`, () => {
      let user: DuckSession;
      let guard: ReturnType<typeof guardOn>;
      beforeAll(async () => {
        user = await userSession(view(role), staging);
        guard = guardOn(user, view(role));
      });
      for (const a of attacks) {
        it(`${a.technique}: ${a.sql.replaceAll('\n', ' ')}`, async () => {
          const d = await guard(a.sql);
          if (d.decision === 'deny') {
            expect(d.reason).toBeTruthy();
            return;
          }
          expect(findSecret(await runAllowed(user, d), SECRETS)).toBeUndefined();
          if (role === 'Public')
            expect(d.objects.filter((o) => FORBIDDEN_FOR_PUBLIC.includes(o))).toEqual([]);
        });
      }
    });
  }

  describe('Public with the guard as the only wall', () => {
    let leaky: DuckSession;
    let guard: ReturnType<typeof guardOn>;
    beforeAll(async () => {
      leaky = await leakySession();
      guard = guardOn(leaky, view('Public'));
    });
    for (const a of attacks) {
      it(`${a.technique}: ${a.sql.replaceAll('\n', ' ')}`, async () => {
        const d = await guard(a.sql);
        if (d.decision === 'deny') return;
        expect(d.objects.filter((o) => FORBIDDEN_FOR_PUBLIC.includes(o))).toEqual([]);
        expect(findSecret(await runAllowed(leaky, d), SECRETS)).toBeUndefined();
      });
    }
  });

  it('names the rule, the object and what to do when a hidden column is asked for', async () => {
    const v = view('DataAnalyst');
    const user = await userSession(v, staging);
    const d = await guardOn(user, v)('SELECT p.ssn FROM patients AS p');
    expect(d).toMatchObject({ decision: 'deny', code: 'DENIED', rule: 'column-grant' });
    expect(d.reason).toBe(
      'DataAnalyst may not read column patients.ssn (PHI): deny rule "direct identifiers" of role DataAnalyst. Leave the column out, or ask for a role that may read it: DataSteward, Admin.',
    );
    expect(d.rules).toEqual(['column-grant: deny rule "direct identifiers" of role DataAnalyst']);
    const t = await guardOn(user, view('Public'))('SELECT * FROM patients');
    expect(t.reason).toBe(
      'Public may not read table patients (PHI): aggregateOnly of role Public (only tables with small-cell suppression, and exempt ones). Ask for a role that may read it: DataAnalyst, Clinician, Auditor, DataSteward, Admin.',
    );
    expect(t.rule).toBe('table-grant');
  });
});
