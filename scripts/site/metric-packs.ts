/**
 * Writes a metric pack for every metric view of a lake (`<outDir>/<metric>.json`) and an index
 * (`<outDir>/index.json`), computed with native DuckDB from the lake's Parquet snapshots. Schema:
 * src/lake/metric-pack.ts; documentation: docs/metric-packs.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tableFreshness } from '../../src/lake/freshness.ts';
import { columnTags, type Manifest, type TableEntry } from '../../src/lake/manifest.ts';
import { parseMetricDefinition, type MetricDefinition } from '../../src/lake/metric-definition.ts';
import {
  forbiddenColumns,
  isNumeric,
  METRIC_PACK_FORMAT,
  METRIC_PACK_INDEX_FORMAT,
  parseMetricPack,
  parseMetricPackIndex,
  type MetricPack,
  type MetricPackIndex,
  type PackColumn,
  type PackValue,
  type Related,
} from '../../src/lake/metric-pack.ts';
import type { Policy } from '../../src/gov/policy-schema.ts';
import { buildRoleView, roleSelectSql, SUPPRESSED_COLUMN } from '../../src/gov/role-view.ts';
import type { TableAccess } from '../../src/gov/types.ts';
import { queryJson, sqlIdent, sqlString, type Duck } from '../lake/duck.ts';
import { registerTables } from '../lake/lake-views.ts';
import { definitionDrift } from '../lake/metric-lineage.ts';
import { beforeAfterSummary, type PackRow, type SmallCells } from './before-after-summary.ts';
import { packCaveats } from './pack-caveats.ts';
import { fastTrackComparisons, type BeforeAfterSpecs } from './fast-track-comparisons.ts';
import { fastTrackRuleStart, type BuildMessage } from './fast-track-rule.ts';

/**
 * A pack is public, so it holds what the policy's default role (the visitor of the public demo) sees of the
 * metric: the same rows, suppressed by the same rules, linked ones included. A summary over them can then not
 * give back a group that role may not see.
 */
function audience(policy: Policy): { role: string; smallCells: SmallCells } {
  const role = policy.defaultRole;
  const sc = policy.roles[role]?.smallCells;
  if (!sc)
    throw new PackRefusedError(
      `Role ${role}, the policy's default role, has no smallCells rule, so a metric pack could not suppress small groups.`,
    );
  return { role, smallCells: { countColumn: sc.countColumn, minGroupSize: sc.minGroupSize } };
}

/** A pack that would carry PHI or PII, or could not suppress small groups, is refused rather than written. */
export class PackRefusedError extends Error {
  override name = 'PackRefusedError';
}

export interface PackContext {
  conn: Duck;
  lakeDir: string;
  /** The folder that `lineage.definition` paths are relative to (the project). */
  projectDir: string;
  manifest: Manifest;
  policy: Policy;
  /** Default: the Fast-Track comparisons around the rule's start as the lake's audit log records it. */
  specs?: BeforeAfterSpecs;
}

/** The before/after specs of a context, reading the rule's start from the lake when none are given. */
export async function resolveSpecs(
  ctx: PackContext,
): Promise<{ specs: BeforeAfterSpecs; messages: BuildMessage[] }> {
  if (ctx.specs) return { specs: ctx.specs, messages: [] };
  const rule = await fastTrackRuleStart(ctx.conn, ctx.lakeDir, ctx.manifest);
  return { specs: fastTrackComparisons(rule), messages: rule.messages };
}

/** A metric view as the audience role may read it: its definition, documented columns and latest rows. */
interface PublishedView {
  table: TableEntry;
  definitionPath: string;
  definition: MetricDefinition;
  columns: PackColumn[];
  rows: PackRow[];
}

/**
 * Reads a metric view the way a pack publishes it, refusing what a pack may not carry: a SQL file that
 * changed since the build, a column tagged PHI or PII, a column the SQL file does not document, a view the
 * audience role may not read whole with small groups suppressed.
 */
