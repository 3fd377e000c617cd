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
