import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFolder, tableTier } from '../../src/lake/layout.ts';
import { parseMetricDefinition, type MetricDefinition } from '../../src/lake/metric-definition.ts';
import { queryJson, queryNumber, sqlString, type Duck } from './duck.ts';
import { runMetricSandboxed } from './metric-sandbox.ts';
import { readManifest, upsertTable, writeManifest } from './manifest-store.ts';
import { describeParquet, writeParquet } from './parquet-file.ts';
import { sha256Of } from './atomic-file.ts';
import { tableEntry } from './table-entry.ts';

export interface MetricReport {
  metric: string;
  rows: number;
  snapshot?: string;
  /** Set when `ifChanged` found the same values as the latest snapshot. */
  unchanged?: boolean;
}

export function loadMetricDefinitions(
  metricsDir: string,
): { file: string; definition: MetricDefinition; sha256: string }[] {
  return readdirSync(metricsDir)
    .filter((n) => n.endsWith('.sql'))
    .sort()
    .map((n) => {
      const bytes = readFileSync(path.join(metricsDir, n));
      return {
        file: n,
        definition: parseMetricDefinition(bytes.toString('utf8'), n),
        sha256: sha256Of(bytes),
      };
    });
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');

/**
 * Rebuilds every metric view and appends its result as a new snapshot file with an `as_of` column. Earlier
 * snapshot files are never rewritten. Only the declared upstream tables are visible to a definition, so the
 * recorded lineage cannot be incomplete. All views get a snapshot of the same `as_of`: the policy links
 * views for small-cell suppression by snapshot (`smallCellLinks`, `sameIn: as_of`), so a view rebuilt alone
 * would escape its links. `ifChanged` therefore skips the rebuild only when no view's values changed.
 */
export async function rebuildMetrics(
  conn: Duck,
  lakeDir: string,
  metricsDir: string,
  definitionPrefix: string,
  asOf: Date,
  options: { ifChanged?: boolean } = {},
): Promise<MetricReport[]> {
  let manifest = readManifest(lakeDir);
  if (!manifest) throw new Error(`No catalog.json in ${lakeDir}: run the catalog command first.`);
  const asOfIso = asOf.toISOString();
  const built: {
    file: string;
    def: MetricDefinition;
    sha256: string;
    result: string;
    rows: number;
    same: boolean;
  }[] = [];
  for (const [i, { file, definition: def, sha256 }] of loadMetricDefinitions(metricsDir).entries()) {
    const result = `fresh_${i}`;
    await runMetricSandboxed(conn, lakeDir, manifest, file, def, result);
    await checkDocumentedColumns(conn, file, def, result);
    const old = manifest.tables.find((t) => t.name === def.metric);
    const rows = await queryNumber(conn, `SELECT count(*) FROM ${result}`);
    let same = false;
    if (old && old.files.length > 0) {
      await checkSameColumns(conn, def.metric, result, old.columns);
      same = await sameAsLatest(
        conn,
        lakeDir,
        result,
        old.files.map((f) => f.path),
        old.asOf,
      );
    }
    built.push({ file, def, sha256, result, rows, same });
  }
  const skip = options.ifChanged === true && built.every((b) => b.same);
  const taken = manifest.tables.find((t) =>
    t.files.some((f) => f.path.endsWith(`/snapshot-${stamp(asOfIso)}.parquet`)),
  );
  if (!skip && taken)
    throw new Error(
      `${taken.name} already has a snapshot as of ${asOfIso}, and snapshots are never rewritten: rebuild with a later --as-of.`,
    );
  const reports: MetricReport[] = [];
  for (const { file, def, sha256, result, rows } of built) {
    const old = manifest.tables.find((t) => t.name === def.metric);
    const lineage = {
      upstream: def.upstream,
      definition: `${definitionPrefix}${file}`,
      definitionSha256: sha256,
    };
    if (skip && old) {
      // The same values from an edited file: the latest snapshot is what the file now gives, so the entry
      // takes the file's checksum and header text without a new snapshot.
      const next = {
        ...old,
        description: def.description,
        owner: def.owner,
        lineage,
        columns: old.columns.map((c) => {
          const doc = def.columns.find((d) => d.name === c.name);
          return doc ? { ...c, description: doc.description } : c;
        }),
      };
      if (JSON.stringify(next) !== JSON.stringify(old))
        manifest = upsertTable(manifest, { ...next, updatedAt: asOfIso });
      reports.push({ metric: def.metric, rows, unchanged: true });
      continue;
    }
    const tier = tableTier({ tags: def.tags, columns: [] });
    const rel = `${tableFolder(tier, 'metrics', def.metric)}/snapshot-${stamp(asOfIso)}.parquet`;
    await writeParquet(
      conn,
      `SELECT ${timestampLiteral(asOfIso)} AS as_of, * FROM ${result}`,
      path.join(lakeDir, rel),
    );
    const files = [...(old?.files.map((f) => f.path) ?? []), rel];
    const facts = await Promise.all(files.map((f) => describeParquet(conn, lakeDir, f)));
    const entry = tableEntry(
      {
        name: def.metric,
        zone: 'metrics',
        description: def.description,
        owner: def.owner,
        source: `Metric view over ${def.upstream.join(', ')}`,
        license: def.license ?? licenseOf(manifest.tables, def.upstream),
        tags: old?.tags ?? def.tags,
        columnDescriptions: {
          as_of: 'When this snapshot was computed; earlier snapshots are kept unchanged.',
          ...Object.fromEntries(def.columns.map((c) => [c.name, c.description])),
        },
        lineage,
        asOf: asOfIso,
      },
      tier,
      facts,
      asOfIso,
    );
    manifest = upsertTable(manifest, entry);
    reports.push({ metric: def.metric, rows, snapshot: rel });
  }
  for (const { result } of built) await conn.run(`DROP TABLE IF EXISTS ${result}`);
  writeManifest(lakeDir, manifest);
  return reports;
}

/** A `column` line must name a column of the result: checked before any snapshot is written. */
async function checkDocumentedColumns(conn: Duck, file: string, def: MetricDefinition, result: string) {
  const names = new Set((await queryJson(conn, `DESCRIBE ${result}`)).map((c) => String(c.column_name)));
  const unknown = def.columns.filter((c) => !names.has(c.name)).map((c) => c.name);
  if (unknown.length > 0)
    throw new Error(
      `${file} documents column ${unknown.join(', ')}, which its SELECT does not return: fix the "-- column:" line.`,
    );
}

function licenseOf(tables: { name: string; license: string }[], upstream: string[]): string {
  const licenses = [...new Set(upstream.map((u) => tables.find((t) => t.name === u)?.license ?? 'unknown'))];
  return licenses.join('; ');
}

async function checkSameColumns(
  conn: Duck,
  metric: string,
  result: string,
  columns: { name: string; type: string }[],
) {
  const fresh = await queryJson(conn, `DESCRIBE ${result}`);
  const now = fresh.map((c) => `${String(c.column_name)} ${String(c.column_type)}`).join(', ');
  const before = columns
    .filter((c) => c.name !== 'as_of')
    .map((c) => `${c.name} ${c.type}`)
    .join(', ');
  if (now !== before) {
    throw new Error(
      `Metric ${metric} now has columns (${now}) but its snapshots have (${before}). Earlier snapshots never ` +
        'change, so a definition with other columns needs a new metric name.',
    );
  }
}

async function sameAsLatest(
  conn: Duck,
  lakeDir: string,
  result: string,
  files: string[],
  asOf: string | undefined,
) {
  if (!asOf) return false;
  const list = files.map((f) => sqlString(path.join(lakeDir, f))).join(', ');
  const latest = `SELECT * EXCLUDE (as_of) FROM read_parquet([${list}]) WHERE as_of = ${timestampLiteral(asOf)}`;
  const differing = await queryNumber(
    conn,
    `SELECT count(*) FROM ((${latest} EXCEPT ALL SELECT * FROM ${result}) UNION ALL (SELECT * FROM ${result} EXCEPT ALL ${latest}))`,
  );
  return differing === 0;
}

/** A UTC ISO time as a DuckDB TIMESTAMP literal (the lake stores UTC times without a zone). */
function timestampLiteral(iso: string): string {
  return `TIMESTAMP ${sqlString(iso.replace('T', ' ').replace('Z', ''))}`;
}