async function publishedView(ctx: PackContext, table: TableEntry): Promise<PublishedView> {
  const { role, smallCells } = audience(ctx.policy);
  if (table.zone !== 'metrics') throw new Error(`${table.name} is not a metric view.`);
  const definitionPath = table.lineage?.definition;
  if (!definitionPath) throw new Error(`Metric ${table.name} names no SQL definition in its lineage.`);
  // A pack publishes the SQL file beside the numbers, so the file must be the one the numbers came from.
  const drift = definitionDrift(ctx.projectDir, table);
  if (drift) throw new Error(`Metric ${table.name} gets no pack: ${drift}.`);
  const definition = parseMetricDefinition(
    readFileSync(path.join(ctx.projectDir, definitionPath), 'utf8'),
    definitionPath,
  );

  const snapshotColumns = await snapshotSchema(ctx, table);
  const tagged = snapshotColumns.map((c) => ({ ...c, tags: catalogTags(table, c.name) }));
  const refused = forbiddenColumns(tagged);
  if (refused.length > 0)
    throw new PackRefusedError(
      `Metric ${table.name}: columns ${refused.join(', ')} are tagged PHI or PII in the catalog; a metric pack never carries them.`,
    );
  if (!tagged.some((c) => c.name === smallCells.countColumn))
    throw new PackRefusedError(
      `Metric ${table.name} has no ${smallCells.countColumn} column, so its small groups cannot be suppressed.`,
    );
  const columns = documentedColumns(table.name, definitionPath, definition, tagged);

  const access = buildRoleView(ctx.policy, ctx.manifest, {
    user: 'metric-pack',
    role,
    attributes: {},
  }).tables.find((t) => t.table === table.name);
  if (!access?.aggregateOnly || columns.some((c) => !access.columns.some((a) => a.name === c.name)))
    throw new PackRefusedError(
      `Metric ${table.name} is not published whole to ${role} with small groups suppressed (see policy.json), so it gets no public pack.`,
    );
  const rows = await latestRows(ctx, access, columns);
  return { table, definitionPath, definition, columns, rows };
}

/** Builds and validates the pack of one metric view; throws PackRefusedError for a column tagged PHI or PII. */
export async function buildMetricPack(ctx: PackContext, table: TableEntry): Promise<MetricPack> {
  const { smallCells } = audience(ctx.policy);
  const { specs } = await resolveSpecs(ctx);
  const view = await publishedView(ctx, table);
  const { definition, columns, rows: shown } = view;
  const spec = specs.metrics[table.name];
  const breakdowns: Record<string, PackRow[]> = {};
  for (const b of spec?.breakdowns ?? []) {
    const other = ctx.manifest.tables.find((t) => t.name === b.metric && t.zone === 'metrics');
    if (!other)
      throw new PackRefusedError(
        `Metric ${table.name} is broken down by ${b.metric}, which the lake does not have.`,
      );
    try {
      breakdowns[b.metric] = (await publishedView(ctx, other)).rows;
    } catch (e) {
      if (!(e instanceof PackRefusedError)) throw e;
      // Without its breakdown the pack would show the total alone, which is what the breakdown is there to prevent.
      throw new PackRefusedError(`Metric ${table.name} needs its breakdown ${b.metric}: ${e.message}`);
    }
  }
  const beforeAfter = spec ? beforeAfterSummary(shown, spec, specs.intervention, breakdowns) : undefined;
  const freshness = tableFreshness(ctx.manifest, table);
  const related = relatedPacks(table.name, specs);

  return parseMetricPack({
    format: METRIC_PACK_FORMAT,
    version: 1,
    name: table.name,
    description: table.description,
    definition: definition.notes,
    sql: definition.sql,
    owner: table.owner,
    license: table.license,
    tags: table.tags,
    sources: (table.lineage?.upstream ?? []).flatMap((name) => {
      const source = ctx.manifest.tables.find((t) => t.name === name);
      return source
        ? [
            {
              name,
              zone: source.zone,
              description: source.description,
              tags: source.tags,
              updatedAt: source.updatedAt,
            },
          ]
        : [];
    }),
    lineage: {
      upstream: table.lineage?.upstream ?? [],
      definition: view.definitionPath,
      snapshots: table.files.map((f) => f.path),
    },
    asOf: freshness.asOf,
    freshness: { status: freshness.status, newerSources: freshness.newerSources },
    columns,
    caveats: packCaveats({
      metric: table.name,
      definition,
      columns,
      rows: shown,
      smallCells,
      links: ctx.policy.smallCellLinks,
      ...(spec && beforeAfter ? { spec, beforeAfter } : {}),
    }),
    ...(related.length > 0 ? { related } : {}),
    smallCells,
    latest: { asOf: freshness.asOf, rows: shown, suppressedRows: shown.filter((r) => r.suppressed).length },
    ...(beforeAfter ? { beforeAfter } : {}),
  });
}

