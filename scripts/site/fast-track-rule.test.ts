import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/lake/manifest.ts';
import { openDuck, queryJson, sqlString, type Duck } from '../lake/duck.ts';
import { readManifest } from '../lake/manifest-store.ts';
import { fastTrackRuleStart, RuleStartError } from './fast-track-rule.ts';
import { resolveSpecs } from './metric-packs.ts';
import { parsePolicy } from '../../src/gov/policy-schema.ts';

const lakeDir = path.resolve('public/sample-lake');
const AUDIT = 'evergreen_audit_events';
const FORMS = 'evergreen_discharge_forms';

let conn: Duck;
let manifest: Manifest;
const work: string[] = [];

beforeAll(async () => {
  conn = await openDuck();
  manifest = readManifest(lakeDir)!;
});
afterAll(() => work.forEach((d) => rmSync(d, { recursive: true, force: true })));

const fileOf = (m: Manifest, table: string) => m.tables.find((t) => t.name === table)!.files[0]!.path;

/** A lake holding the sample's forms and its audit log with the rule's event rewritten by `edit` (SQL over `{audit}`). */
async function lakeWithAudit(edit: string): Promise<{ dir: string; manifest: Manifest }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rule-start-'));
  work.push(dir);
  for (const table of [AUDIT, FORMS])
    mkdirSync(path.dirname(path.join(dir, fileOf(manifest, table))), { recursive: true });
  copyFileSync(path.join(lakeDir, fileOf(manifest, FORMS)), path.join(dir, fileOf(manifest, FORMS)));
  await conn.run(
    `COPY (SELECT * FROM (${edit.replaceAll('{audit}', `read_parquet(${sqlString(path.join(lakeDir, fileOf(manifest, AUDIT)))})`)}))
     TO ${sqlString(path.join(dir, fileOf(manifest, AUDIT)))} (FORMAT parquet)`,
  );
  return { dir, manifest };
}

describe('the Fast-Track rule start', () => {
  it('comes from the audit event that applied the rule, and warns that the first Fast-Track form is a day later', async () => {
    const [truth] = await queryJson(
      conn,
      `SELECT (SELECT strftime(min(event_time), '%Y-%m-%d') FROM read_parquet(${sqlString(path.join(lakeDir, fileOf(manifest, AUDIT)))})
                WHERE action = 'policy.enable' AND resource = 'rule:fast-track-discharge') AS audit,
              (SELECT strftime(min(submitted_at), '%Y-%m-%d') FROM read_parquet(${sqlString(path.join(lakeDir, fileOf(manifest, FORMS)))})
                WHERE fast_track) AS form`,
    );
    expect(truth).toEqual({ audit: '2025-03-01', form: '2025-03-02' });
    const rule = await fastTrackRuleStart(conn, lakeDir, manifest);
    expect(rule.date).toBe('2025-03-01');
    expect(rule.firstFormDate).toBe('2025-03-02');
    expect(rule.source).toMatch(/evergreen_audit_events: event EVE-policy-fast-track/);
    const warnings = rule.messages.filter((m) => m.level === 'warning').map((m) => m.text);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /audit log starts the Fast-Track rule on 2025-03-01.*dated 2025-03-02 \(1 day\(s\) later\)/,
    );
  });

  it('follows the audit log when the event moves, and stays quiet when the first form agrees', async () => {
    const moved = await lakeWithAudit(
      "SELECT * REPLACE (CASE WHEN action = 'policy.enable' THEN TIMESTAMP '2025-03-02 06:00:00' ELSE event_time END AS event_time) FROM {audit}",
    );
    const rule = await fastTrackRuleStart(conn, moved.dir, moved.manifest);
    expect(rule.date).toBe('2025-03-02');
    expect(rule.messages.filter((m) => m.level === 'warning')).toEqual([]);

    const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
    const { specs } = await resolveSpecs({
      conn,
      lakeDir: moved.dir,
      projectDir: '.',
      manifest: moved.manifest,
      policy,
    });
    expect(specs.intervention.date).toBe('2025-03-02');
  });

  it('refuses with a clear message when the audit log has no record of the rule, or the lake no audit log', async () => {
    const none = await lakeWithAudit("SELECT * FROM {audit} WHERE action <> 'policy.enable'");
    await expect(fastTrackRuleStart(conn, none.dir, none.manifest)).rejects.toThrow(
      /holds no policy\.enable event of rule:fast-track-discharge/,
    );
    const without = { ...manifest, tables: manifest.tables.filter((t) => t.name !== AUDIT) };
    await expect(fastTrackRuleStart(conn, lakeDir, without)).rejects.toThrow(RuleStartError);
    await expect(fastTrackRuleStart(conn, lakeDir, without)).rejects.toThrow(
      /Ingest the Evergreen audit feed/,
    );
  });
});
