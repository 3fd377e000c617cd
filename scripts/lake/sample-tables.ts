/**
 * The curated tables the sample lake builds from the public sources committed under `data/`.
 * Real data keeps its published columns; only CMS and Synthea headers are turned into snake_case names, and
 * values that arrive as text with placeholders ("N/A", "Not Available") are typed, the placeholder becoming NULL.
 */

export interface SampleTableSpec {
  name: string;
  description: string;
  owner: string;
  source: string;
  license: string;
  tags: string[];
  /** Columns whose tags differ from the table's (more specific labels for masks, e.g. `patient_id`). */
  columnTags?: Record<string, string[]>;
  columnDescriptions?: Record<string, string>;
  key: string[];
  /** A SELECT over source files; `file(rel)` gives the SQL literal of a file under `data/`. */
  select: (file: (rel: string) => string) => string;
}

const MIMIC_OWNER = 'Clinical Research Data Office';
const MIMIC_LICENSE =
  'ODbL-1.0 (Open Data Commons Open Database License); see LICENSES/MIMIC-IV-DEMO-LICENSE.txt';
const mimicSource = (file: string) =>
  `MIMIC-IV Clinical Database Demo v2.2 (PhysioNet; Johnson et al.), ${file}`;
const CMS_LICENSE = 'Public domain in the US (work of the US federal government, CMS)';
const CMS_OWNER = 'Quality and Performance Office';
const SYNTHEA_LICENSE = 'MIT (UNMC-CRANE/database-stats-lecture); synthetic data from Synthea';
const SYNTHEA_OWNER = 'Data Engineering';

const PATIENT = ['PHI', 'patient_id'];
const ENCOUNTER = ['PHI', 'encounter_id'];
const DATE = ['PHI', 'date'];
const STAFF = ['PII', 'staff_id'];
/** A record's own key: hashed like the keys it sits beside, so joins on it still work. */
const RECORD = ['PHI', 'record_id'];

const csv = (file: string, extra = '') => `read_csv(${file}, header = true${extra})`;

