/**
 * The Fast-Track Discharge review: the notebook that ships with Lakebook and opens for new users. It answers
 * leadership's two questions from the lake: did the rule cut 30-day readmissions, and did any ward game it by
 * discharging patients too early? It is built through the notebook model's own constructors and written to
 * `public/sample-lake/notebooks/fast-track-review.lakebook.json` by `scripts/lake/write-review-notebook.ts`.
 *
 * Nothing here states a result: the Markdown explains how to read the numbers, the SQL finds them.
 */
import { makeChartCell, makeMarkdownCell, makeSqlCell, type Cell } from '../../notebook/model/cells';
import type { Notebook } from '../../notebook/model/notebook';
import * as sql from './fast-track-review-sql';

export const REVIEW_NOTEBOOK_ID = 'fast-track-discharge-review';
export const REVIEW_TITLE = 'Fast-Track Discharge review';
/** Fixed, so the shipped file is the same on every build. */
const CREATED = '2026-11-29T00:00:00.000Z';

/** Markdown that explains the charts is published with them; `published: false` keeps a note to analysts. */
const md = (key: string, text: string, { published = true } = {}): Cell => ({
  ...makeMarkdownCell(text, published),
  id: `md-${key}`,
});
const query = (name: string, text: string): Cell => ({ ...makeSqlCell(name, text), id: `sql-${name}` });
const chart = (key: string, config: Record<string, unknown>): Cell => ({
  ...makeChartCell({ version: 1, published: true, ...config }),
  id: `chart-${key}`,
});

const percentBar = (
  key: string,
  source: string,
  x: string,
  y: string,
  title: string,
  xTitle: string,
  extra: Record<string, unknown> = {},
) =>
  chart(key, {
    source,
    type: 'bar',
    barMode: 'grouped',
    x,
    y,
    series: 'period',
    aggregate: 'rate',
    title,
    xTitle,
    yTitle: 'Share of discharges',
    yFormat: 'percent',
    decimals: 1,
    ...extra,
  });

