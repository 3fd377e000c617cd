/**
 * The SQL of the Fast-Track Discharge review notebook, one constant per cell, keyed by the cell's name. Cells
 * query the lake and each other by name; every number the review shows comes out of these queries, and none of
 * them names a ward, a date or an expected result.
 */

/** The 95% normal critical value, written once so every interval in the review uses the same one. */
const Z = '1.959964';

/**
 * The rule's start: the day the first Fast-Track discharge form was submitted. (The audit log records the
 * policy change too, but analysts do not see the audit log's contents.)
 */
export const RULE_START = `SELECT CAST(min(submitted_at) AS DATE) AS rule_date
FROM evergreen_discharge_forms
WHERE fast_track`;

/**
 * One row per live index stay whose 30-day window is complete, with its period and its outcomes. The
 * definition is the one of the `readmission_30d` metric view.
 */
export const INDEX_STAYS = `WITH stays AS (
  SELECT patient_id, ward, diagnosis_group, admit_time, discharge_time, los_hours, discharge_disposition,
         lead(admit_time) OVER (PARTITION BY patient_id ORDER BY admit_time) AS next_admit
  FROM evergreen_admissions
)
SELECT s.ward, s.diagnosis_group, s.discharge_time, s.los_hours,
       CASE WHEN s.discharge_time < r.rule_date THEN 'before' ELSE 'after' END AS period,
       coalesce(s.next_admit <= s.discharge_time + INTERVAL 7 DAY, false) AS readmitted_7d,
       coalesce(s.next_admit <= s.discharge_time + INTERVAL 30 DAY, false) AS readmitted_30d
FROM stays s, rule_start r
WHERE s.discharge_disposition <> 'died'
  AND s.discharge_time <= (SELECT max(admit_time) FROM evergreen_admissions) - INTERVAL 30 DAY`;

/** Before/after rates of one grouping with the Wald interval of the difference (after minus before). */
function rateChange(groupColumns: string[]): string {
  const keys = groupColumns.join(', ');
  const select = keys ? `${keys}, ` : '';
  const group = keys ? `GROUP BY ${keys}` : '';
  const order = keys ? 'ORDER BY difference_30d' : '';
  return `WITH p AS (
  SELECT ${select}count(*) FILTER (WHERE period = 'before') AS stays_before,
         count(*) FILTER (WHERE period = 'after') AS stays_after,
         avg(readmitted_30d::INT) FILTER (WHERE period = 'before') AS rate_30d_before,
         avg(readmitted_30d::INT) FILTER (WHERE period = 'after') AS rate_30d_after,
         avg(readmitted_7d::INT) FILTER (WHERE period = 'before') AS rate_7d_before,
         avg(readmitted_7d::INT) FILTER (WHERE period = 'after') AS rate_7d_after
  FROM index_stays ${group}
)
SELECT *,
       rate_30d_after - rate_30d_before AS difference_30d,
       difference_30d - ${Z} * sqrt(rate_30d_before * (1 - rate_30d_before) / stays_before
                                   + rate_30d_after * (1 - rate_30d_after) / stays_after) AS ci_low_30d,
       difference_30d + ${Z} * sqrt(rate_30d_before * (1 - rate_30d_before) / stays_before
                                   + rate_30d_after * (1 - rate_30d_after) / stays_after) AS ci_high_30d,
       rate_7d_after - rate_7d_before AS difference_7d,
       difference_7d - ${Z} * sqrt(rate_7d_before * (1 - rate_7d_before) / stays_before
                                  + rate_7d_after * (1 - rate_7d_after) / stays_after) AS ci_low_7d,
       difference_7d + ${Z} * sqrt(rate_7d_before * (1 - rate_7d_before) / stays_before
                                  + rate_7d_after * (1 - rate_7d_after) / stays_after) AS ci_high_7d
FROM p
${order}`.trim();
}