/** The packs a metric's comparisons come from or feed: its breakdowns, and the totals it breaks down. */
function relatedPacks(metric: string, specs: BeforeAfterSpecs): Related[] {
  const related: Related[] = [];
  for (const b of specs.metrics[metric]?.breakdowns ?? [])
    related.push({
      metric: b.metric,
      url: `${b.metric}.json`,
      relation: 'breakdown',
      by: [...new Set(b.groupings.flat())],
      note: `The same counts by ${b.groupings.flat().join(', ')} and ${b.periodColumn}; its comparisons by ${b.groupings.flat().join(', ')} are also in this pack's beforeAfter (with "source": "${b.metric}").`,
    });
  for (const [total, spec] of Object.entries(specs.metrics))
    for (const b of spec.breakdowns ?? [])
      if (b.metric === metric)
        related.push({
          metric: total,
          url: `${total}.json`,
          relation: 'total',
          note: `The same counts without ${b.groupings.flat().join(', ')}, by ${spec.periodColumn}; its pack carries this view's comparisons beside its own.`,
        });
  return related;
}

export interface PackReport {
  index: MetricPackIndex;
  refused: { metric: string; reason: string }[];
  /** What the build should tell its user, e.g. where the rule's start came from and whether it was checked. */
  messages: BuildMessage[];
}

/** Writes every metric's pack and the index; a refused metric gets no pack and is reported. */
export async function writeMetricPacks(given: PackContext, outDir: string): Promise<PackReport> {
  const { specs, messages } = await resolveSpecs(given);
  const ctx = { ...given, specs };
  mkdirSync(outDir, { recursive: true });
  const index: MetricPackIndex = { format: METRIC_PACK_INDEX_FORMAT, version: 1, metrics: [] };
  const refused: PackReport['refused'] = [];
  const built: MetricPack[] = [];
  for (const table of ctx.manifest.tables.filter((t) => t.zone === 'metrics')) {
    try {
      built.push(await buildMetricPack(ctx, table));
    } catch (e) {
      if (!(e instanceof PackRefusedError)) throw e;
      refused.push({ metric: table.name, reason: e.message });
    }
  }
  const written = new Set(built.map((p) => p.name));
  for (const candidate of built) {
    // A link to a pack that was refused would lead nowhere.
    const related = candidate.related?.filter((r) => written.has(r.metric)) ?? [];
    const { related: _dropped, ...withoutLinks } = candidate;
    const pack: MetricPack = related.length > 0 ? { ...candidate, related } : withoutLinks;
    writeFileSync(path.join(outDir, `${pack.name}.json`), JSON.stringify(pack, null, 2) + '\n');
    index.metrics.push({
      name: pack.name,
      description: pack.description,
      url: `${pack.name}.json`,
      asOf: pack.asOf,
      tags: pack.tags,
      beforeAfter: pack.beforeAfter !== undefined,
    });
  }
  writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(parseMetricPackIndex(index), null, 2) + '\n');
  return { index, refused, messages };
}

