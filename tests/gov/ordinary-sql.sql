-- correlated EXISTS
SELECT o_orderpriority, count(*) AS n FROM orders o
WHERE EXISTS (SELECT 1 FROM lineitem l WHERE l.l_orderkey = o.o_orderkey AND l.l_commitdate < l.l_receiptdate)
GROUP BY o_orderpriority ORDER BY o_orderpriority
-- correlated NOT EXISTS
SELECT c_custkey FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.o_custkey = c.c_custkey)
-- correlated scalar subquery in WHERE
SELECT sum(l_extendedprice) / 7.0 AS avg_yearly FROM lineitem l JOIN part p ON p.p_partkey = l.l_partkey
WHERE l.l_quantity < (SELECT 0.2 * avg(l2.l_quantity) FROM lineitem l2 WHERE l2.l_partkey = p.p_partkey)
-- correlated scalar subquery in SELECT
SELECT s_name, (SELECT count(*) FROM partsupp ps WHERE ps.ps_suppkey = s.s_suppkey) AS parts FROM supplier s
-- IN subquery with a correlated inner filter
SELECT s_name FROM supplier s WHERE s_suppkey IN (
  SELECT ps_suppkey FROM partsupp ps WHERE ps_availqty > (
    SELECT 0.5 * sum(l_quantity) FROM lineitem l WHERE l.l_partkey = ps.ps_partkey AND l.l_suppkey = ps.ps_suppkey))
-- ANY and ALL
SELECT p_name FROM part WHERE p_size > ALL (SELECT p_size FROM part WHERE p_brand = 'Brand#23')
  OR p_retailprice = ANY (SELECT ps_supplycost FROM partsupp)
-- LATERAL join
SELECT c.c_name, o.o_totalprice FROM customer c,
  LATERAL (SELECT o_totalprice FROM orders WHERE o_custkey = c.c_custkey ORDER BY o_totalprice DESC LIMIT 2) o
-- window functions with frames and QUALIFY
SELECT o_custkey, o_orderdate, sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate
  ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS running,
  row_number() OVER (PARTITION BY o_custkey ORDER BY o_totalprice DESC) AS rn
FROM orders QUALIFY rn <= 3
-- grouping sets, rollup and cube
SELECT n_regionkey, n_nationkey, count(*) AS n, GROUPING(n_regionkey, n_nationkey) AS g
FROM nation GROUP BY ROLLUP (n_regionkey, n_nationkey)
-- cube
SELECT l_returnflag, l_linestatus, sum(l_quantity) FROM lineitem GROUP BY CUBE (l_returnflag, l_linestatus)
-- set operations
SELECT n_name FROM nation UNION SELECT r_name FROM region EXCEPT SELECT 'X' INTERSECT SELECT n_name FROM nation
-- recursive CTE
WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 10) SELECT sum(n) FROM d
-- materialized CTE used twice
WITH big AS MATERIALIZED (SELECT o_custkey, sum(o_totalprice) AS t FROM orders GROUP BY 1)
SELECT a.o_custkey FROM big a JOIN big b ON a.t > b.t AND a.o_custkey = b.o_custkey
-- ASOF join
SELECT o.o_orderkey, l.l_shipdate FROM orders o ASOF JOIN lineitem l
  ON o.o_orderkey = l.l_orderkey AND o.o_orderdate >= l.l_shipdate
-- positional join
SELECT * FROM (SELECT n_name FROM nation) POSITIONAL JOIN (SELECT r_name FROM region)
-- inequality join (IE join)
SELECT count(*) FROM orders a JOIN orders b ON a.o_totalprice < b.o_totalprice AND a.o_orderdate > b.o_orderdate
-- top-n, distinct on, limit with offset
SELECT DISTINCT ON (o_custkey) o_custkey, o_totalprice FROM orders ORDER BY o_custkey, o_totalprice DESC LIMIT 10 OFFSET 5
-- unnest, list and struct functions
SELECT unnest([1, 2, 3]) AS x, {'a': 1}.a AS y, list_transform([1, 2], v -> v * 2) AS z
-- FROM-first, SELECT * EXCLUDE and COLUMNS
FROM lineitem SELECT * EXCLUDE (l_comment), max(COLUMNS('l_.*price')) OVER () LIMIT 5
-- UNPIVOT
UNPIVOT (SELECT l_quantity, l_discount, l_tax FROM lineitem) ON l_quantity, l_discount, l_tax INTO NAME k VALUE v
-- SUMMARIZE and DESCRIBE
SUMMARIZE region