export const READMISSION_OVERALL = rateChange([]);
export const READMISSION_BY_WARD = rateChange(['ward']);
export const READMISSION_BY_DIAGNOSIS = rateChange(['ward', 'diagnosis_group']);

/** The published daily metric, pooled by month, from its newest snapshot: what leadership sees. */
export const MONTHLY_READMISSION = `SELECT CAST(date_trunc('month', discharge_date) AS DATE) AS month,
       sum(n_readmitted_30d) / sum(n_index_stays) AS rate_30d,
       sum(n_readmitted_7d) / sum(n_index_stays) AS rate_7d,
       sum(n_index_stays) AS index_stays
FROM readmission_30d
WHERE as_of = (SELECT max(as_of) FROM readmission_30d)
GROUP BY ALL
ORDER BY month`;

/** Every completed stay (deaths included, as in `los_by_ward`) with its period, in days. */
export const STAY_LENGTHS = `SELECT a.ward, a.diagnosis_group, a.los_hours / 24 AS los_days,
       CASE WHEN a.discharge_time < r.rule_date THEN 'before' ELSE 'after' END AS period
FROM evergreen_admissions a, rule_start r`;

/** Length of stay per ward and period: the distribution's quartiles and tails, and the mean. */
export const LOS_DISTRIBUTION = `SELECT ward, period, count(*) AS stays,
       quantile_cont(los_days, 0.1) AS p10_days,
       quantile_cont(los_days, 0.25) AS p25_days,
       median(los_days) AS median_days,
       quantile_cont(los_days, 0.75) AS p75_days,
       quantile_cont(los_days, 0.9) AS p90_days,
       avg(los_days) AS mean_days
FROM stay_lengths
GROUP BY ALL
ORDER BY ward, period DESC`;

/** Change of mean length of stay per ward, with Welch's interval (normal quantile: thousands of stays). */
export const LOS_CHANGE = `WITH p AS (
  SELECT ward,
         avg(los_days) FILTER (WHERE period = 'before') AS mean_before,
         avg(los_days) FILTER (WHERE period = 'after') AS mean_after,
         var_samp(los_days) FILTER (WHERE period = 'before') / count(*) FILTER (WHERE period = 'before') AS v_before,
         var_samp(los_days) FILTER (WHERE period = 'after') / count(*) FILTER (WHERE period = 'after') AS v_after
  FROM stay_lengths GROUP BY ward
)
SELECT ward, mean_before, mean_after,
       mean_after - mean_before AS difference_days,
       difference_days / mean_before AS relative_change,
       difference_days - ${Z} * sqrt(v_before + v_after) AS ci_low_days,
       difference_days + ${Z} * sqrt(v_before + v_after) AS ci_high_days
FROM p
ORDER BY relative_change`;

/**
 * Each live discharge with the two early-discharge flags: within 6 hours after a bed-exit alarm of the same
 * stay, or shorter than half the usual stay of its diagnosis group, where "usual" is the median before the
 * rule (so the rule's own effect on stays does not move the yardstick).
 */
export const DISCHARGE_FLAGS = `WITH usual AS (
  SELECT diagnosis_group, median(los_hours) AS usual_los_hours
  FROM evergreen_admissions, rule_start r
  WHERE discharge_time < r.rule_date
  GROUP BY diagnosis_group
),
alarm_before_discharge AS (
  SELECT DISTINCT a.admission_id
  FROM evergreen_admissions a JOIN evergreen_bed_alarms b USING (admission_id)
  WHERE b.alarm_type = 'bed_exit'
    AND b.alarm_time <= a.discharge_time AND b.alarm_time > a.discharge_time - INTERVAL 6 HOUR
)
SELECT a.ward, a.diagnosis_group, a.discharge_time, a.los_hours,
       CASE WHEN a.discharge_time < r.rule_date THEN 'before' ELSE 'after' END AS period,
       ab.admission_id IS NOT NULL AS after_bed_alarm_6h,
       a.los_hours < 0.5 * u.usual_los_hours AS well_below_usual_stay,
       after_bed_alarm_6h OR well_below_usual_stay AS flagged,
       coalesce(f.fast_track, false) AS fast_track
FROM evergreen_admissions a
JOIN usual u USING (diagnosis_group)
LEFT JOIN alarm_before_discharge ab USING (admission_id)
LEFT JOIN evergreen_discharge_forms f USING (admission_id)
CROSS JOIN rule_start r
WHERE a.discharge_disposition <> 'died'`;

