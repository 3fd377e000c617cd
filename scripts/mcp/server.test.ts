/**
 * The MCP server as a client sees it: started as a child process with the documented command and driven with
 * the SDK's own client over stdio. Its numbers are checked against the pack files, and everything it returns
 * is walked for suppressed cells and for PHI or PII.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { columnTags, type Manifest } from '../../src/lake/manifest.ts';
import {
  FORBIDDEN_PACK_TAGS,
  isNumeric,
  parseMetricPack,
  type Comparison,
  type MetricPack,
} from '../../src/lake/metric-pack.ts';
import { openDuck, queryJson, sqlIdent, type Duck } from '../lake/duck.ts';
import { registerTables } from '../lake/lake-views.ts';
import { readManifest } from '../lake/manifest-store.ts';
import { writeMetricPacks } from '../site/metric-packs.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lakeDir = path.join(projectDir, 'public/sample-lake');
const MCP_COMMAND = ['run', '-s', 'mcp', '--'];

interface Session {
  client: Client;
  stderr: () => string;
  /** Transport errors, e.g. a line on stdout that is not a protocol message. */
  errors: Error[];
}

async function startServer(args: string[]): Promise<Session> {
  const transport = new StdioClientTransport({
    command: 'npm',
    args: [...MCP_COMMAND, ...args],
    cwd: projectDir,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'lakebook-test', version: '1' });
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return { client, stderr: () => stderr, errors };
}

let conn: Duck;
let manifest: Manifest;
let packsDir: string;
let indexText: string;
let packText: Map<string, string>;
let packs: Map<string, MetricPack>;
let session: Session;

beforeAll(async () => {
  conn = await openDuck();
  manifest = readManifest(lakeDir)!;
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  packsDir = mkdtempSync(path.join(tmpdir(), 'mcp-packs-'));
  const report = await writeMetricPacks({ conn, lakeDir, projectDir, manifest, policy }, packsDir);
  indexText = readFileSync(path.join(packsDir, 'index.json'), 'utf8');
  packText = new Map(
    report.index.metrics.map((m) => [m.name, readFileSync(path.join(packsDir, m.url), 'utf8')]),
  );
  packs = new Map([...packText].map(([name, text]) => [name, parseMetricPack(JSON.parse(text))]));
  session = await startServer(['--packs', packsDir]);
});

