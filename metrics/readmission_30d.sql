-- metric: readmission_30d
-- description: Evergreen Veterans Hospital, daily 30-day (and 7-day) readmission rate by the discharge day of the index stay, over the index stays whose windows the data cover, with a CMS-style 30-day rate beside the plain one.
-- owner: Quality and Performance Office
-- tags: PUBLIC, evergreen, metric
-- upstream: evergreen_admissions
--
-- Definition. An index stay is a stay that ended with the patient discharged alive. It counts as readmitted
-- within 30 days when the same patient's next admission starts within 30 days (7 days for the 7-day rate)
-- after the index discharge. Rates are counts over index stays; the counts are kept so that rates can be
-- pooled over any period and small groups can be suppressed.
--
-- Complete windows. An index stay counts only when its 30-day look-back (the 30 days before its admission)
-- and its 30-day follow-up (the 30 days after its discharge) lie wholly inside the data. The data cover the
-- whole days between the day of the first admission and the day of the last admission in evergreen_admissions,
-- read at each rebuild (those two days may be partial, so they do not count). window_start is therefore the
-- 31st day after the first admission's day and window_end the 31st day before the last admission's day: an
-- index stay counts when it was admitted on or after window_start and discharged on or before window_end.
-- Every row carries both dates.
--
-- CMS-style definition (the *_cms columns), after the exclusions of the CMS Hospital-Wide Readmission measure
-- that the ADT feed allows, over the same complete windows. Deaths: a stay that ended in death
-- (discharge_disposition 'died') is no index stay, as in the plain definition. Transfers: when the patient's
-- next admission starts within 6 hours after the discharge (or before it), the stay continued elsewhere; that
-- next admission is no readmission, and the transferred stay is no index stay of its own, because its episode
-- ends with the stay it continued in, which is an index stay in its own right. Planned readmissions cannot be
-- told apart: the ADT feed (evergreen_admissions) carries no admission type, so no readmission is excluded as
-- planned (mimic_readmission_30d, whose admissions have an admission_type, excludes them).
--
-- The same index stays by ward and month: readmission_30d_by_ward (a test holds the two to the same counts).
--
-- column: discharge_date | date | The day the index stay ended (its discharge).
-- column: window_start | date | First admission day an index stay may have, so that its 30-day look-back lies inside the data; the same on every row.
-- column: window_end | date | Last discharge day an index stay may have, so that its 30-day follow-up lies inside the data; the same on every row.
-- column: n_index_stays | index stays | Stays discharged alive that day whose look-back and follow-up lie inside the data.
-- column: n_patients | patients | Distinct patients among those index stays; small-cell suppression reads this count.
-- column: n_readmitted_30d | index stays | Index stays followed by the same patient's next admission within 30 days after discharge.
-- column: n_readmitted_7d | index stays | Index stays followed by the same patient's next admission within 7 days after discharge.
-- column: readmission_rate_30d | proportion (0–1) | n_readmitted_30d / n_index_stays | Plain 30-day readmission rate: share of the index stays readmitted within 30 days.
-- column: readmission_rate_7d | proportion (0–1) | n_readmitted_7d / n_index_stays | Plain 7-day readmission rate: share of the index stays readmitted within 7 days.
-- column: n_index_stays_cms | index stays | CMS-style index stays: the index stays that were not transferred (no next admission within 6 hours).
-- column: n_readmitted_30d_cms | index stays | CMS-style index stays followed by a next admission within 30 days that is not a transfer.
-- column: readmission_rate_30d_cms | proportion (0–1) | n_readmitted_30d_cms / n_index_stays_cms | CMS-style 30-day readmission rate: deaths and transfers excluded, planned readmissions not (the feed cannot tell them).
--
-- caveat: Definition: a readmission is the same patient's next admission to this hospital within 30 (or 7) days of a live discharge, for any reason; the *_cms columns also leave out transfers, but no column leaves out planned readmissions (the ADT feed has no admission type). Readmissions to other hospitals are not seen.
-- caveat: Complete windows: only index stays admitted on or after {window_start} and discharged on or before {window_end} count, so that each has its whole 30-day look-back and follow-up inside the data; the dates move with the data at each rebuild.
-- caveat: Not risk-adjusted: no adjustment for age, diagnosis, severity or case mix, so a change in who is admitted changes the rates.
WITH coverage AS (
  SELECT CAST(min(admit_time) AS DATE) + 1 AS first_whole_day,
         CAST(max(admit_time) AS DATE) - 1 AS last_whole_day
  FROM evergreen_admissions
),
windows AS (
  SELECT first_whole_day + 30 AS window_start, last_whole_day - 30 AS window_end FROM coverage
),
stays AS (
  SELECT patient_id, admit_time, discharge_time, discharge_disposition,
         lead(admit_time) OVER (PARTITION BY patient_id ORDER BY admit_time) AS next_admit
  FROM evergreen_admissions
)
SELECT CAST(discharge_time AS DATE) AS discharge_date,
       window_start,
       window_end,
       count(*) AS n_index_stays,
       count(DISTINCT patient_id) AS n_patients,
       count(*) FILTER (WHERE next_admit <= discharge_time + INTERVAL 30 DAY) AS n_readmitted_30d,
       count(*) FILTER (WHERE next_admit <= discharge_time + INTERVAL 7 DAY) AS n_readmitted_7d,
       n_readmitted_30d / n_index_stays AS readmission_rate_30d,
       n_readmitted_7d / n_index_stays AS readmission_rate_7d,
       count(*) FILTER (WHERE NOT transferred) AS n_index_stays_cms,
       count(*) FILTER (WHERE NOT transferred AND next_admit <= discharge_time + INTERVAL 30 DAY)
         AS n_readmitted_30d_cms,
       n_readmitted_30d_cms / n_index_stays_cms AS readmission_rate_30d_cms
FROM (SELECT *, coalesce(next_admit <= discharge_time + INTERVAL 6 HOUR, false) AS transferred FROM stays), windows
WHERE discharge_disposition <> 'died'
  AND CAST(admit_time AS DATE) >= window_start
  AND CAST(discharge_time AS DATE) <= window_end
GROUP BY ALL
ORDER BY discharge_date
