/**
 * Evergreen Veterans Hospital: a fictional hospital whose streams are simulated here, deterministically, from a
 * seed. Every random draw is a hash of (seed, row number, purpose), computed inside DuckDB, so the same seed gives
 * the same rows at any scale and millions of admissions are generated without a JavaScript loop.
 *
 * Timeline: admissions from 2024-03-01 to 2026-03-01. The Fast-Track Discharge rule starts on 2025-03-01.
 *
 * Streams:
 * - ADT feed (`evergreen_adt`): one record per completed stay: ward, attending, diagnosis group, admit and
 *   discharge times, length of stay, disposition.
 * - Discharge forms (`evergreen_discharge_forms`): submitted through the staff portal before each live discharge,
 *   with the Fast-Track flag and three checklist items.
 * - Bed sensors (`evergreen_bed_sensors`): bed-exit alarms during stays. About 1% of alarms are sent twice
 *   (sensor retries, the same alarm id), and about 0.2% of messages are glitches without an alarm time.
 * - Audit log (`evergreen_audit`): views, exports, denied views and amendments by staff, plus the policy change
 *   that switches the rule on.
 *
 * What is planted (the review must find it from the data; nothing else in the project states it):
 * - Readmissions are generated explicitly: each live index stay is followed by a readmission of the same
 *   patient, to the same ward and diagnosis group, within 7 days with probability p7, within 8-30 days with
 *   probability p30, and within 31-90 days with probability 0.05. There are no other repeat admissions.
 * - Before the rule, on every ward: p7 = 0.04, p30 = 0.10 (14% of live index stays are readmitted within 30
 *   days; counted over all live stays, readmissions included, the rate is about 12%).
 * - After the rule, on every ward but Respiratory: p7 = 0.03, p30 = 0.075 (10.5%, about 9% over all live
 *   stays): a real reduction.
 *   Length of stay falls by 5%, and follow-up appointments are booked more often (85% instead of 60%).
 * - After the rule, on Respiratory (the gaming ward): length of stay falls by 45%, p7 = 0.12 and p30 = 0.09
 *   (7-day readmissions triple, 30-day readmissions rise to 21% of index stays, about 17% of all); 80% of its discharges are Fast-Track
 *   (35% elsewhere); checklist items are skipped more often; and 45% of its discharges come within 6 hours of a
 *   bed-exit alarm (4% elsewhere and before the rule).
 * - About 2% of stays end in death; they have no discharge form and no readmission.
 */

export const TIMELINE = { start: '2024-03-01', rule: '2025-03-01', days: 730 } as const;
export const GAMING_WARD = 'Respiratory';

