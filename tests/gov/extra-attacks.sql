-- More attacks beyond the research corpus, same scenario and names.
-- technique: indirection / query() table function runs a SQL string
SELECT * FROM query('SELECT ssn FROM patients');
-- technique: introspection / information_schema views
SELECT table_name, column_name FROM information_schema.columns;
-- technique: introspection / sqlite_master compatibility view
SELECT * FROM sqlite_master;
-- technique: introspection / pg_catalog views
SELECT * FROM pg_catalog.pg_tables;
-- technique: introspection / duckdb_views without parentheses
SELECT * FROM duckdb_views;
-- technique: introspection / SHOW TABLES
SHOW TABLES;
-- technique: introspection / settings through a scalar function
SELECT current_setting('allowed_paths');
-- technique: introspection / quoted function name
SELECT "getvariable"('p');
-- technique: metadata-leak / DESCRIBE of a forbidden table
DESCRIBE patients;
-- technique: metadata-leak / SUMMARIZE of a forbidden table
SUMMARIZE patients;
-- technique: execution / EXPLAIN ANALYZE runs the query
EXPLAIN ANALYZE SELECT * FROM patients;
-- technique: direct-file / glob lists files
SELECT * FROM glob('*');
-- technique: direct-file / sniff_csv
SELECT * FROM sniff_csv('phi/raw/evergreen_adt/2026/01/01/events.csv');
-- technique: direct-file / read_csv_auto
SELECT * FROM read_csv_auto('phi/raw/evergreen_adt/2026/01/01/events.csv');
-- technique: name-tricks / quoted identifier
SELECT * FROM "patients";
-- technique: name-tricks / temp catalog qualification
SELECT * FROM temp.main.patients;
-- technique: name-tricks / system catalog qualification
SELECT * FROM system.main.patients;
-- technique: splitting / semicolon inside a dollar-quoted string then a write
SELECT $$;$$; DROP TABLE readmission_30d;
-- technique: splitting / semicolon inside a block comment
SELECT 1 /* ; */ ; DELETE FROM readmission_30d;
-- technique: splitting / statement hidden after a line comment and newline
SELECT 1 -- harmless
; CREATE TEMP TABLE stash AS SELECT * FROM patients;
-- technique: smuggling / lateral subquery
SELECT * FROM range(3) t, LATERAL (SELECT ssn FROM patients);
-- technique: smuggling / scalar subquery into unnest
SELECT unnest((SELECT list(ssn) FROM patients));
-- technique: smuggling / IN subquery
SELECT * FROM readmission_30d WHERE ward IN (SELECT ssn FROM patients);
-- technique: smuggling / window over a forbidden table
SELECT first_value(ssn) OVER () FROM patients;
-- technique: engine / catalog functions with side effects
SELECT * FROM checkpoint();
-- technique: engine / secrets lookup
SELECT * FROM which_secret('s3://bucket/x', 's3');
-- technique: engine / test data generator
SELECT * FROM test_all_types();
-- technique: transaction / BEGIN and ROLLBACK
BEGIN TRANSACTION;
-- technique: switch / USE another schema
USE temp.main;
-- technique: switch / DETACH the database
DETACH memory;
-- technique: statistics / ANALYZE
ANALYZE;
-- technique: write / INSERT into an allowed table
INSERT INTO readmission_30d SELECT * FROM readmission_30d;
-- technique: write / UPDATE an allowed table
UPDATE readmission_30d SET rate = 0;
-- technique: write / CTE in front of a write
WITH x AS (SELECT 1) DELETE FROM readmission_30d;
-- technique: write / ALTER an allowed table
ALTER TABLE readmission_30d ADD COLUMN x INTEGER;
-- technique: write / CREATE SEQUENCE then nextval
CREATE SEQUENCE s; SELECT nextval('s');
-- technique: write / CREATE TYPE
CREATE TYPE mood AS ENUM ('a');
-- technique: parameters / prepared parameter placeholder
SELECT * FROM readmission_30d WHERE ward = ?;
-- technique: name-tricks / COLUMNS star on a forbidden column name
SELECT COLUMNS('ssn') FROM patients;
-- technique: name-tricks / struct access on the row
SELECT p.ssn FROM patients AS p;
-- technique: dynamic-sql / settings function name built by concatenation inside query()
SELECT * FROM query('SELECT current_'||'setting(''home_directory'')');
-- technique: dynamic-sql / getvariable name built by concatenation inside query()
SELECT * FROM query('SELECT getvar'||'iable(''planted'')');
-- technique: dynamic-sql / settings function written inside the literal SQL text
SELECT * FROM query('SELECT current_setting(''home_directory'')');
-- technique: dynamic-sql / getvariable inside a dollar-quoted SQL text
SELECT * FROM query($$SELECT getvariable('planted')$$);
-- technique: dynamic-sql / query() nested in the SQL text of query()
SELECT * FROM query('SELECT * FROM query(''SELECT getvariable(''''planted'''')'')');
-- technique: dynamic-sql / SQL text built by format()
SELECT * FROM query(format('SELECT {}(''planted'')', 'getvariable'));
-- technique: dynamic-sql / SQL text from a scalar subquery
SELECT * FROM query((SELECT 'SELECT getvar' || 'iable(''planted'')'));
-- technique: dynamic-sql / table name built by concatenation in query_table()
SELECT * FROM query_table('pat' || 'ients');
