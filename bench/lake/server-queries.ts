/**
 * The server section's queries: the analytic queries of queries.ts that read `evergreen_admissions` alone,
 * plus a filtered count on the partition column and a join with the ward table. The admissions × discharge
 * forms join of queries.ts is left out: at 60M rows it is a 60M × 60M hash join, beyond the server's 2 GB
 * per instance and the section's time budget, and it says nothing the dimension join does not about what
 * the server adds to a query.
 */
import { ADMISSIONS, QUERIES, type BenchQuery } from './queries.ts';
import { WARDS_TABLE } from './partitioned-lake.ts';

const reused = ['group_by', 'monthly_rate', 'top_k', 'count_distinct', 'readmit_30d'];

export const SERVER_QUERIES: BenchQuery[] = [
  ...reused.map((id) => QUERIES.find((q) => q.id === id)!),
  {
    id: 'filter_count',
    label: 'filter + count: Cardiology stays admitted in 2024 (the year is a partition column)',
    tables: [ADMISSIONS],
    sql: `SELECT count(*) AS stays FROM ${ADMISSIONS} WHERE year = 2024 AND ward = 'Cardiology'`,
  },
  {
    id: 'join_wards',
    label: 'join: stays and mean length of stay per service line (admissions x wards)',
    tables: [ADMISSIONS, WARDS_TABLE],
    sql: `SELECT w.service_line, count(*) AS stays, avg(a.los_hours) AS mean_los_hours
FROM ${ADMISSIONS} a JOIN ${WARDS_TABLE} w ON w.ward = a.ward
GROUP BY w.service_line ORDER BY w.service_line`,
  },
];

/**
 * Queries whose one run takes seconds to tens of seconds on two threads once the lake is past 10M rows
 * (a distinct count holding every patient per group, a window sorting every stay by patient): at 60M
 * rows their twelve runs alone would take most of the section's quarter of an hour, so they run only up
 * to that size.
 */
export const HEAVY_QUERIES = ['count_distinct', 'readmit_30d'];
export const HEAVY_UP_TO_ROWS = 10_000_000;

/** A one-row statement: what a request costs the server when the query itself costs nothing. */
export const FIXED_COST_QUERY = 'SELECT 42 AS answer';

/** The 1M-row result whose first batch and whole transfer are timed. */
export const MILLION_ROWS = 1_000_000;
export const FIRST_BATCH_QUERY = `SELECT * FROM ${ADMISSIONS} LIMIT ${MILLION_ROWS}`;
