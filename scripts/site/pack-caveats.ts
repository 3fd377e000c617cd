/**
 * The caveats of a metric pack: short statements an agent or analyst must read before using the numbers.
 * The metric's SQL file states those of its definition (`-- caveat:` lines, `{column}` filled in with the
 * column's published values, e.g. the window dates); the rest follows from how the pack was made: what
 * suppression withholds, how the before/after figures were pooled, what their intervals assume, and what a
 * before/after design cannot show.
 */
import type { SmallCellLinks } from '../../src/gov/policy-schema.ts';
import type { MetricDefinition } from '../../src/lake/metric-definition.ts';
import { isNumeric, type BeforeAfter, type PackColumn } from '../../src/lake/metric-pack.ts';
import type { PackRow, SmallCells } from './before-after-summary.ts';
import type { ComparisonSpec } from './fast-track-comparisons.ts';

export interface CaveatInput {
  metric: string;
  definition: MetricDefinition;
  columns: PackColumn[];
  rows: PackRow[];
  smallCells: SmallCells;
  links: SmallCellLinks;
  spec?: ComparisonSpec;
  beforeAfter?: BeforeAfter;
}

export function packCaveats(input: CaveatInput): string[] {
  return [
    ...input.definition.caveats.map((c) => fillIn(c, input)),
    suppressionCaveat(input),
    ...(input.beforeAfter && input.spec
      ? beforeAfterCaveats(input.beforeAfter, input.spec, input.metric)
      : []),
  ];
}

/** `{column}` becomes the column's distinct published values, e.g. the window's dates. */
function fillIn(text: string, { metric, columns, rows }: CaveatInput): string {
  return text.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_, name: string) => {
    if (!columns.some((c) => c.name === name))
      throw new Error(`A caveat of ${metric} names {${name}}, which is not one of its columns.`);
    const values = [...new Set(rows.map((r) => r.values[name]).filter((v) => v !== null && v !== undefined))];
    return values.length > 0 ? values.map(String).sort().join(', ') : '(no published value)';
  });
}

function suppressionCaveat({ metric, columns, rows, smallCells, links }: CaveatInput): string {
  const kept = columns.filter((c) => !isNumeric(c.type)).map((c) => c.name);
  const parts = [
    `Small groups are withheld: a row of fewer than ${smallCells.minGroupSize} patients (${smallCells.countColumn}) ` +
      `keeps ${kept.length > 0 ? `its ${listed(kept)}` : 'its place'}, but every number is null ("suppressed": true).`,
  ];
  for (const link of links.periods) {
    if (!(metric in link.tables)) continue;
    const others = Object.keys(link.tables).filter((t) => t !== metric);
    if (others.length === 0) continue;
    parts.push(
      `Because ${listed([metric, ...others])} count the same stays by ${link.grain}, a ${link.grain} with a small group in any ` +
        `of these views is withheld whole in all of them, so that no subtraction gives a small group back.`,
    );
  }
  for (const total of links.totals)
    if (total.table === metric)
      parts.push(`The ${total.value} row of ${total.column} is withheld while any other row is small.`);
  const withheld = rows.filter((r) => r.suppressed).length;
  parts.push(
    withheld === 0
      ? 'No row of the latest snapshot is withheld.'
      : `The latest snapshot withholds ${withheld} of ${rows.length} rows.`,
  );
  return parts.join(' ');
}

function beforeAfterCaveats(ba: BeforeAfter, spec: ComparisonSpec, metric: string): string[] {
  const { label, date, source } = ba.intervention;
  const caveats = [
    `Before/after design: periods before ${date} are compared with the periods from ${date} on (${label}` +
      `${source ? `; the date comes from ${source}` : ''}). There is no concurrent control group and no ` +
      `adjustment for trend, season or case mix, so a difference shows a change over time, not that the ${label} caused it.`,
  ];

  const months = [
    ...new Set(
      ba.comparisons.flatMap((c) =>
        [...(c.before?.leftOut ?? []), ...(c.after?.leftOut ?? [])].map((v) => v.slice(0, 7)),
      ),
    ),
  ].sort();
  if (months.length > 0)
    caveats.push(
      'Before/after figures pool published rows only: a day or month with a withheld row of the group is left ' +
        `out of the group's figures whole (each period lists it in leftOut). Left out here: ${months.join(', ')}.`,
    );

  if (ba.comparisons.some((c) => c.kind === 'rate'))
    caveats.push(
      'Rate intervals are 95% Wald intervals that treat every stay as independent; a patient with several stays ' +
        'makes them somewhat too narrow. Intervals clustered by patient need record-level data, so no pack has ' +
        'them (the Fast-Track review notebook computes them).',
    );
  if (ba.comparisons.some((c) => c.kind === 'mean_of_monthly_means'))
    caveats.push(
      'Intervals of means (Welch t) take each month as one observation and treat the months as independent, ' +
        'ignoring trend and season.',
    );

  for (const by of new Set(ba.comparisons.map((c) => Object.keys(c.group).join(', ')).filter(Boolean))) {
    const groups = new Set(
      ba.comparisons
        .filter((c) => Object.keys(c.group).join(', ') === by)
        .map((c) => JSON.stringify(c.group)),
    );
    const screened = ba.comparisons.some((c) => Object.keys(c.group).join(', ') === by && c.versusRest);
    caveats.push(
      `${groups.size} groups by ${by} are compared per measure: with no real change, about one in twenty would ` +
        'still show a 95% interval that excludes 0.' +
        (screened
          ? ' versusRest sets each against the other groups together, with p-values adjusted for the groups ' +
            'compared (Holm); versusRest.standsOut marks a group whose adjusted p-value is below 0.05 and that ' +
            'moved the worse way (a group far from the others also shifts the rest each other group is set ' +
            'against, so only the worse way counts).'
          : ''),
    );
  }

  for (const b of spec.breakdowns ?? [])
    caveats.push(
      `Comparisons by ${b.groupings.flat().join(', ')} pool the published rows of ${b.metric} by ${b.periodColumn} ` +
        `(named in their source), which counts the same stays; the others pool the rows of ${metric} by ${spec.periodColumn}.`,
    );
  return caveats;
}

/** `a`, `a and b`, `a, b and c` */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
