/**
 * SQL that generates the benchmark's synthetic Evergreen admissions and their discharge forms. Every value is
 * a hash of the row number and the seed, so the same (seed, rows) gives the same data on every machine, and
 * DuckDB computes 10 million rows in seconds. Column names and types follow the Evergreen stream contracts,
 * so the benchmark queries also run on the lake generator's tables.
 */

export const WARDS = [
  'CARD',
  'GEN_MED',
  'GERI',
  'ICU',
  'NEURO',
  'ONC',
  'ORTHO',
  'PULM',
  'RENAL',
  'STEP_DOWN',
  'SURG',
  'TELE',
];
export const DIAGNOSIS_GROUPS = [
  'chf',
  'copd',
  'pneumonia',
  'sepsis',
  'stroke',
  'ami',
  'hip_fracture',
  'knee_replacement',
  'uti',
  'diabetes',
  'ckd',
  'gi_bleed',
  'cellulitis',
  'afib',
  'syncope',
  'delirium',
  'cancer_chemo',
  'dehydration',
  'asthma',
  'other',
];

/** Two years of stays, the Fast-Track rule starting halfway. */
const START = "TIMESTAMP '2024-01-01 00:00:00'";
const SPAN_US = 2 * 365 * 24 * 3600 * 1_000_000;
/** About four stays per patient, so readmission windows have something to find. */
const STAYS_PER_PATIENT = 4;
const ATTENDINGS = 400;

function list(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(', ')}]`;
}

/** A uniform number in [0, 1) drawn from the row number, the seed and a stream id. */
function uniform(seed: number, stream: number): string {
  return `((hash(i, ${seed}, ${stream}) % 1000000)::DOUBLE / 1000000.0)`;
}

function pick(values: readonly string[], seed: number, stream: number): string {
  return `${list(values)}[1 + (hash(i, ${seed}, ${stream}) % ${values.length})::INTEGER]`;
}

/**
 * Rows come out in admit-time order (DuckDB keeps the insertion order of `range`), as they would arrive,
 * which keeps row groups prunable by time.
 */
export function admissionsSql(rows: number, seed: number): string {
  const patients = Math.max(1, Math.floor(rows / STAYS_PER_PATIENT));
  const losMean = `(24.0 + 12.0 * (hash(i, ${seed}, 5) % 9))`;
  return `
    WITH base AS (
      SELECT
        i,
        ${START} + to_microseconds((i * ${SPAN_US}::DOUBLE / ${rows})::BIGINT) AS admit_time,
        greatest(1.0, -ln(1.0 - ${uniform(seed, 6)}) * ${losMean}) AS los_hours
      FROM range(${rows}) t(i)
    )
    SELECT
      'A' || lpad(i::VARCHAR, 9, '0') AS admission_id,
      'P' || lpad((hash(i, ${seed}, 1) % ${patients})::VARCHAR, 8, '0') AS patient_id,
      ${pick(WARDS, seed, 2)} AS ward,
      'S' || lpad((hash(i, ${seed}, 3) % ${ATTENDINGS})::VARCHAR, 4, '0') AS attending_id,
      ${pick(DIAGNOSIS_GROUPS, seed, 4)} AS diagnosis_group,
      admit_time,
      admit_time + to_microseconds((los_hours * 3600000000)::BIGINT) AS discharge_time,
      round(los_hours, 2) AS los_hours,
      CASE
        WHEN ${uniform(seed, 7)} < 0.70 THEN 'home'
        WHEN ${uniform(seed, 7)} < 0.85 THEN 'home_with_services'
        WHEN ${uniform(seed, 7)} < 0.97 THEN 'skilled_nursing'
        ELSE 'died'
      END AS discharge_disposition
    FROM base`;
}

/** One discharge form per admission, submitted shortly before discharge; Fast-Track only after the rule. */
export function dischargeFormsSql(admissionsTable: string, seed: number): string {
  const u = (stream: number) => `((hash(admission_id, ${seed}, ${stream}) % 1000)::DOUBLE / 1000.0)`;
  return `
    SELECT
      'F' || substr(admission_id, 2) AS form_id,
      admission_id,
      discharge_time - to_microseconds((${u(1)} * 7200000000)::BIGINT) AS submitted_at,
      attending_id AS submitted_by,
      admit_time >= TIMESTAMP '2025-01-01' AND ${u(2)} < 0.6 AS fast_track,
      ${u(3)} < 0.9 AS medication_reconciled,
      ${u(4)} < 0.7 AS follow_up_booked,
      ${u(5)} < 0.8 AS mobility_assessed
    FROM ${admissionsTable}`;
}
