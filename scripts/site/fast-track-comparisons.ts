import type { RuleStart } from './fast-track-rule.ts';

/**
 * Which metric packs carry a before/after summary, and what it compares. Evergreen Veterans Hospital switched
 * on its Fast-Track Discharge rule on the day its audit log records (fast-track-rule.ts reads it from the
 * lake); every Fast-Track metric is compared on either side of that day, for the whole hospital and, where the
 * metric has wards, per ward. The comparisons only name metric columns: their results come from the data.
 */
export interface RateSpec {
  measure: string;
  numerator: string;
  denominator: string;
  /** Which way of the rate is worse, when one is: a screen of the wards names only groups that moved that way. */
  worse?: 'higher' | 'lower';
}

export interface MeanSpec {
  measure: string;
  column: string;
  /** Rows of one period value (one month) are pooled first, weighted by this count. */
  weight: string;
}

/**
 * Groups of the same rates pooled from another metric view that counts the same stays at a finer grain (e.g.
 * by ward and month): their comparisons join the pack's own, and each pack links to the other.
 */
export interface BreakdownSpec {
  metric: string;
  periodColumn: string;
  /** Groupings of the breakdown's rows, e.g. `[["ward"]]`. */
  groupings: string[][];
}

export interface ComparisonSpec {
  periodColumn: string;
  /** Each entry is one breakdown; `[]` is the whole hospital. */
  groupings: string[][];
  rates: RateSpec[];
  means: MeanSpec[];
  breakdowns?: BreakdownSpec[];
}

export interface BeforeAfterSpecs {
  intervention: { label: string; date: string; source?: string };
  metrics: Record<string, ComparisonSpec>;
}

export const FAST_TRACK_LABEL = 'Fast-Track Discharge rule';

/** The Fast-Track comparisons around the rule's start as the lake records it. */
export function fastTrackComparisons(rule: Pick<RuleStart, 'date' | 'source'>): BeforeAfterSpecs {
  return {
    intervention: { label: FAST_TRACK_LABEL, date: rule.date, source: rule.source },
    metrics: FAST_TRACK_METRICS,
  };
}

const READMISSION_RATES: RateSpec[] = [
  {
    measure: 'readmission_rate_30d',
    numerator: 'n_readmitted_30d',
    denominator: 'n_index_stays',
    worse: 'higher',
  },
  {
    measure: 'readmission_rate_7d',
    numerator: 'n_readmitted_7d',
    denominator: 'n_index_stays',
    worse: 'higher',
  },
  {
    measure: 'readmission_rate_30d_cms',
    numerator: 'n_readmitted_30d_cms',
    denominator: 'n_index_stays_cms',
    worse: 'higher',
  },
];

export const FAST_TRACK_METRICS: Record<string, ComparisonSpec> = {
  // The daily view has no ward: its ward comparisons pool the ward view's months (the same index stays), so
  // a reader of the hospital-wide figure sees the wards beside it.
  readmission_30d: {
    periodColumn: 'discharge_date',
    groupings: [[]],
    rates: READMISSION_RATES,
    means: [],
    breakdowns: [
      { metric: 'readmission_30d_by_ward', periodColumn: 'discharge_month', groupings: [['ward']] },
    ],
  },
  readmission_30d_by_ward: {
    periodColumn: 'discharge_month',
    groupings: [[], ['ward']],
    rates: READMISSION_RATES,
    means: [],
  },
  los_by_ward: {
    periodColumn: 'discharge_month',
    groupings: [[], ['ward']],
    rates: [],
    means: [{ measure: 'mean_los_hours', column: 'mean_los_hours', weight: 'n_admissions' }],
  },
  early_discharge_flags: {
    periodColumn: 'discharge_month',
    groupings: [[], ['ward']],
    rates: [
      { measure: 'flagged_share', numerator: 'n_flagged', denominator: 'n_discharges', worse: 'higher' },
      {
        measure: 'after_bed_alarm_6h_share',
        numerator: 'n_after_bed_alarm_6h',
        denominator: 'n_discharges',
        worse: 'higher',
      },
      {
        measure: 'well_below_usual_stay_share',
        numerator: 'n_well_below_usual_stay',
        denominator: 'n_discharges',
        worse: 'higher',
      },
      { measure: 'fast_track_share', numerator: 'n_fast_track', denominator: 'n_discharges' },
    ],
    means: [],
  },
};
