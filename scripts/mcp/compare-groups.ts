/**
 * One measure of a pack's before/after summary with every group side by side, hospital-wide first, and for
 * each group which way it moved, whether that is the other way than the hospital, and whether it stands out
 * against the other groups once the number of groups compared is allowed for: a ward that moves against the
 * whole, or far more than it, is what a reader of the hospital figure alone would miss. The groups include
 * those of a breakdown view (a comparison with a `source`). Numbers are the pack's own; nothing is recomputed.
 * The pack's caveats come along, so no answer travels without them.
 */
import { z } from 'zod';
import {
  beforeAfterSchema,
  comparisonSchema,
  metricPackObject,
  type MetricPack,
} from '../../src/lake/metric-pack.ts';

const { measure: _measure, kind: _kind, ...comparisonFields } = comparisonSchema.shape;

export const groupRowSchema = z
  .object({
    /** `hospital-wide`, or the group's columns and values, e.g. `ward Surgery`. */
    label: z.string(),
    ...comparisonFields,
    /** The sign of `difference`; absent when the group is suppressed. */
    direction: z.enum(['up', 'down', 'none']).optional(),
    /** True when the group moved up while the hospital moved down, or the reverse. */
    againstHospital: z.boolean().optional(),
    /**
     * `versusRest.standsOut`: the group's change differs from the other groups' after Holm's adjustment over
     * the groups compared, the worse way. Absent for the hospital and groups without versusRest.
     */
    standsOut: z.boolean().optional(),
  })
  .strict();

export const groupComparisonSchema = z
  .object({
    metric: z.string(),
    measure: z.string(),
    kind: comparisonSchema.shape.kind,
    intervention: beforeAfterSchema.shape.intervention,
    periodColumn: z.string(),
    groups: z.array(groupRowSchema),
    /** The pack's caveats: read them before stating any figure above. */
    caveats: metricPackObject.shape.caveats,
  })
  .strict();

export type GroupRow = z.infer<typeof groupRowSchema>;
export type GroupComparison = z.infer<typeof groupComparisonSchema>;

export type Lookup<T> = { ok: true; value: T } | { ok: false; message: string };

/** The measures a pack's before/after summary compares, in pack order. */
export function measuresOf(pack: MetricPack): string[] {
  return [...new Set(pack.beforeAfter?.comparisons.map((c) => c.measure) ?? [])];
}

/**
 * The comparisons of one measure. Without a measure, the pack's only measure; a pack with several needs
 * one named, and the message lists them.
 */
export function compareGroups(pack: MetricPack, measure?: string): Lookup<GroupComparison> {
  const summary = pack.beforeAfter;
  if (!summary) return { ok: false, message: `Metric ${pack.name} has no before/after summary.` };
  const measures = measuresOf(pack);
  const chosen = measure ?? (measures.length === 1 ? measures[0] : undefined);
  if (chosen === undefined || !measures.includes(chosen)) {
    const what = measure === undefined ? 'Name a measure' : `Metric ${pack.name} has no measure "${measure}"`;
    return { ok: false, message: `${what}; the measures of ${pack.name} are: ${measures.join(', ')}.` };
  }

  const rows = summary.comparisons.filter((c) => c.measure === chosen);
  const ordered = [
    ...rows.filter((c) => Object.keys(c.group).length === 0),
    ...rows.filter((c) => Object.keys(c.group).length > 0),
  ];
  const hospital = ordered[0] && Object.keys(ordered[0].group).length === 0 ? ordered[0] : undefined;
  const hospitalDirection = directionOf(hospital?.difference);
  const kind = ordered[0]!.kind;
  const groups = ordered.map((comparison): GroupRow => {
    const { measure: _m, kind: _k, ...c } = comparison;
    const direction = directionOf(c.difference);
    const comparable = comparison !== hospital && direction !== undefined && hospitalDirection !== undefined;
    const against = comparable
      ? direction !== 'none' && hospitalDirection !== 'none' && direction !== hospitalDirection
      : undefined;
    return {
      label: groupLabel(c.group),
      ...c,
      ...(direction ? { direction } : {}),
      ...(against === undefined ? {} : { againstHospital: against }),
      ...(c.versusRest ? { standsOut: c.versusRest.standsOut } : {}),
    };
  });
  return {
    ok: true,
    value: {
      metric: pack.name,
      measure: chosen,
      kind,
      intervention: summary.intervention,
      periodColumn: summary.periodColumn,
      groups,
      caveats: pack.caveats,
    },
  };
}

export function groupLabel(group: Record<string, string>): string {
  const parts = Object.entries(group).map(([k, v]) => `${k} ${v}`);
  return parts.length === 0 ? 'hospital-wide' : parts.join(', ');
}

function directionOf(difference: number | undefined): GroupRow['direction'] {
  if (difference === undefined) return undefined;
  return difference > 0 ? 'up' : difference < 0 ? 'down' : 'none';
}
