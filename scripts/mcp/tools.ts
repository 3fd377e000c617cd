/**
 * The server's tools. All read the loaded packs and nothing else; none changes anything. A wrong metric or
 * measure is a tool error (not a protocol error) whose text lists the valid choices, so an agent can retry.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { metricPackObject, type MetricPack } from '../../src/lake/metric-pack.ts';
import { compareGroups, groupComparisonSchema, measuresOf, type GroupComparison } from './compare-groups.ts';
import type { PackSet } from './pack-folder.ts';
import { packUri } from './resources.ts';

const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** The parts of a pack `get_metric` can return; `name` always comes along. */
export const PACK_SECTIONS = metricPackObject.keyof().exclude(['format', 'version', 'name']);
export type PackSection = z.infer<typeof PACK_SECTIONS>;

export const metricListSchema = z
  .object({
    metrics: z.array(
      z
        .object({
          name: z.string(),
          description: z.string(),
          uri: z.string(),
          asOf: z.string(),
          freshness: metricPackObject.shape.freshness,
          beforeAfter: z.boolean(),
          /** What `compare_groups` accepts for this metric. */
          measures: z.array(z.string()),
          /** The columns `compare_groups` sets groups side by side by, beside the hospital (e.g. `ward`). */
          groupedBy: z.array(z.string()),
        })
        .strict(),
    ),
  })
  .strict();

export type MetricList = z.infer<typeof metricListSchema>;

export function registerTools(server: McpServer, set: PackSet): void {
  const names = [...set.packs.keys()];
  const withSummary = [...set.packs.values()].filter((p) => p.beforeAfter).map((p) => p.name);

  server.registerTool(
    'list_metrics',
    {
      title: 'List metrics',
      description:
        'Lists the published metrics: name, description, as-of time, freshness, whether the metric has a ' +
        'before/after summary of an intervention, the measures compare_groups accepts and the columns it ' +
        'breaks them down by (e.g. ward).',
      outputSchema: metricListSchema,
      annotations: READ_ONLY,
    },
    () => {
      const list = metricList(set);
      const lines = list.metrics.map(
        (m) =>
          `${m.name} (as of ${m.asOf}, ${m.freshness.status}` +
          `${m.beforeAfter ? `, before/after: ${m.measures.join(', ')}` : ''}` +
          `${m.groupedBy.length > 0 ? `, by ${m.groupedBy.join(', ')}` : ''})`,
      );
      return result(`${list.metrics.length} metrics:\n${lines.join('\n')}`, list);
    },
  );

  server.registerTool(
    'get_metric',
    {
      title: 'Get a metric pack',
      description:
        'Returns one metric pack: definition, SQL, sources, lineage, freshness, columns (each with description, ' +
        'unit and, for a rate, numerator and denominator), caveats, related packs (e.g. a breakdown by ward), ' +
        'the latest rows (small groups suppressed) and the before/after summary. Name sections to get only ' +
        'those parts. Read the caveats before stating a figure.',
      inputSchema: {
        metric: z.string().describe(`The metric's name, one of: ${names.join(', ')}.`),
        sections: z
          .array(PACK_SECTIONS)
          .optional()
          .describe('Only these parts of the pack (its name always comes along); all of them if left out.'),
      },
      outputSchema: metricPackObject.partial(),
      annotations: READ_ONLY,
    },
    ({ metric, sections }) => {
      const pack = set.packs.get(metric);
      if (!pack) return unknownMetric(metric, names);
      const picked = pickSections(pack, sections);
      const link = {
        type: 'resource_link' as const,
        uri: packUri(pack.name),
        name: pack.name,
        mimeType: 'application/json',
      };
      const text = `${packSummary(pack)}\nSections returned: ${Object.keys(picked).join(', ')}.`;
      return { ...result(text, picked), content: [{ type: 'text' as const, text }, link] };
    },
  );

  server.registerTool(
    'compare_groups',
    {
      title: 'Compare groups before and after',
      description:
        "For a metric with a before/after summary: one measure's comparisons for every group side by side " +
        '(hospital-wide first, then each ward, including wards pooled from a breakdown view) with the before ' +
        'and after values, the difference, its 95% interval, whether the group is suppressed, the periods left ' +
        'out, which groups moved the other way than the hospital, each group against the other groups with a ' +
        'Holm-adjusted p-value, which groups stand out, and the caveats of the metric.',
      inputSchema: {
        metric: z
          .string()
          .describe(`A metric with a before/after summary, one of: ${withSummary.join(', ')}.`),
        measure: z
          .string()
          .optional()
          .describe(
            'The measure to compare (see list_metrics); may be left out when the metric has only one.',
          ),
      },
      outputSchema: groupComparisonSchema,
      annotations: READ_ONLY,
    },
    ({ metric, measure }) => {
      const pack = set.packs.get(metric);
      if (!pack || !pack.beforeAfter)
        return toolError(
          `${pack ? `Metric ${metric} has no before/after summary` : `Unknown metric "${metric}"`}; ` +
            `the metrics with one are: ${withSummary.join(', ')}.`,
        );
      const found = compareGroups(pack, measure);
      if (!found.ok) return toolError(found.message);
      return result(comparisonSummary(found.value), found.value);
    },
  );
}