export const FLAGS_BY_WARD = `WITH p AS (
  SELECT ward,
         count(*) FILTER (WHERE period = 'before') AS discharges_before,
         count(*) FILTER (WHERE period = 'after') AS discharges_after,
         avg(flagged::INT) FILTER (WHERE period = 'before') AS flagged_before,
         avg(flagged::INT) FILTER (WHERE period = 'after') AS flagged_after,
         avg(after_bed_alarm_6h::INT) FILTER (WHERE period = 'after') AS after_alarm_share_after,
         avg(well_below_usual_stay::INT) FILTER (WHERE period = 'after') AS short_stay_share_after,
         avg(fast_track::INT) FILTER (WHERE period = 'after') AS fast_track_share_after
  FROM discharge_flags GROUP BY ward
)
SELECT *, flagged_after - flagged_before AS difference,
       difference - ${Z} * sqrt(flagged_before * (1 - flagged_before) / discharges_before
                               + flagged_after * (1 - flagged_after) / discharges_after) AS ci_low,
       difference + ${Z} * sqrt(flagged_before * (1 - flagged_before) / discharges_before
                               + flagged_after * (1 - flagged_after) / discharges_after) AS ci_high
FROM p
ORDER BY difference DESC`;

/**
 * The screen for gaming: each ward ranked by the rise in 7-day readmissions and by the fall in length of
 * stay; a ward that leads both lists, and whose early-discharge flags rose, is the one to review.
 */
export const GAMING_SCREEN = `SELECT r.ward,
       r.difference_7d AS rise_7d, r.ci_low_7d, r.ci_high_7d,
       l.relative_change AS los_change, f.difference AS flag_change,
       rank() OVER (ORDER BY r.difference_7d DESC) AS rank_7d_rise,
       rank() OVER (ORDER BY l.relative_change) AS rank_los_drop,
       rank() OVER (ORDER BY f.difference DESC) AS rank_flag_rise,
       rank_7d_rise + rank_los_drop + rank_flag_rise AS combined_rank
FROM readmission_by_ward r
JOIN los_change l USING (ward)
JOIN flags_by_ward f USING (ward)
ORDER BY combined_rank, rise_7d DESC`;

/** The ward the screen puts first, and whether its 7-day rise is clear of chance (interval above zero). */
export const WARD_UNDER_REVIEW = `SELECT ward, rise_7d, ci_low_7d > 0 AS rise_is_clear, los_change, flag_change
FROM gaming_screen
ORDER BY combined_rank, rise_7d DESC
LIMIT 1`;

/** Month by month, the ward under review against all other wards. */
export const WARD_VS_REST = `SELECT CAST(date_trunc('month', s.discharge_time) AS DATE) AS month,
       CASE WHEN s.ward = w.ward THEN s.ward ELSE 'All other wards' END AS wards,
       avg(s.readmitted_7d::INT) AS rate_7d,
       avg(s.readmitted_30d::INT) AS rate_30d,
       avg(s.los_hours) / 24 AS mean_los_days
FROM index_stays s, ward_under_review w
GROUP BY ALL
ORDER BY month, wards`;

/** The ward under review's stays, for its length-of-stay histogram before and after. */
export const REVIEW_WARD_STAYS = `SELECT l.los_days, l.period
FROM stay_lengths l JOIN ward_under_review w USING (ward)`;