function snapshotList(ctx: PackContext, table: TableEntry): string {
  const files = table.files.filter((f) => f.format === 'parquet');
  if (files.length === 0) throw new Error(`Metric ${table.name} has no snapshot file.`);
  return `[${files.map((f) => sqlString(path.join(ctx.lakeDir, f.path))).join(', ')}]`;
}

async function snapshotSchema(
  ctx: PackContext,
  table: TableEntry,
): Promise<{ name: string; type: string }[]> {
  const described = await queryJson(
    ctx.conn,
    `DESCRIBE SELECT * FROM read_parquet(${snapshotList(ctx, table)})`,
  );
  return described
    .map((c) => ({ name: String(c.column_name), type: String(c.column_type) }))
    .filter((c) => c.name !== 'as_of');
}

/** A column's effective tags in the catalog; a column the catalog does not list counts as PHI. */
function catalogTags(table: TableEntry, name: string): string[] {
  const entry = table.columns.find((e) => e.name === name);
  return entry ? columnTags(table, entry) : ['PHI'];
}

/** Each column the pack writes with its catalog tags and what its SQL file says of it: unit, meaning, ratio. */
function documentedColumns(
  metric: string,
  file: string,
  definition: MetricDefinition,
  columns: { name: string; type: string; tags: string[] }[],
): PackColumn[] {
  const undocumented = columns.filter((c) => !definition.columns.some((d) => d.name === c.name));
  if (undocumented.length > 0)
    throw new PackRefusedError(
      `Metric ${metric}: ${file} gives no unit and description for ${undocumented.map((c) => c.name).join(', ')}; ` +
        'add a "-- column: name | unit | description" line for each.',
    );
  return columns.map((c) => {
    const doc = definition.columns.find((d) => d.name === c.name)!;
    return {
      ...c,
      description: doc.description,
      unit: doc.unit,
      ...(doc.numerator ? { numerator: doc.numerator, denominator: doc.denominator } : {}),
    };
  });
}

/**
 * Rows of the newest snapshot as the audience role sees them, as JSON values: numbers, ISO dates and times,
 * text, booleans; a suppressed row has null measures.
 */
async function latestRows(ctx: PackContext, access: TableAccess, columns: PackColumn[]): Promise<PackRow[]> {
  await registerTables(ctx.conn, ctx.lakeDir, ctx.manifest, [
    ...new Set([access.table, ...(access.filterSources ?? [])]),
  ]);
  const select = columns.map((c) => {
    const id = sqlIdent(c.name);
    if (isNumeric(c.type)) return `CAST(${id} AS DOUBLE) AS ${id}`;
    if (c.type === 'DATE') return `strftime(${id}, '%Y-%m-%d') AS ${id}`;
    if (c.type.startsWith('TIMESTAMP')) return `strftime(${id}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${id}`;
    return id;
  });
  const flag = sqlIdent(SUPPRESSED_COLUMN);
  const rows = await queryJson(
    ctx.conn,
    `WITH published AS (${roleSelectSql(access)})
     SELECT ${select.join(', ')}, ${flag} AS ${flag} FROM published
     WHERE as_of = (SELECT max(as_of) FROM published)`,
  );
  const numeric = new Set(columns.filter((c) => isNumeric(c.type)).map((c) => c.name));
  return rows.map(({ [SUPPRESSED_COLUMN]: suppressed, ...r }) => ({
    values: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v, numeric.has(k))])),
    suppressed: suppressed === true,
  }));
}

/** DuckDB hands NaN and infinities out as text; a pack writes them as null. */
function jsonValue(v: unknown, numeric: boolean): PackValue {
  if (v === null || v === undefined) return null;
  if (numeric) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  return String(v);
}
