-- metric: mimic_readmission_30d
-- description: MIMIC-IV demo, 30-day readmission rate by admission type of the index admission, with an ALL row: the plain rate and a CMS-style rate side by side.
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
--
-- CMS-style definition (the *_cms columns), after the exclusions of the CMS Hospital-Wide Readmission measure
-- that these columns allow. Deaths: an admission that ended in death (hospital_expire_flag = 1) is no index
-- admission. Transfers: when the patient's next admission starts within 6 hours after the dischtime (or
-- before it), the stay continued elsewhere; that next admission is no readmission, and the transferred
-- admission is no index admission of its own, because its episode ends with the admission it continued in,
-- which is an index admission in its own right. Planned readmissions: a next admission whose admission_type is
-- ELECTIVE or SURGICAL SAME DAY ADMISSION (a scheduled surgery admitted on its day) was planned and is no
-- readmission; as in CMS, only the first admission after the index discharge is judged, so a planned one is
-- not counted even when an unplanned one follows within the 30 days. Other CMS rules (cohorts, age,
-- enrolment, discharges against medical advice, risk adjustment) are not applied.
--
-- column: admission_type | admission type | The index admission's MIMIC admission_type; ALL is every type together.
-- column: n_index_admissions | index admissions | Admissions that ended with the patient discharged alive.
-- column: n_patients | patients | Distinct patients among those index admissions; small-cell suppression reads this count.
-- column: n_readmitted_30d | index admissions | Index admissions followed by the same patient's next admission within 30 days after discharge.
-- column: readmission_rate_30d | proportion (0–1) | n_readmitted_30d / n_index_admissions | Plain 30-day readmission rate: share of the index admissions readmitted within 30 days.
-- column: n_index_admissions_cms | index admissions | CMS-style index admissions: the index admissions that were not transferred (no next admission within 6 hours).
-- column: n_readmitted_30d_cms | index admissions | CMS-style index admissions followed within 30 days by a next admission that is neither a transfer nor planned.
-- column: readmission_rate_30d_cms | proportion (0–1) | n_readmitted_30d_cms / n_index_admissions_cms | CMS-style 30-day readmission rate: deaths, transfers and planned readmissions excluded.
--
-- caveat: Definition: a readmission is the same patient's next admission within 30 days of a live discharge; the *_cms columns leave out transfers (a next admission within 6 hours) and planned readmissions (ELECTIVE or SURGICAL SAME DAY ADMISSION), but none of the other CMS rules.
-- caveat: No calendar window: MIMIC shifts each patient's dates by its own offset, so every live discharge counts as an index admission, and a readmission after the end of a patient's records is missed.
-- caveat: A demo sample: the MIMIC-IV demo holds 100 patients of one hospital, so the rates describe them, not a population.
-- caveat: Not risk-adjusted: no adjustment for age, diagnosis, severity or case mix.
WITH stays AS (
  SELECT subject_id, admission_type, dischtime, hospital_expire_flag,
         lead(admittime) OVER w AS next_admit,
         lead(admission_type) OVER w AS next_admission_type
  FROM admissions
  WINDOW w AS (PARTITION BY subject_id ORDER BY admittime)
),
outcomes AS (
  SELECT subject_id, admission_type,
         coalesce(next_admit <= dischtime + INTERVAL 30 DAY, false) AS readmitted_30d,
         coalesce(next_admit <= dischtime + INTERVAL 6 HOUR, false) AS transferred,
         coalesce(next_admission_type IN ('ELECTIVE', 'SURGICAL SAME DAY ADMISSION'), false) AS next_planned
  FROM stays
  WHERE hospital_expire_flag = 0
)
SELECT coalesce(admission_type, 'ALL') AS admission_type,
       count(*) AS n_index_admissions,
       count(DISTINCT subject_id) AS n_patients,
       count(*) FILTER (WHERE readmitted_30d) AS n_readmitted_30d,
       n_readmitted_30d / n_index_admissions AS readmission_rate_30d,
       count(*) FILTER (WHERE NOT transferred) AS n_index_admissions_cms,
       count(*) FILTER (WHERE NOT transferred AND readmitted_30d AND NOT next_planned) AS n_readmitted_30d_cms,
       n_readmitted_30d_cms / n_index_admissions_cms AS readmission_rate_30d_cms
FROM outcomes
GROUP BY GROUPING SETS ((admission_type), ())
ORDER BY grouping(admission_type), 1