export const SAMPLE_TABLES: SampleTableSpec[] = [
  {
    name: 'patients',
    description:
      'MIMIC-IV demo: one row per patient (100), with gender, anchor age and year, and date of death.',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/patients.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: { subject_id: PATIENT, anchor_year: DATE, anchor_year_group: DATE, dod: DATE },
    columnDescriptions: {
      anchor_age: 'Age in the anchor year; ages above 89 are grouped as 91 by the publisher.',
      anchor_year: 'Shifted year the anchor age refers to (dates in MIMIC are shifted into the future).',
      dod: 'Date of death, shifted like every MIMIC date.',
    },
    key: ['subject_id'],
    select: (f) => `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/patients.csv.gz'))} ORDER BY subject_id`,
  },
  {
    name: 'admissions',
    description:
      'MIMIC-IV demo: hospital admissions (275) with times, type, locations, insurance and outcome.',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/admissions.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: {
      subject_id: PATIENT,
      hadm_id: ENCOUNTER,
      admittime: DATE,
      dischtime: DATE,
      deathtime: DATE,
      edregtime: DATE,
      edouttime: DATE,
      admit_provider_id: STAFF,
    },
    columnDescriptions: {
      hospital_expire_flag: '1 when the patient died during this admission.',
      admit_provider_id: 'Pseudonymous identifier of the admitting provider.',
    },
    key: ['hadm_id'],
    select: (f) => `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/admissions.csv.gz'))} ORDER BY hadm_id`,
  },
  {
    name: 'transfers',
    description:
      'MIMIC-IV demo: ward and care-unit transfers (admit, transfer, discharge events) per admission.',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/transfers.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: { subject_id: PATIENT, hadm_id: ENCOUNTER, transfer_id: RECORD, intime: DATE, outtime: DATE },
    key: ['transfer_id'],
    select: (f) => `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/transfers.csv.gz'))} ORDER BY transfer_id`,
  },
  {
    name: 'diagnoses_icd',
    description: 'MIMIC-IV demo: billed ICD-9/ICD-10 diagnoses per admission, in priority order (seq_num).',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/diagnoses_icd.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: { subject_id: PATIENT, hadm_id: ENCOUNTER },
    key: ['hadm_id', 'seq_num', 'icd_code', 'icd_version'],
    select: (f) =>
      `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/diagnoses_icd.csv.gz'), ", types = {'icd_code': 'VARCHAR'}")}
       ORDER BY hadm_id, seq_num, icd_code`,
  },
  {
    name: 'icustays',
    description:
      'MIMIC-IV demo: intensive care unit stays with first and last care unit and length of stay in days.',
    owner: MIMIC_OWNER,
    source: mimicSource('icu/icustays.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: { subject_id: PATIENT, hadm_id: ENCOUNTER, stay_id: ENCOUNTER, intime: DATE, outtime: DATE },
    columnDescriptions: { los: 'Length of the ICU stay in fractional days.' },
    key: ['stay_id'],
    select: (f) => `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/icu/icustays.csv.gz'))} ORDER BY stay_id`,
  },
  {
    name: 'labevents',
    description:
      'MIMIC-IV demo: laboratory results restricted to ten common tests (basic metabolic panel, blood count, glucose) to keep the lake small.',
    owner: MIMIC_OWNER,
    source: mimicSource(
      'hosp/labevents.csv.gz, itemid in 50902 50912 50931 50971 50983 51006 51221 51222 51265 51301',
    ),
    license: MIMIC_LICENSE,
    tags: ['PHI', 'mimic'],
    columnTags: {
      labevent_id: RECORD,
      subject_id: PATIENT,
      hadm_id: ENCOUNTER,
      specimen_id: ENCOUNTER,
      charttime: DATE,
      storetime: DATE,
      order_provider_id: STAFF,
      comments: ['PHI', 'free_text'],
    },
    key: ['labevent_id'],
    select: (f) =>
      `SELECT * FROM ${csv(
        f('mimic-iv-demo-2.2/hosp/labevents.csv.gz'),
        ", types = {'value': 'VARCHAR', 'comments': 'VARCHAR', 'order_provider_id': 'VARCHAR', 'flag': 'VARCHAR'}",
      )}
       WHERE itemid IN (50902, 50912, 50931, 50971, 50983, 51006, 51221, 51222, 51265, 51301)
       ORDER BY labevent_id`,
  },
  {
    name: 'd_labitems',
    description: 'MIMIC-IV demo dictionary: laboratory item ids with label, fluid and category.',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/d_labitems.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PUBLIC', 'mimic', 'dictionary'],
    key: ['itemid'],
    select: (f) => `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/d_labitems.csv.gz'))} ORDER BY itemid`,
  },
  {
    name: 'd_icd_diagnoses',
    description: 'MIMIC-IV dictionary: ICD-9 and ICD-10 diagnosis codes with their long titles.',
    owner: MIMIC_OWNER,
    source: mimicSource('hosp/d_icd_diagnoses.csv.gz'),
    license: MIMIC_LICENSE,
    tags: ['PUBLIC', 'mimic', 'dictionary'],
    key: ['icd_code', 'icd_version'],
    select: (f) =>
      `SELECT * FROM ${csv(f('mimic-iv-demo-2.2/hosp/d_icd_diagnoses.csv.gz'), ", types = {'icd_code': 'VARCHAR'}")}
       ORDER BY icd_version, icd_code`,
  },
  {
    name: 'cms_hrrp',
    description:
      'CMS Hospital Readmissions Reduction Program FY 2024: excess readmission ratio per hospital and measure (AMI, CABG, COPD, HF, HIP-KNEE, PN), performance period 2019-07-01 to 2022-06-30.',
    owner: CMS_OWNER,
    source: 'CMS Provider Data Catalog, FY 2024 Hospital Readmissions Reduction Program Hospital',
    license: CMS_LICENSE,
    tags: ['PUBLIC', 'cms'],
    columnDescriptions: {
      number_of_discharges: 'NULL where CMS publishes "N/A".',
      number_of_readmissions: 'NULL where CMS publishes "Too Few to Report" or "N/A".',
      excess_readmission_ratio: 'Predicted over expected readmission rate; above 1 means more than expected.',
    },
    key: ['facility_id', 'measure_name'],
    select: (f) => `
      SELECT "Facility ID" AS facility_id, "Facility Name" AS facility_name, "State" AS state,
             "Measure Name" AS measure_name,
             TRY_CAST("Number of Discharges" AS INTEGER) AS number_of_discharges,
             "Footnote" AS footnote,
             TRY_CAST("Excess Readmission Ratio" AS DOUBLE) AS excess_readmission_ratio,
             TRY_CAST("Predicted Readmission Rate" AS DOUBLE) AS predicted_readmission_rate,
             TRY_CAST("Expected Readmission Rate" AS DOUBLE) AS expected_readmission_rate,
             TRY_CAST("Number of Readmissions" AS INTEGER) AS number_of_readmissions,
             strptime("Start Date", '%m/%d/%Y')::DATE AS start_date,
             strptime("End Date", '%m/%d/%Y')::DATE AS end_date
      FROM ${csv(f('cms-hrrp-fy2024/FY_2024_Hospital_Readmissions_Reduction_Program_Hospital.csv'), ', all_varchar = true')}
      ORDER BY facility_id, measure_name`,
  },
  {
    name: 'cms_hospitals',
    description:
      'CMS Hospital General Information (11 published columns): facility id, name, address, type, ownership, emergency services and overall star rating.',
    owner: CMS_OWNER,
    source: 'CMS Provider Data Catalog, Hospital General Information (column subset)',
    license: CMS_LICENSE,
    tags: ['PUBLIC', 'cms'],
    columnDescriptions: {
      hospital_overall_rating: '1 to 5 stars; NULL where CMS publishes "Not Available".',
    },
    key: ['facility_id'],
    select: (f) => `
      SELECT "Facility ID" AS facility_id, "Facility Name" AS facility_name, "Address" AS address,
             "City/Town" AS city_town, "State" AS state, "ZIP Code" AS zip_code, "County/Parish" AS county_parish,
             "Hospital Type" AS hospital_type, "Hospital Ownership" AS hospital_ownership,
             "Emergency Services" AS emergency_services,
             TRY_CAST("Hospital overall rating" AS INTEGER) AS hospital_overall_rating
      FROM ${csv(f('cms-hospital-general-information/Hospital_General_Information.csv'), ', all_varchar = true')}
      ORDER BY facility_id`,
  },
  {
    name: 'synthea_patients',
    description:
      'Synthea synthetic patients (111, Nebraska) with demographics, identifiers and address. No real people.',
    owner: SYNTHEA_OWNER,
    source: 'Synthea CSV export, csv/patients.csv (UNMC-CRANE/database-stats-lecture)',
    license: SYNTHEA_LICENSE,
    tags: ['PHI', 'synthea', 'synthetic'],
    columnTags: {
      id: PATIENT,
      birthdate: DATE,
      deathdate: DATE,
      ssn: ['PII', 'national_id'],
      drivers: ['PII', 'national_id'],
      passport: ['PII', 'national_id'],
      prefix: ['PII', 'name'],
      first: ['PII', 'name'],
      last: ['PII', 'name'],
      suffix: ['PII', 'name'],
      maiden: ['PII', 'name'],
      address: ['PII', 'address'],
      zip: ['PII', 'address'],
      lat: ['PII', 'address'],
      lon: ['PII', 'address'],
    },
    key: ['id'],
    select: (f) => `
      SELECT "Id" AS id, "BIRTHDATE"::DATE AS birthdate, "DEATHDATE"::DATE AS deathdate, "SSN" AS ssn,
             "DRIVERS" AS drivers, "PASSPORT" AS passport, "PREFIX" AS prefix, "FIRST" AS first, "LAST" AS last,
             "SUFFIX" AS suffix, "MAIDEN" AS maiden, "MARITAL" AS marital, "RACE" AS race,
             "ETHNICITY" AS ethnicity, "GENDER" AS gender, "BIRTHPLACE" AS birthplace, "ADDRESS" AS address,
             "CITY" AS city, "STATE" AS state, "COUNTY" AS county, "FIPS" AS fips, "ZIP" AS zip,
             "LAT"::DOUBLE AS lat, "LON"::DOUBLE AS lon,
             "HEALTHCARE_EXPENSES"::DOUBLE AS healthcare_expenses,
             "HEALTHCARE_COVERAGE"::DOUBLE AS healthcare_coverage, "INCOME"::INTEGER AS income
      FROM ${csv(f('synthea-csv-111/csv/patients.csv'), ', all_varchar = true')}
      ORDER BY id`,
  },
  {
    name: 'synthea_encounters',
    description:
      'Synthea synthetic encounters (7,584): class (wellness, ambulatory, emergency, inpatient...), reason, times and costs.',
    owner: SYNTHEA_OWNER,
    source: 'Synthea CSV export, csv/encounters.csv (UNMC-CRANE/database-stats-lecture)',
    license: SYNTHEA_LICENSE,
    tags: ['PHI', 'synthea', 'synthetic'],
    columnTags: {
      id: ENCOUNTER,
      patient: PATIENT,
      start: DATE,
      stop: DATE,
      provider: STAFF,
      organization: RECORD,
      payer: RECORD,
    },
    columnDescriptions: { start: 'Start time in UTC.', stop: 'End time in UTC.' },
    key: ['id'],
    select: (f) => `
      SELECT "Id" AS id, strptime("START", '%Y-%m-%dT%H:%M:%SZ') AS start,
             strptime("STOP", '%Y-%m-%dT%H:%M:%SZ') AS stop, "PATIENT" AS patient,
             "ORGANIZATION" AS organization, "PROVIDER" AS provider, "PAYER" AS payer,
             "ENCOUNTERCLASS" AS encounterclass, "CODE" AS code, "DESCRIPTION" AS description,
             "BASE_ENCOUNTER_COST"::DOUBLE AS base_encounter_cost, "TOTAL_CLAIM_COST"::DOUBLE AS total_claim_cost,
             "PAYER_COVERAGE"::DOUBLE AS payer_coverage, "REASONCODE" AS reasoncode,
             "REASONDESCRIPTION" AS reasondescription
      FROM ${csv(f('synthea-csv-111/csv/encounters.csv'), ', all_varchar = true')}
      ORDER BY id`,
  },
];
