-- metric: mimic_readmission_30d
-- description: MIMIC-IV demo, 30-day readmission rate by admission type of the index admission, with an ALL row.
-- owner: Clinical Research Data Office
-- tags: PUBLIC, mimic, metric
-- upstream: admissions
--
-- Definition (the same as the Evergreen readmission_30d). An index admission is an admission whose patient was
-- discharged alive (hospital_expire_flag = 0). It counts as readmitted when the same patient's next admission
-- (by admittime) starts within 30 days after the index dischtime. MIMIC shifts each patient's dates by its own
-- offset, so intervals within one patient are true but calendar dates are not: the metric has no date column,
-- and since there is no common data end every live discharge counts as an index admission (a readmission after
-- the end of a patient's records would be missed).
WITH stays AS (
  SELECT subject_id, admission_type, dischtime, hospital_expire_flag,
         lead(admittime) OVER (PARTITION BY subject_id ORDER BY admittime) AS next_admit
  FROM admissions
)
SELECT coalesce(admission_type, 'ALL') AS admission_type,
       count(*) AS n_index_admissions,
       count(DISTINCT subject_id) AS n_patients,
       count(*) FILTER (WHERE next_admit <= dischtime + INTERVAL 30 DAY) AS n_readmitted_30d,
       n_readmitted_30d / n_index_admissions AS readmission_rate_30d
FROM stays
WHERE hospital_expire_flag = 0
GROUP BY GROUPING SETS ((admission_type), ())
ORDER BY grouping(admission_type), 1