const WARDS: { ward: string; code: string; groups: [string, number][] }[] = [
  {
    ward: 'Cardiology',
    code: 'CAR',
    groups: [
      ['Heart failure', 5.2],
      ['Chest pain', 1.8],
      ['Arrhythmia', 3.1],
    ],
  },
  {
    ward: 'General Medicine',
    code: 'GEN',
    groups: [
      ['Sepsis', 6.4],
      ['Diabetes', 3.9],
      ['Cellulitis', 4.2],
    ],
  },
  {
    ward: 'Orthopaedics',
    code: 'ORT',
    groups: [
      ['Hip fracture', 8.3],
      ['Joint replacement', 3.4],
    ],
  },
  {
    ward: GAMING_WARD,
    code: 'RES',
    groups: [
      ['COPD exacerbation', 4.8],
      ['Pneumonia', 5.6],
    ],
  },
  {
    ward: 'Surgery',
    code: 'SUR',
    groups: [
      ['Appendicitis', 2.6],
      ['Cholecystitis', 3.3],
      ['Hernia', 1.9],
    ],
  },
  {
    ward: 'Oncology',
    code: 'ONC',
    groups: [
      ['Neutropenic fever', 5.9],
      ['Chemotherapy complication', 4.4],
    ],
  },
];

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** SQL statements that leave tables `adt`, `forms`, `alarms` and `audit` in the session. */
export function simulationSql(seed: number, admissions: number): string[] {
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a whole number');
  if (!Number.isInteger(admissions) || admissions < 1 || admissions > 10_000_000) {
    throw new Error('--scale must be a whole number from 1 to 10000000');
  }
  // Index stays plus their readmissions come to about `admissions` (19% of live index stays are readmitted).
  const base = Math.max(1, Math.round(admissions / 1.19));
  const wards = WARDS.map((w, i) => `(${i}, ${lit(w.ward)}, ${lit(w.code)}, ${w.groups.length})`).join(', ');
  const groups = WARDS.flatMap((w, i) =>
    w.groups.map(([g, days], k) => `(${i}, ${k}, ${lit(g)}, ${days})`),
  ).join(', ');
  const start = `TIMESTAMP '${TIMELINE.start}'`;
  const rule = `TIMESTAMP '${TIMELINE.rule}'`;
  const after = (t: string) => `(${t} >= ${rule})`;
  const gaming = `(ward = ${lit(GAMING_WARD)})`;
  const normal = (u: string) => `sqrt(-2 * ln(greatest(${u}, 1e-12)))`;
  return [
    `CREATE OR REPLACE MACRO u(n, purpose) AS (hash(${seed}::UBIGINT, n, purpose) % 1000000007)::DOUBLE / 1000000007`,
    `CREATE OR REPLACE TABLE wards AS SELECT * FROM (VALUES ${wards}) w(ward_idx, ward, code, n_groups)`,
    `CREATE OR REPLACE TABLE groups AS SELECT * FROM (VALUES ${groups}) g(ward_idx, k, diagnosis_group, mean_days)`,
    // Index stays: ward, diagnosis group and admission time, then whether and when the patient comes back.
    `CREATE OR REPLACE TABLE stays AS
     WITH s AS (
       SELECT range AS n, floor(u(range, 'ward') * 6)::INTEGER AS ward_idx,
              ${start} + to_seconds((floor(u(range, 'admit') * ${TIMELINE.days} * 1440) * 60)::BIGINT) AS admit_time
       FROM range(${base}))
     SELECT s.n, s.n AS episode, 0 AS visit, s.ward_idx, w.ward, w.code, g.diagnosis_group, g.mean_days, s.admit_time
     FROM s JOIN wards w USING (ward_idx)
     JOIN groups g ON g.ward_idx = s.ward_idx AND g.k = floor(u(s.n, 'group') * w.n_groups)::INTEGER`,
    `CREATE OR REPLACE TABLE readmits AS
     WITH s AS (
       SELECT *, u(n, 'readmit') AS r, u(n, 'gap') AS g, u(n, 'died') < 0.02 AS died,
              CASE WHEN ${after('admit_time')} AND ${gaming} THEN 0.12 WHEN ${after('admit_time')} THEN 0.03 ELSE 0.04 END AS p7,
              CASE WHEN ${after('admit_time')} AND ${gaming} THEN 0.09 WHEN ${after('admit_time')} THEN 0.075 ELSE 0.10 END AS p30
       FROM stays)
     SELECT ${base} + row_number() OVER (ORDER BY n) - 1 AS n, episode, 1 AS visit, ward_idx, ward, code, diagnosis_group,
            mean_days,
            CASE WHEN r < p7 THEN 0.5 + g * 6.5 WHEN r < p7 + p30 THEN 7.5 + g * 22.5 ELSE 31 + g * 59 END AS gap_days
     FROM s WHERE NOT died AND r < p7 + p30 + 0.05`,
    // Length of stay: log-normal around the group's mean, shortened after the rule (sharply on the gaming ward).
    `CREATE OR REPLACE MACRO los_hours(n, mean_days, ward, t) AS greatest(4, round(
       mean_days * 24 * exp(0.45 * ${normal("u(n, 'z1')")} * cos(2 * pi() * u(n, 'z2')) - 0.1)
       * CASE WHEN t >= ${rule} AND ward = ${lit(GAMING_WARD)} THEN 0.55 WHEN t >= ${rule} THEN 0.95 ELSE 1 END, 1))`,
    `CREATE OR REPLACE TABLE adt_stays AS
     WITH idx AS (
       SELECT n, episode, visit, ward_idx, ward, code, diagnosis_group, admit_time,
              los_hours(n, mean_days, ward, admit_time) AS los_hours, u(n, 'died') < 0.02 AS died
       FROM stays),
     re AS (
       SELECT r.n, r.episode, r.visit, r.ward_idx, r.ward, r.code, r.diagnosis_group,
              date_trunc('minute', i.admit_time + to_seconds((i.los_hours * 3600)::BIGINT)
                + to_seconds((r.gap_days * 86400)::BIGINT)) AS admit_time,
              r.mean_days, false AS died
       FROM readmits r JOIN idx i ON i.n = r.episode),
     all_stays AS (
       SELECT n, episode, visit, ward_idx, ward, code, diagnosis_group, admit_time, los_hours, died FROM idx
       UNION ALL
       SELECT n, episode, visit, ward_idx, ward, code, diagnosis_group, admit_time,
              los_hours(n, mean_days, ward, admit_time), died FROM re)
     SELECT *, admit_time + to_seconds((los_hours * 3600)::BIGINT) AS discharge_time,
            ${after('admit_time')} AS after_rule, ${gaming} AS gaming,
            'EVD' || lpad(CAST(floor(u(n, 'attending') * 8)::INTEGER + 10 * ward_idx AS VARCHAR), 3, '0') AS attending_id
     FROM all_stays`,
    `CREATE OR REPLACE TABLE adt AS
     SELECT 'EVA' || lpad(CAST(n AS VARCHAR), 8, '0') AS admission_id,
            'EVP' || lpad(CAST(episode AS VARCHAR), 8, '0') AS patient_id,
            ward, attending_id, diagnosis_group, admit_time, discharge_time, los_hours,
            CASE WHEN died THEN 'died' WHEN u(n, 'dispo') < 0.72 THEN 'home'
                 WHEN u(n, 'dispo') < 0.90 THEN 'home_with_services' ELSE 'skilled_nursing' END AS discharge_disposition,
            n, code, after_rule, gaming
     FROM adt_stays`,
    `CREATE OR REPLACE TABLE forms AS
     SELECT 'EVF' || lpad(CAST(n AS VARCHAR), 8, '0') AS form_id, admission_id,
            date_trunc('second', discharge_time - to_seconds((600 + u(n, 'form_lead') * 6600)::BIGINT)) AS submitted_at,
            attending_id AS submitted_by,
            after_rule AND u(n, 'fast') < CASE WHEN gaming THEN 0.80 ELSE 0.35 END AS fast_track,
            u(n, 'med') < CASE WHEN after_rule AND gaming THEN 0.70 ELSE 0.93 END AS medication_reconciled,
            u(n, 'follow') < CASE WHEN NOT after_rule THEN 0.60 WHEN gaming THEN 0.45 ELSE 0.85 END AS follow_up_booked,
            u(n, 'mobility') < CASE WHEN after_rule AND gaming THEN 0.50 ELSE 0.88 END AS mobility_assessed
     FROM adt WHERE discharge_disposition <> 'died'`,
    // Alarms: up to two at random moments of the stay, plus the planted one within 6 hours before discharge.
    `CREATE OR REPLACE TABLE alarm_events AS
     SELECT admission_id, n, k, ward, code,
            CASE WHEN k = 0 THEN discharge_time - to_seconds((1800 + u(n, 'pre_alarm') * 19800)::BIGINT)
                 ELSE admit_time + to_seconds((u(n, 'alarm' || k) * los_hours * 3600)::BIGINT) END AS alarm_time
     FROM adt, (VALUES (0), (1), (2)) v(k)
     WHERE (k = 0 AND discharge_disposition <> 'died'
              AND u(n, 'pre') < CASE WHEN after_rule AND gaming THEN 0.45 ELSE 0.04 END)
        OR (k = 1 AND u(n, 'a1') < 0.30) OR (k = 2 AND u(n, 'a2') < 0.10)`,
    `CREATE OR REPLACE TABLE alarms AS
     WITH a AS (
       SELECT 'EVB' || lpad(CAST(n AS VARCHAR), 8, '0') || '-' || k AS alarm_id,
              'BED-' || code || '-' || lpad(CAST(1 + floor(u(n, 'bed') * 24)::INTEGER AS VARCHAR), 2, '0') AS device_id,
              ward, admission_id, date_trunc('second', alarm_time) AS alarm_time, 'bed_exit' AS alarm_type,
              CASE WHEN u(n * 3 + k, 'ack') < 0.08 THEN NULL
                   ELSE date_trunc('second', alarm_time + to_seconds((60 + u(n * 3 + k, 'ack_s') * 840)::BIGINT)) END AS acknowledged_at,
              n * 3 + k AS m
       FROM alarm_events)
     SELECT * EXCLUDE (m), alarm_time AS file_time, 'alarm' AS copy_kind FROM a
     UNION ALL SELECT * EXCLUDE (m), alarm_time, 'retry' FROM a WHERE u(m, 'retry') < 0.01
     UNION ALL SELECT alarm_id || '-glitch', device_id, ward, admission_id, NULL, alarm_type, NULL, alarm_time, 'glitch'
       FROM a WHERE u(m, 'glitch') < 0.002`,
    `CREATE OR REPLACE TABLE audit AS
     WITH e AS (
       SELECT n, ward, admit_time + to_seconds((u(n, 'audit_t') * los_hours * 3600)::BIGINT) AS event_time,
              u(n, 'audit_kind') AS kind
       FROM adt WHERE u(n, 'audit') < 0.08)
     SELECT 'EVE' || lpad(CAST(n AS VARCHAR), 8, '0') AS event_id, date_trunc('second', event_time) AS event_time,
            'EVU' || lpad(CAST(floor(u(n, 'actor') * 400)::INTEGER AS VARCHAR), 4, '0') AS actor_id,
            CASE WHEN u(n, 'role') < 0.5 THEN 'nurse' WHEN u(n, 'role') < 0.8 THEN 'physician' ELSE 'clerk' END AS actor_role,
            CASE WHEN kind < 0.70 THEN 'record.view' WHEN kind < 0.80 THEN 'record.export'
                 WHEN kind < 0.95 THEN 'record.view' ELSE 'form.amend' END AS action,
            'admissions:' || ward AS resource,
            CASE WHEN kind >= 0.80 AND kind < 0.95 THEN 'denied' ELSE 'allowed' END AS outcome
     FROM e
     UNION ALL
     SELECT 'EVE-policy-fast-track', ${rule}, 'EVU0001', 'administrator', 'policy.enable',
            'rule:fast-track-discharge', 'applied'`,
    'DROP TABLE stays; DROP TABLE readmits; DROP TABLE adt_stays; DROP TABLE alarm_events',
  ];
}