afterAll(async () => {
  await session?.client.close();
  conn?.closeSync();
  rmSync(packsDir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const isHospital = (c: { group: Record<string, string> }) => Object.keys(c.group).length === 0;

function comparisonsOf(pack: MetricPack, measure: string): Comparison[] {
  const rows = pack.beforeAfter!.comparisons.filter((c) => c.measure === measure);
  return [...rows.filter(isHospital), ...rows.filter((c) => !isHospital(c))];
}

describe('MCP server over the packs of a built site', () => {
  it('lists the index and every pack as JSON resources, and reads them as the files are', async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(
      ['lakebook://metrics', ...[...packs.keys()].map((n) => `lakebook://metrics/${n}`)].sort(),
    );
    for (const r of resources) expect(r.mimeType).toBe('application/json');

    const index = await session.client.readResource({ uri: 'lakebook://metrics' });
    expect(index.contents).toEqual([
      { uri: 'lakebook://metrics', mimeType: 'application/json', text: indexText },
    ]);
    for (const name of packs.keys()) {
      const read = await session.client.readResource({ uri: `lakebook://metrics/${name}` });
      expect(read.contents).toEqual([
        { uri: `lakebook://metrics/${name}`, mimeType: 'application/json', text: packText.get(name) },
      ]);
    }
  });

  it('offers three read-only tools with input schemas', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['compare_groups', 'get_metric', 'list_metrics']);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      expect(t.outputSchema, t.name).toBeDefined();
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('get_metric')!.inputSchema.required).toEqual(['metric']);
    expect(Object.keys(byName.get('get_metric')!.inputSchema.properties ?? {})).toEqual([
      'metric',
      'sections',
    ]);
    expect(Object.keys(byName.get('compare_groups')!.inputSchema.properties ?? {})).toEqual([
      'metric',
      'measure',
    ]);
  });

  it('list_metrics gives each metric with its as-of time, freshness and before/after measures', async () => {
    const result = await call('list_metrics');
    expect(result.isError).toBeFalsy();
    const { metrics } = result.structuredContent as {
      metrics: {
        name: string;
        asOf: string;
        freshness: unknown;
        beforeAfter: boolean;
        measures: string[];
        groupedBy: string[];
      }[];
    };
    expect(metrics.map((m) => m.name)).toEqual([...packs.keys()]);
    for (const m of metrics) {
      const pack = packs.get(m.name)!;
      expect(m.asOf).toBe(pack.asOf);
      expect(m.freshness).toEqual(pack.freshness);
      expect(m.beforeAfter).toBe(pack.beforeAfter !== undefined);
      expect(m.measures).toEqual([...new Set(pack.beforeAfter?.comparisons.map((c) => c.measure) ?? [])]);
      expect(text(result)).toContain(m.name);
    }
    // The readmission metric counts by day, yet compare_groups breaks it down by ward.
    expect(metrics.find((m) => m.name === 'readmission_30d')!.groupedBy).toEqual(['ward']);
    expect(text(result)).toMatch(/readmission_30d \(as of [^)]*, by ward\)/);
    expect(metrics.filter((m) => m.beforeAfter).length).toBeGreaterThan(1);
  });

  it('get_metric returns the pack as its file has it, or only the sections asked for', async () => {
    for (const [name, pack] of packs) {
      const result = await call('get_metric', { metric: name });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual(JSON.parse(packText.get(name)!));
      expect(text(result)).toContain(`${pack.latest.suppressedRows} suppressed`);
      expect(result.content).toContainEqual(
        expect.objectContaining({ type: 'resource_link', uri: `lakebook://metrics/${name}` }),
      );
    }
    const some = await call('get_metric', { metric: 'los_by_ward', sections: ['freshness', 'beforeAfter'] });
    const pack = packs.get('los_by_ward')!;
    expect(some.structuredContent).toEqual({
      name: 'los_by_ward',
      freshness: pack.freshness,
      beforeAfter: pack.beforeAfter,
    });
  });

  it('compare_groups sets the hospital and each ward side by side with the numbers of the pack', async () => {
    let against = 0;
    for (const pack of [...packs.values()].filter((p) => p.beforeAfter)) {
      for (const measure of new Set(pack.beforeAfter!.comparisons.map((c) => c.measure))) {
        const result = await call('compare_groups', { metric: pack.name, measure });
        expect(result.isError, text(result)).toBeFalsy();
        const out = result.structuredContent as {
          measure: string;
          intervention: unknown;
          groups: (Comparison & {
            label: string;
            direction?: string;
            againstHospital?: boolean;
            standsOut?: boolean;
          })[];
          caveats: string[];
        };
        expect(out.measure).toBe(measure);
        expect(out.intervention).toEqual(pack.beforeAfter!.intervention);
        expect(out.caveats).toEqual(pack.caveats);
        const expected = comparisonsOf(pack, measure);
        expect(out.groups).toHaveLength(expected.length);
        const hospital = expected[0]!;
        expect(isHospital(hospital)).toBe(true);
        out.groups.forEach((g, i) => {
          const c = expected[i]!;
          expect(g.group).toEqual(c.group);
          expect(g.suppressed).toBe(c.suppressed);
          expect(g.before).toEqual(c.before);
          expect(g.after).toEqual(c.after);
          expect(g.difference).toBe(c.difference);
          expect(g.ci95).toEqual(c.ci95);
          expect(g.source).toEqual(c.source);
          expect(g.versusRest).toEqual(c.versusRest);
          expect(g.standsOut).toBe(c.versusRest?.standsOut);
          expect(g.label).toBe(i === 0 ? 'hospital-wide' : `ward ${c.group.ward}`);
          if (c.difference === undefined) return;
          expect(g.direction).toBe(c.difference > 0 ? 'up' : c.difference < 0 ? 'down' : 'none');
          if (i === 0 || hospital.difference === undefined) return;
          const opposite = Math.sign(c.difference) * Math.sign(hospital.difference) === -1;
          expect(g.againstHospital, `${pack.name} ${measure} ${g.label}`).toBe(opposite);
          if (opposite) {
            against++;
            expect(text(result)).toMatch(new RegExp(`other way than the hospital: .*${g.label}`));
          }
        });
      }
    }
    // The sample has wards that move against the hospital (General Medicine and Surgery on bed alarms).
    expect(against).toBeGreaterThan(0);
  });

  it("compare_groups on the readmission metric sets the wards beside the hospital and flags Respiratory's 7-day rise", async () => {
    const result = await call('compare_groups', {
      metric: 'readmission_30d',
      measure: 'readmission_rate_7d',
    });
    expect(result.isError, text(result)).toBeFalsy();
    const out = result.structuredContent as {
      groups: (Comparison & { label: string; direction?: string; standsOut?: boolean })[];
    };
    expect(out.groups.map((g) => g.label)).toEqual([
      'hospital-wide',
      ...['Cardiology', 'General Medicine', 'Oncology', 'Orthopaedics', 'Respiratory', 'Surgery'].map(
        (w) => `ward ${w}`,
      ),
    ]);
    const respiratory = out.groups.find((g) => g.label === 'ward Respiratory')!;
    expect(respiratory).toMatchObject({ direction: 'up', standsOut: true, worse: 'higher' });
    expect(respiratory.source).toEqual({
      metric: 'readmission_30d_by_ward',
      periodColumn: 'discharge_month',
    });
    expect(respiratory.difference).toBeGreaterThan(0.05);
    expect(respiratory.ci95!.low).toBeGreaterThan(0);
    expect(respiratory.versusRest!.difference).toBeGreaterThan(0.06);
    expect(respiratory.versusRest!.adjustedPValue).toBeLessThan(0.001);
    expect(out.groups.filter((g) => g.standsOut).map((g) => g.label)).toEqual(['ward Respiratory']);
    expect(text(result)).toContain(
      'Standing out against the other groups (Holm-adjusted p < 0.05 over 6, the worse way): ward Respiratory.',
    );
    expect(text(result)).toMatch(
      /ward Respiratory: [\d.]+% → [\d.]+%, \+[\d.]+ points .*against the other groups .*Holm-adjusted p < 0\.001\) \[from readmission_30d_by_ward, by discharge_month\]/,
    );

    // The 30-day rate: the hospital falls, Respiratory rises, and says so.
    const thirty = await call('compare_groups', {
      metric: 'readmission_30d',
      measure: 'readmission_rate_30d',
    });
    const groups = (
      thirty.structuredContent as {
        groups: { label: string; direction?: string; againstHospital?: boolean; standsOut?: boolean }[];
      }
    ).groups;
    expect(groups[0]).toMatchObject({ label: 'hospital-wide', direction: 'down' });
    expect(groups.find((g) => g.label === 'ward Respiratory')).toMatchObject({
      direction: 'up',
      againstHospital: true,
      standsOut: true,
    });
    expect(text(thirty)).toMatch(/Moving the other way than the hospital: ward Respiratory\./);
  });

  it('the hospital-wide answer carries the caveats: definition, window, clustering, suppression, design', async () => {
    const pack = packs.get('readmission_30d')!;
    const expectCaveats = (r: CallToolResult) => {
      const all = text(r);
      expect(all).toContain('Caveats:');
      for (const c of pack.caveats) expect(all).toContain(`- ${c}`);
      expect(all).toMatch(/Definition: a readmission is/);
      expect(all).toMatch(/admitted on or after 2024-04-01 and discharged on or before 2026-04-22/);
      expect(all).toMatch(/treat every stay as independent/);
      expect(all).toMatch(/fewer than 11 patients/);
      expect(all).toMatch(/Not risk-adjusted/);
      expect(all).toMatch(/no concurrent control group/);
    };
    const compared = await call('compare_groups', {
      metric: 'readmission_30d',
      measure: 'readmission_rate_30d',
    });
    expect((compared.structuredContent as { caveats: string[] }).caveats).toEqual(pack.caveats);
    expectCaveats(compared);
    const got = await call('get_metric', { metric: 'readmission_30d', sections: ['beforeAfter'] });
    expectCaveats(got);
    expect(text(got)).toMatch(/Broken down by ward in readmission_30d_by_ward/);
    const whole = await call('get_metric', { metric: 'readmission_30d', sections: ['caveats', 'columns'] });
    expect(whole.structuredContent).toMatchObject({ caveats: pack.caveats });
    const columns = (
      whole.structuredContent as { columns: { name: string; unit: string; description: string }[] }
    ).columns;
    expect(columns.find((c) => c.name === 'readmission_rate_30d')).toMatchObject({
      unit: 'proportion (0–1)',
      numerator: 'n_readmitted_30d',
      denominator: 'n_index_stays',
    });
  });

  it('answers an unknown metric or measure with a tool error that names the valid choices', async () => {
    const unknown = await call('get_metric', { metric: 'no_such_metric' });
    expect(unknown.isError).toBe(true);
    for (const name of packs.keys()) expect(text(unknown)).toContain(name);

    const noSummary = await call('compare_groups', { metric: 'mimic_readmission_30d' });
    expect(noSummary.isError).toBe(true);
    expect(text(noSummary)).toMatch(/no before\/after summary.*readmission_30d/);

    const badMeasure = await call('compare_groups', { metric: 'early_discharge_flags', measure: 'nope' });
    expect(badMeasure.isError).toBe(true);
    for (const m of ['flagged_share', 'after_bed_alarm_6h_share', 'fast_track_share'])
      expect(text(badMeasure)).toContain(m);

    const noMeasure = await call('compare_groups', { metric: 'early_discharge_flags' });
    expect(noMeasure.isError).toBe(true);
    expect(text(noMeasure)).toContain('flagged_share');
    const onlyMeasure = await call('compare_groups', { metric: 'los_by_ward' });
    expect(onlyMeasure.isError).toBeFalsy();

    const badSection = await call('get_metric', { metric: 'los_by_ward', sections: ['rows_of_patients'] });
    expect(badSection.isError).toBe(true);
  });
});

