-- metric: readmission_30d
-- description: Evergreen Veterans Hospital, daily 30-day (and 7-day) readmission rate by the discharge day of the index stay.
-- owner: Quality and Performance Office
-- tags: PUBLIC, evergreen, metric
-- upstream: evergreen_admissions
--
-- Definition. An index stay is a stay that ended with the patient discharged alive. It counts as readmitted
-- within 30 days when the same patient's next admission starts within 30 days (7 days for the 7-day rate)
-- after the index discharge. Index stays discharged less than 30 days before the newest admission in the data
-- are left out, because their 30-day window is not complete yet. Rates are counts over index stays; the counts
-- are kept so that rates can be pooled over any period and small groups can be suppressed.
WITH stays AS (
  SELECT patient_id, admit_time, discharge_time, discharge_disposition,
         lead(admit_time) OVER (PARTITION BY patient_id ORDER BY admit_time) AS next_admit
  FROM evergreen_admissions
),
data_end AS (SELECT max(admit_time) AS t FROM evergreen_admissions)
SELECT CAST(discharge_time AS DATE) AS discharge_date,
       count(*) AS n_index_stays,
       count(DISTINCT patient_id) AS n_patients,
       count(*) FILTER (WHERE next_admit <= discharge_time + INTERVAL 30 DAY) AS n_readmitted_30d,
       count(*) FILTER (WHERE next_admit <= discharge_time + INTERVAL 7 DAY) AS n_readmitted_7d,
       n_readmitted_30d / n_index_stays AS readmission_rate_30d,
       n_readmitted_7d / n_index_stays AS readmission_rate_7d
FROM stays, data_end
WHERE discharge_disposition <> 'died' AND discharge_time <= data_end.t - INTERVAL 30 DAY
GROUP BY ALL
ORDER BY discharge_date