function metricList(set: PackSet): MetricList {
  return {
    metrics: [...set.packs.values()].map((p) => ({
      name: p.name,
      description: p.description,
      uri: packUri(p.name),
      asOf: p.asOf,
      freshness: p.freshness,
      beforeAfter: p.beforeAfter !== undefined,
      measures: measuresOf(p),
      groupedBy: [...new Set(p.beforeAfter?.comparisons.flatMap((c) => Object.keys(c.group)) ?? [])],
    })),
  };
}

function pickSections(pack: MetricPack, sections: PackSection[] | undefined): Partial<MetricPack> {
  if (!sections) return pack;
  const picked: Partial<MetricPack> = { name: pack.name };
  for (const s of sections) if (pack[s] !== undefined) Object.assign(picked, { [s]: pack[s] });
  return picked;
}

function packSummary(pack: MetricPack): string {
  const stale = pack.freshness.newerSources.map((s) => s.name);
  const freshness = stale.length > 0 ? `stale: ${stale.join(', ')} changed since` : pack.freshness.status;
  const { rows, suppressedRows } = pack.latest;
  return [
    `${pack.name}: ${pack.description}`,
    `As of ${pack.asOf} (${freshness}). Latest snapshot: ${rows.length} rows, ${suppressedRows} suppressed ` +
      `(fewer than ${pack.smallCells.minGroupSize} patients, or linked to such a group).`,
    pack.beforeAfter
      ? `Before/after ${pack.beforeAfter.intervention.label} (${pack.beforeAfter.intervention.date}): ${measuresOf(pack).join(', ')}.`
      : 'No before/after summary.',
    ...(pack.related ?? []).map((r) =>
      r.relation === 'breakdown'
        ? `Broken down by ${(r.by ?? []).join(', ')} in ${r.metric}; those comparisons are in beforeAfter and compare_groups.`
        : `The total of ${r.metric}.`,
    ),
    caveatLines(pack.caveats),
  ].join('\n');
}

function caveatLines(caveats: readonly string[]): string {
  return ['Caveats:', ...caveats.map((c) => `- ${c}`)].join('\n');
}

function comparisonSummary(c: GroupComparison): string {
  const show = (x: number) => (c.kind === 'rate' ? `${(x * 100).toFixed(2)}%` : x.toPrecision(4));
  const change = (x: number) =>
    c.kind === 'rate'
      ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} points`
      : `${x >= 0 ? '+' : ''}${x.toPrecision(4)}`;
  const lines = c.groups.map((g) => {
    if (g.suppressed || !g.before || !g.after || g.difference === undefined || !g.ci95)
      return `${g.label}: suppressed (too few patients)`;
    const rest = g.versusRest
      ? `; ${change(g.versusRest.difference)} against the other groups ` +
        `(95% interval ${change(g.versusRest.ci95.low)} to ${change(g.versusRest.ci95.high)}, ` +
        `Holm-adjusted p ${pValue(g.versusRest.adjustedPValue)})`
      : '';
    const source = g.source ? ` [from ${g.source.metric}, by ${g.source.periodColumn}]` : '';
    return (
      `${g.label}: ${show(g.before.value)} → ${show(g.after.value)}, ${change(g.difference)} ` +
      `(95% interval ${change(g.ci95.low)} to ${change(g.ci95.high)})${rest}${source}`
    );
  });
  const against = c.groups.filter((g) => g.againstHospital).map((g) => g.label);
  const screened = c.groups.filter((g) => g.versusRest);
  const standing = screened.filter((g) => g.standsOut).map((g) => g.label);
  const tests = screened[0]?.versusRest?.tests ?? 0;
  return [
    `${c.measure} of ${c.metric}, before and after ${c.intervention.label} (${c.intervention.date}):`,
    ...lines,
    ...(c.groups.length < 2
      ? []
      : [
          against.length > 0
            ? `Moving the other way than the hospital: ${against.join(', ')}.`
            : 'No group moves the other way than the hospital.',
        ]),
    ...(screened.length === 0
      ? []
      : [
          standing.length > 0
            ? `Standing out against the other groups (Holm-adjusted p < 0.05 over ${tests}, the worse way): ${standing.join(', ')}.`
            : `No group stands out against the other groups (Holm-adjusted over ${tests}).`,
        ]),
    caveatLines(c.caveats),
  ].join('\n');
}

function pValue(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`;
}

function result(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function unknownMetric(metric: string, names: string[]): CallToolResult {
  return toolError(`Unknown metric "${metric}"; the metrics are: ${names.join(', ')}.`);
}