describe('what the MCP server never returns', () => {
  /** Every answer the server gives: each resource, and each tool for every metric and measure. */
  let outputs: unknown[];
  beforeAll(async () => {
    const { client } = session;
    outputs = [await client.listResources(), await client.listTools(), await call('list_metrics')];
    for (const { uri } of (await client.listResources()).resources)
      outputs.push(await client.readResource({ uri }));
    for (const pack of packs.values()) {
      outputs.push(await call('get_metric', { metric: pack.name }));
      outputs.push(await call('get_metric', { metric: pack.name, sections: ['latest', 'beforeAfter'] }));
      for (const measure of new Set(pack.beforeAfter?.comparisons.map((c) => c.measure) ?? []))
        outputs.push(await call('compare_groups', { metric: pack.name, measure }));
    }
    outputs.push(await call('compare_groups', { metric: 'no_such_metric' }));
  });

  it('returns no number of a suppressed row, in any shape', () => {
    let checked = 0;
    for (const pack of packs.values()) {
      const measures = pack.columns.filter((c) => isNumeric(c.type)).map((c) => c.name);
      const dimensions = pack.columns.filter((c) => !isNumeric(c.type)).map((c) => c.name);
      for (const row of pack.latest.rows.filter((r) => r.suppressed)) {
        const key = dimensions.map((d) => row.values[d]);
        for (const o of objects(outputs)) {
          if (!dimensions.every((d, i) => o[d] === key[i])) continue;
          checked++;
          for (const m of measures) expect(o[m] ?? null, `${pack.name} ${key.join('/')} ${m}`).toBeNull();
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    for (const o of objects(outputs)) {
      if (o.suppressed !== true) continue;
      for (const field of ['before', 'after', 'difference', 'ci95']) expect(o[field]).toBeUndefined();
    }
  });

  it('returns no column tagged PHI or PII, and no value of one', async () => {
    const schemaKeys = new Set<string>();
    for (const t of (await session.client.listTools()).tools)
      collectPropertyNames(t.outputSchema, schemaKeys);
    for (const file of ['docs/metric-pack.schema.json', 'docs/metric-pack-index.schema.json'])
      collectPropertyNames(JSON.parse(readFileSync(path.join(projectDir, file), 'utf8')), schemaKeys);
    const published = new Set(
      manifest.tables
        .filter((t) => t.zone === 'metrics')
        .flatMap((t) => t.columns.filter((c) => !isSensitive(columnTags(t, c))).map((c) => c.name)),
    );
    const sensitive = manifest.tables.flatMap((t) =>
      t.columns.filter((c) => isSensitive(columnTags(t, c))).map((c) => ({ table: t, column: c.name })),
    );
    // Names that are also a public metric column or a field of the format are not, as keys, a leak.
    const forbiddenKeys = new Set(
      sensitive.map((s) => s.column).filter((n) => !published.has(n) && !schemaKeys.has(n)),
    );
    expect(forbiddenKeys).toContain('patient_id');
    expect(forbiddenKeys).toContain('ssn');
    for (const o of objects(outputs))
      for (const key of Object.keys(o)) expect(forbiddenKeys.has(key), `key ${key}`).toBe(false);

    const values = await sensitiveValues(sensitive.filter((s) => forbiddenKeys.has(s.column)));
    expect(values.size).toBeGreaterThan(1000);
    for (const leaf of strings(outputs)) expect(values.has(leaf), `value ${leaf}`).toBe(false);
  });
});

describe('MCP server output channel', () => {
  it('writes nothing to stdout but protocol messages', () => {
    expect(session.errors).toEqual([]);
    expect(session.stderr()).toContain(`Serving ${packs.size} metric packs from ${packsDir}`);
  });
});

describe('MCP server without --packs', () => {
  it('builds the sample lake packs at start and serves the same numbers', async () => {
    const own = await startServer([]);
    try {
      const list = (await own.client.callTool({ name: 'list_metrics', arguments: {} })) as CallToolResult;
      const names = (list.structuredContent as { metrics: { name: string }[] }).metrics.map((m) => m.name);
      expect(names).toEqual([...packs.keys()]);
      const pack = await own.client.callTool({
        name: 'get_metric',
        arguments: { metric: 'readmission_30d' },
      });
      expect(pack.structuredContent).toEqual(JSON.parse(packText.get('readmission_30d')!));
      expect(own.errors).toEqual([]);
      expect(own.stderr()).toContain('from the sample lake');
    } finally {
      await own.client.close();
    }
  });
});

describe('MCP server with a bad packs folder', () => {
  const run = (dir: string) =>
    spawnSync('npm', [...MCP_COMMAND, '--packs', dir], { cwd: projectDir, input: '', encoding: 'utf8' });

  it('stops with exit code 2 and says what is wrong for a missing folder', () => {
    const missing = path.join(tmpdir(), 'lakebook-no-such-packs');
    const r = run(missing);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${missing} is not a folder`);
    expect(r.stderr).toContain('npm run build');
  });

  it('refuses a folder whose pack carries a suppressed number, and serves nothing of it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-bad-packs-'));
    try {
      cpSync(packsDir, dir, { recursive: true });
      const pack = JSON.parse(packText.get('los_by_ward')!) as MetricPack;
      pack.latest.rows.find((r) => r.suppressed)!.values.n_patients = 7;
      writeFileSync(path.join(dir, 'los_by_ward.json'), JSON.stringify(pack));
      const r = run(dir);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('los_by_ward.json may not be served: 1 suppressed rows still carry numbers');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function isSensitive(tags: readonly string[]): boolean {
  return tags.some((t) => (FORBIDDEN_PACK_TAGS as readonly string[]).includes(t));
}

/** Every object inside the outputs, with resource texts parsed as the JSON they are. */
function* objects(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) yield* objects(v);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    yield o;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'text' && typeof v === 'string' && 'mimeType' in o) yield* objects(JSON.parse(v));
      else yield* objects(v);
    }
  }
}

function* strings(value: unknown): Generator<string> {
  for (const o of objects(value)) for (const v of Object.values(o)) if (typeof v === 'string') yield v;
}

function collectPropertyNames(schema: unknown, into: Set<string>): void {
  for (const o of objects(schema))
    if (o.properties && typeof o.properties === 'object')
      for (const key of Object.keys(o.properties)) into.add(key);
}

/**
 * Text values of the lake's PHI and PII columns that could only come from a record: identifiers, names,
 * addresses. Short codes and bare dates are left out, as they also occur as published group values.
 */
async function sensitiveValues(columns: { table: { name: string; zone: string }; column: string }[]) {
  const values = new Set<string>();
  const curated = columns.filter((c) => c.table.zone === 'curated');
  await registerTables(conn, lakeDir, manifest, [...new Set(curated.map((c) => c.table.name))]);
  for (const { table, column } of curated) {
    const rows = await queryJson(
      conn,
      `SELECT DISTINCT CAST(${sqlIdent(column)} AS VARCHAR) AS v FROM ${sqlIdent(table.name)}
       WHERE length(CAST(${sqlIdent(column)} AS VARCHAR)) >= 6`,
    );
    for (const { v } of rows) if (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) values.add(v);
  }
  // A value the lake itself publishes in a metric (a ward's name in a PHI column too) is not a leak.
  const metrics = manifest.tables.filter((t) => t.zone === 'metrics');
  await registerTables(
    conn,
    lakeDir,
    manifest,
    metrics.map((t) => t.name),
  );
  for (const t of metrics)
    for (const c of t.columns.filter((c) => !isSensitive(columnTags(t, c)))) {
      const rows = await queryJson(
        conn,
        `SELECT DISTINCT CAST(${sqlIdent(c.name)} AS VARCHAR) AS v FROM ${sqlIdent(t.name)}`,
      );
      for (const { v } of rows) if (typeof v === 'string') values.delete(v);
    }
  return values;
}
