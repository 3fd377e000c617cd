/**
 * The analytic queries every engine runs: the notebook (guard included), the bare DuckDB-WASM page and native
 * DuckDB. Each is a question a readmission review asks; together they cover a group-by, a monthly rate, a
 * window over each patient's stays, a top-k, a distinct count and a join.
 */
export interface BenchQuery {
  id: string;
  label: string;
  /** Tables the query reads, so the bare page loads them first. */
  tables: string[];
  sql: string;
}

export const ADMISSIONS = 'evergreen_admissions';
export const FORMS = 'evergreen_discharge_forms';

export const QUERIES: BenchQuery[] = [
  {
    id: 'group_by',
    label: 'group-by: stays and mean length of stay per ward',
    tables: [ADMISSIONS],
    sql: `SELECT ward, count(*) AS stays, avg(los_hours) AS mean_los_hours
FROM ${ADMISSIONS} GROUP BY ward ORDER BY ward`,
  },
  {
    id: 'monthly_rate',
    label: 'monthly rate: share of stays discharged home, per month',
    tables: [ADMISSIONS],
    sql: `SELECT date_trunc('month', discharge_time) AS month,
  avg(CASE WHEN discharge_disposition = 'home' THEN 1.0 ELSE 0.0 END) AS home_rate, count(*) AS stays
FROM ${ADMISSIONS} GROUP BY month ORDER BY month`,
  },
  {
    id: 'readmit_30d',
    label: '30-day readmission window (lead() over each patient) per ward',
    tables: [ADMISSIONS],
    sql: `WITH stays AS (
  SELECT ward, discharge_time,
    lead(admit_time) OVER (PARTITION BY patient_id ORDER BY admit_time) AS next_admit
  FROM ${ADMISSIONS}
  WHERE discharge_disposition <> 'died'
)
SELECT ward, count(*) AS index_stays,
  avg(CASE WHEN next_admit <= discharge_time + INTERVAL 30 DAY THEN 1.0 ELSE 0.0 END) AS readmit_30d
FROM stays GROUP BY ward ORDER BY ward`,
  },
  {
    id: 'top_k',
    label: 'top-k: ten attendings with the most stays',
    tables: [ADMISSIONS],
    sql: `SELECT attending_id, count(*) AS stays, avg(los_hours) AS mean_los_hours
FROM ${ADMISSIONS} GROUP BY attending_id ORDER BY stays DESC, attending_id LIMIT 10`,
  },
  {
    id: 'count_distinct',
    label: 'count distinct: patients per diagnosis group',
    tables: [ADMISSIONS],
    sql: `SELECT diagnosis_group, count(DISTINCT patient_id) AS patients
FROM ${ADMISSIONS} GROUP BY diagnosis_group ORDER BY diagnosis_group`,
  },
  {
    id: 'join',
    label: 'join: length of stay by Fast-Track flag (admissions x discharge forms)',
    tables: [ADMISSIONS, FORMS],
    sql: `SELECT f.fast_track, count(*) AS stays, avg(a.los_hours) AS mean_los_hours
FROM ${ADMISSIONS} a JOIN ${FORMS} f ON f.admission_id = a.admission_id
GROUP BY f.fast_track ORDER BY f.fast_track`,
  },
];

/** The cold-start query: small, so the page's own start-up dominates. */
export const COLD_START_QUERY: BenchQuery = {
  id: 'cold_start',
  label: 'stays per ward',
  tables: [ADMISSIONS],
  sql: `SELECT ward, count(*) AS stays FROM ${ADMISSIONS} GROUP BY ward ORDER BY ward`,
};

/** A result of every admission: the grid must page through a million rows without stalling. */
export const WIDE_RESULT_QUERY: BenchQuery = {
  id: 'all_rows',
  label: 'every admission (1M rows into the grid)',
  tables: [ADMISSIONS],
  sql: `SELECT * FROM ${ADMISSIONS}`,
};
