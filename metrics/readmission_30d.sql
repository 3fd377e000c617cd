-- metric: readmission_30d
-- description: Evergreen Veterans Hospital, daily 30-day (and 7-day) readmission rate by the discharge day of the index stay, over the index stays whose windows the data cover.
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
       n_readmitted_7d / n_index_stays AS readmission_rate_7d
FROM stays, windows
WHERE discharge_disposition <> 'died'
  AND CAST(admit_time AS DATE) >= window_start
  AND CAST(discharge_time AS DATE) <= window_end
GROUP BY ALL
ORDER BY discharge_date