export function reviewCells(): Cell[] {
  return [
    md(
      'intro',
      `# ${REVIEW_TITLE}

Evergreen Veterans Hospital switched on its **Fast-Track Discharge** rule and leadership asks two questions:

1. Did it cut 30-day readmissions?
2. Did anyone game it by discharging patients too early?

This notebook answers both from the lake. Every number comes from the queries below, run in your browser
under your role's policy; edit any cell and the cells that read it run again. Patient and staff keys are
hashed for analysts, so stays can be linked to the same patient without anyone being named.

**How to read an interval.** Each change is *after minus before*, with a 95% confidence interval. When the
whole interval lies below zero, the fall is unlikely to be chance alone; when it straddles zero, the data
cannot tell a change from noise; when it lies above zero, the measure rose.`,
    ),
    md(
      'rule',
      `## When did the rule start?

The start date is read from the data: the day the first Fast-Track discharge form was submitted, so the
review needs no date typed in. Stays that ended before that day are *before*, the others *after*.`,
    ),
    query('rule_start', sql.RULE_START),
    md(
      'readmission',
      `## 1. Did 30-day readmissions fall?

An **index stay** is a stay that ended with the patient discharged alive. It counts as **readmitted** when
the same patient's next admission starts within 30 days (7 days for the 7-day rate) of that discharge, the
definition of the published \`readmission_30d\` metric. Stays whose 30-day window is not complete yet, at the
end of the data, are left out.`,
    ),
    query('index_stays', sql.INDEX_STAYS),
    query('readmission_overall', sql.READMISSION_OVERALL),
    md(
      'monthly',
      `The published metric, month by month. A lasting drop after the rule's start month, rather than a dip
that returns, is what a real effect looks like.`,
    ),
    query('monthly_readmission', sql.MONTHLY_READMISSION),
    chart('monthly', {
      source: 'monthly_readmission',
      type: 'line',
      x: 'month',
      y: 'rate_30d',
      aggregate: 'none',
      title: '30-day readmission rate by month of discharge',
      xTitle: 'Month of discharge',
      yTitle: '30-day readmission rate',
      yFormat: 'percent',
      xFormat: 'month',
      decimals: 1,
    }),
    md(
      'by-ward',
      `### By ward

The same comparison per ward, sorted by the change in the 30-day rate. A hospital-wide fall can hide a ward
that moved the other way; look for a ward whose interval sits on the other side of zero from the rest.`,
    ),
    query('readmission_by_ward', sql.READMISSION_BY_WARD),
    percentBar(
      'readmission-by-ward',
      'index_stays',
      'ward',
      'readmitted_30d',
      '30-day readmission rate by ward, before and after the rule',
      'Ward',
      { yTitle: '30-day readmission rate' },
    ),
    chart('readmission-change-by-ward', {
      source: 'readmission_by_ward',
      type: 'bar',
      x: 'ward',
      y: 'difference_30d',
      aggregate: 'avg',
      title: 'Change in the 30-day readmission rate by ward (after minus before)',
      xTitle: 'Ward',
      yTitle: 'Change in percentage points',
      yFormat: 'percent',
      decimals: 1,
    }),
    md(
      'by-diagnosis',
      `### By diagnosis group

Diagnosis groups belong to wards, so this table shows whether a ward's change comes from one condition or
from all of its patients.`,
    ),
    query('readmission_by_diagnosis', sql.READMISSION_BY_DIAGNOSIS),
    percentBar(
      'readmission-by-diagnosis',
      'index_stays',
      'diagnosis_group',
      'readmitted_30d',
      '30-day readmission rate by diagnosis group, before and after the rule',
      'Diagnosis group',
      { yTitle: '30-day readmission rate', topN: 30 },
    ),
    md(
      'los',
      `## 2. Lengths of stay

Fast-Track is meant to shorten stays a little by removing waits. A fall of a few percent is the intended
effect; a ward whose whole distribution shifts down by far more than the others deserves a closer look.
Length of stay counts every completed stay, in days.`,
    ),
    query('stay_lengths', sql.STAY_LENGTHS),
    query('los_distribution', sql.LOS_DISTRIBUTION),
    chart('los-median', {
      source: 'los_distribution',
      type: 'bar',
      x: 'ward',
      y: 'median_days',
      series: 'period',
      aggregate: 'avg',
      title: 'Median length of stay by ward, before and after the rule',
      xTitle: 'Ward',
      yTitle: 'Median length of stay',
      unit: 'days',
      yFormat: 'decimal',
      decimals: 1,
    }),
    query('los_change', sql.LOS_CHANGE),
    md(
      'flags',
      `## 3. Early-discharge flags

A live discharge is **flagged** when it came within 6 hours after a bed-exit alarm of the same stay (the
patient was up and about, and out the door soon after), or when the stay was shorter than half the usual
stay of its diagnosis group. "Usual" is the median before the rule, so the rule's own effect on stays does not
move the yardstick. A flag is a prompt for a chart review, not a finding against anyone.`,
    ),
    query('discharge_flags', sql.DISCHARGE_FLAGS),
    query('flags_by_ward', sql.FLAGS_BY_WARD),
    percentBar(
      'flags-by-ward',
      'discharge_flags',
      'ward',
      'flagged',
      'Discharges flagged as possibly too early, by ward',
      'Ward',
    ),
    md(
      'screen',
      `## 4. Did a ward game the rule?

Gaming shows as three things at once: stays cut much shorter, more patients back within 7 days (a
discharge that came too early fails fast), and more early-discharge flags. The screen ranks every ward on each
signal and adds the ranks; the ward at the top of the combined ranking is the one to review, and
\`rise_is_clear\` says whether its 7-day rise is clear of chance.`,
    ),
    query('gaming_screen', sql.GAMING_SCREEN),
    chart('screen-7d', {
      source: 'gaming_screen',
      type: 'bar',
      x: 'ward',
      y: 'rise_7d',
      aggregate: 'avg',
      title: 'Change in the 7-day readmission rate by ward (after minus before)',
      xTitle: 'Ward',
      yTitle: 'Change in percentage points',
      yFormat: 'percent',
      decimals: 1,
    }),
    query('ward_under_review', sql.WARD_UNDER_REVIEW),
    md(
      'under-review',
      `### The ward under review, month by month

The ward the screen put first, against all other wards together. If the rule was gamed there, its 7-day
readmissions climb and its stays shorten from the rule's start, while the other wards' lines stay level or
improve.`,
    ),
    query('ward_vs_rest', sql.WARD_VS_REST),
    chart('ward-vs-rest-7d', {
      source: 'ward_vs_rest',
      type: 'line',
      x: 'month',
      y: 'rate_7d',
      series: 'wards',
      aggregate: 'none',
      title: '7-day readmission rate: the ward under review against all other wards',
      xTitle: 'Month of discharge',
      yTitle: '7-day readmission rate',
      yFormat: 'percent',
      xFormat: 'month',
      decimals: 1,
    }),
    chart('ward-vs-rest-los', {
      source: 'ward_vs_rest',
      type: 'line',
      x: 'month',
      y: 'mean_los_days',
      series: 'wards',
      aggregate: 'none',
      title: 'Mean length of stay: the ward under review against all other wards',
      xTitle: 'Month of discharge',
      yTitle: 'Mean length of stay',
      unit: 'days',
      yFormat: 'decimal',
      xFormat: 'month',
      decimals: 1,
    }),
    query('review_ward_stays', sql.REVIEW_WARD_STAYS),
    chart('review-ward-histogram', {
      source: 'review_ward_stays',
      type: 'histogram',
      x: 'los_days',
      series: 'period',
      aggregate: 'count',
      bins: 40,
      title: 'Lengths of stay on the ward under review, before and after the rule',
      xTitle: 'Length of stay',
      yTitle: 'Stays',
      unit: 'days',
    }),
    md(
      'conclusion',
      `## What to take away

- Question 1 is answered by \`readmission_overall\` and \`readmission_by_ward\`: the rule worked where the
  30-day interval lies below zero.
- Question 2 is answered by \`gaming_screen\` and \`ward_under_review\`: a ward that leads on shorter stays,
  more 7-day readmissions and more early-discharge flags, with a clear 7-day rise, is where discharges came too
  early. The flags in \`discharge_flags\` give the stays to review with its clinical leads.

The published metric views (\`readmission_30d\`, \`los_by_ward\`, \`early_discharge_flags\`) carry the same
definitions; their before/after summaries are also published as metric packs under \`metrics/\` on the site.`,
      // It points to SQL cells by name, which the read-only view never shows.
      { published: false },
    ),
  ];
}

/** The review as a notebook document (fixed ids and dates, so the shipped file is reproducible). */
export function fastTrackReview(): Notebook {
  return {
    id: REVIEW_NOTEBOOK_ID,
    title: REVIEW_TITLE,
    createdAt: CREATED,
    updatedAt: CREATED,
    settings: { runMode: 'auto' },
    cells: reviewCells(),
  };
}
