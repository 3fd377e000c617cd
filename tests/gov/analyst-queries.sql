-- Ordinary analyst work that the guard must allow for DataAnalyst (one query per line).
-- Cells `readmits` and `ward_counts` exist as temp views, as the notebook creates them.
SELECT count(*) FROM admissions
SELECT admission_type, count(*) AS n FROM admissions GROUP BY admission_type ORDER BY n DESC
FROM admissions
FROM admissions SELECT admission_type, count(*) GROUP BY ALL
SELECT * EXCLUDE (insurance) FROM admissions
SELECT * REPLACE (upper(admission_type) AS admission_type) FROM admissions
SELECT a.hadm_id, p.gender, p.anchor_age FROM admissions a JOIN patients p USING (subject_id)
SELECT p.gender, avg(date_diff('hour', a.admittime, a.dischtime)) AS los_hours FROM admissions a JOIN patients p ON p.subject_id = a.subject_id GROUP BY p.gender
SELECT * FROM admissions a LEFT JOIN transfers t ON t.hadm_id = a.hadm_id
SELECT careunit, count(DISTINCT subject_id) AS patients FROM transfers GROUP BY careunit
WITH stays AS (SELECT subject_id, admittime, dischtime FROM admissions) SELECT count(*) FROM stays
WITH ordered AS (SELECT subject_id, dischtime, lead(admittime) OVER (PARTITION BY subject_id ORDER BY admittime) AS next_admit FROM admissions) SELECT count(*) FILTER (WHERE next_admit <= dischtime + INTERVAL 30 DAY) AS readmitted, count(*) AS index_stays FROM ordered
SELECT subject_id, admittime, row_number() OVER (PARTITION BY subject_id ORDER BY admittime) AS k FROM admissions
SELECT * FROM admissions QUALIFY row_number() OVER (PARTITION BY subject_id ORDER BY admittime DESC) = 1
SELECT subject_id, count(*) OVER w AS stays, sum(1) OVER w FROM admissions WINDOW w AS (PARTITION BY subject_id)
SELECT ward, day, rate, avg(rate) OVER (PARTITION BY ward ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rolling FROM readmission_30d
PIVOT readmission_30d ON ward IN ('MICU', 'SICU', 'CCU') USING sum(n_patients) GROUP BY year
SELECT * FROM (PIVOT readmission_30d ON ward IN ('MICU', 'SICU') USING avg(rate) GROUP BY year)
UNPIVOT (SELECT day, n_patients, n_readmitted FROM readmission_30d) ON n_patients, n_readmitted INTO NAME measure VALUE value
SELECT * FROM readmits
SELECT count(*) FROM readmits WHERE readmitted
SELECT w.ward, w.n, r.rate FROM ward_counts w JOIN readmission_30d r USING (ward)
WITH x AS (SELECT * FROM readmits) SELECT subject_id, count(*) FROM x GROUP BY subject_id
SELECT date_trunc('month', admittime) AS month, count(*) FROM admissions GROUP BY 1 ORDER BY 1
SELECT strftime(admittime, '%Y-%m') AS ym, count(*) FROM admissions GROUP BY ym
SELECT extract(dow FROM admittime) AS dow, count(*) FROM admissions GROUP BY dow
SELECT quantile_cont(date_diff('hour', admittime, dischtime), [0.25, 0.5, 0.75]) FROM admissions
SELECT median(anchor_age), stddev(anchor_age), min(anchor_age), max(anchor_age) FROM patients
SELECT gender, histogram(anchor_age // 10 * 10) FROM patients GROUP BY gender
SELECT list(DISTINCT careunit ORDER BY careunit) FROM transfers
SELECT string_agg(DISTINCT admission_type, ', ') FROM admissions
SELECT approx_count_distinct(subject_id) FROM admissions
SELECT CASE WHEN anchor_age >= 65 THEN 'senior' ELSE 'adult' END AS band, count(*) FROM patients GROUP BY band
SELECT * FROM patients WHERE dob BETWEEN 1950 AND 1970 ORDER BY anchor_age LIMIT 5
SELECT * FROM patients ORDER BY ALL LIMIT 10 OFFSET 2
SELECT subject_id FROM admissions EXCEPT SELECT subject_id FROM transfers
SELECT subject_id FROM admissions INTERSECT SELECT subject_id FROM transfers
SELECT hadm_id FROM admissions UNION ALL SELECT hadm_id FROM transfers
SELECT ward FROM readmission_30d UNION BY NAME SELECT careunit AS ward FROM transfers
SELECT * FROM admissions WHERE subject_id IN (SELECT subject_id FROM patients WHERE anchor_age > 40)
SELECT * FROM patients p WHERE EXISTS (SELECT 1 FROM admissions a WHERE a.subject_id = p.subject_id)
SELECT (SELECT count(*) FROM admissions) AS stays, (SELECT count(*) FROM patients) AS people
SELECT a.*, t.careunit FROM admissions a ASOF JOIN transfers t ON a.hadm_id = t.hadm_id AND a.admittime >= t.intime
SELECT * FROM range(1, 13) m(month) LEFT JOIN (SELECT month(admittime) AS month, count(*) AS n FROM admissions GROUP BY 1) USING (month)
SELECT d::DATE AS day FROM generate_series(DATE '2025-01-01', DATE '2025-01-31', INTERVAL 1 DAY) g(d)
SELECT unnest([1, 2, 3]) AS x
SELECT x, x * 2 FROM (VALUES (1), (2), (3)) v(x)
SELECT facility_id, measure_name, excess_readmission_ratio FROM cms_hrrp WHERE excess_readmission_ratio > 1
SELECT measure_name, avg(excess_readmission_ratio) FROM cms_hrrp GROUP BY measure_name
SELECT COLUMNS('n_.*') FROM readmission_30d
SELECT min(COLUMNS(* EXCLUDE (ward, day))) FROM readmission_30d
SELECT struct_pack(g := gender, a := anchor_age) AS s FROM patients
SELECT {'ward': ward, 'rate': rate} AS row_struct FROM readmission_30d
SELECT [x * 2 FOR x IN [1, 2, 3]] AS doubled, list_transform([1, 2], y -> y + 1) AS plus_one
SELECT regexp_matches(admission_type, 'URG') AS urgent, count(*) FROM admissions GROUP BY ALL
SELECT * FROM admissions USING SAMPLE 10 ROWS
DESCRIBE admissions
DESCRIBE SELECT * FROM readmits
SUMMARIZE readmission_30d
SELECT * FROM admissions a POSITIONAL JOIN transfers t LIMIT 3
SELECT * FROM patients NATURAL JOIN (SELECT subject_id, count(*) AS stays FROM admissions GROUP BY 1)
SELECT * FROM admissions a SEMI JOIN transfers t ON a.hadm_id = t.hadm_id
SELECT * FROM admissions a ANTI JOIN transfers t ON a.hadm_id = t.hadm_id
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) SELECT sum(n) FROM seq
SELECT * FROM readmission_30d WHERE rate IS NOT NULL AND n_patients >= 11
SELECT 1 AS one; SELECT 2 AS two
