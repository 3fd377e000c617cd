-- metric: early_discharge_flags
-- description: Evergreen Veterans Hospital, live discharges by ward and month with the number flagged as possibly too early.
-- owner: Quality and Performance Office
-- tags: PUBLIC, evergreen, metric
-- upstream: evergreen_admissions, evergreen_bed_alarms, evergreen_discharge_forms
--
-- Definition. A live discharge is flagged when either
--   (a) it happened within 6 hours after a bed-exit alarm of the same admission, or
--   (b) its length of stay is below half the median length of stay of its diagnosis group (over all stays).
-- The Fast-Track count comes from the discharge form. Counts, not rates, so groups can be pooled and small
-- groups suppressed.
--
-- column: discharge_month | date | First day of the month in which the stays ended (their discharge).
-- column: ward | ward name | The ward of the stay.
-- column: n_discharges | discharges | Live discharges from the ward in the month (deaths are not discharges here).
-- column: n_patients | patients | Distinct patients among those discharges; small-cell suppression reads this count.
-- column: n_after_bed_alarm_6h | discharges | Discharges within 6 hours after a bed-exit alarm of the same admission.
-- column: n_well_below_usual_stay | discharges | Discharges whose length of stay is below half the median of their diagnosis group.
-- column: n_flagged | discharges | Discharges flagged as possibly too early: after a bed alarm, well below the usual stay, or both.
-- column: n_fast_track | discharges | Discharges whose discharge form was a Fast-Track form.
-- column: flagged_share | proportion (0–1) | n_flagged / n_discharges | Share of the live discharges flagged as possibly too early.
--
-- caveat: Definition: a flag marks a discharge worth a look, not a discharge that was too early; "usual stay" is the median length of stay of the diagnosis group over all stays, before and after the rule alike, so the yardstick itself moves when stays get shorter.
-- caveat: Not risk-adjusted: no adjustment for diagnosis, severity or case mix.
WITH usual AS (
  SELECT diagnosis_group, quantile_cont(los_hours, 0.5) AS median_los_hours
  FROM evergreen_admissions GROUP BY diagnosis_group
),
after_alarm AS (
  SELECT DISTINCT a.admission_id
  FROM evergreen_admissions a JOIN evergreen_bed_alarms b USING (admission_id)
  WHERE b.alarm_type = 'bed_exit'
    AND b.alarm_time <= a.discharge_time AND b.alarm_time > a.discharge_time - INTERVAL 6 HOUR
),
flags AS (
  SELECT a.admission_id, a.patient_id, a.ward, CAST(date_trunc('month', a.discharge_time) AS DATE) AS discharge_month,
         aa.admission_id IS NOT NULL AS after_bed_alarm,
         a.los_hours < 0.5 * u.median_los_hours AS well_below_usual_stay,
         coalesce(f.fast_track, false) AS fast_track
  FROM evergreen_admissions a
  JOIN usual u USING (diagnosis_group)
  LEFT JOIN after_alarm aa USING (admission_id)
  LEFT JOIN evergreen_discharge_forms f USING (admission_id)
  WHERE a.discharge_disposition <> 'died'
)
SELECT discharge_month, ward,
       count(*) AS n_discharges,
       count(DISTINCT patient_id) AS n_patients,
       count(*) FILTER (WHERE after_bed_alarm) AS n_after_bed_alarm_6h,
       count(*) FILTER (WHERE well_below_usual_stay) AS n_well_below_usual_stay,
       count(*) FILTER (WHERE after_bed_alarm OR well_below_usual_stay) AS n_flagged,
       count(*) FILTER (WHERE fast_track) AS n_fast_track,
       n_flagged / n_discharges AS flagged_share
FROM flags
GROUP BY ALL
ORDER BY discharge_month, ward
