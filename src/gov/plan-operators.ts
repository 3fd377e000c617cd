/**
 * Which physical operators a cell's plan may contain, by DuckDB's names (`PhysicalOperatorType`). An
 * allow-list of the whole class a read-only SELECT plans, not a list of the operators seen so far: an
 * operator DuckDB adds later is refused until it is listed here. Where an operator sits in the tree says
 * nothing about what it reads (a delim join prints its distinct aggregate as a child without children), so
 * the check is by name; what a scan reads is checked separately (its table, or the table function it runs).
 */

/** Operators that only transform rows their children produce (joins, aggregates, windows, sorts, …). */
const TRANSFORMS = [
  'PROJECTION',
  'FILTER',
  'ORDER_BY',
  'TOP_N',
  'LIMIT',
  'LIMIT_PERCENT',
  'STREAMING_LIMIT',
  'RESERVOIR_SAMPLE',
  'STREAMING_SAMPLE',
  'HASH_GROUP_BY',
  'PERFECT_HASH_GROUP_BY',
  'PARTITIONED_AGGREGATE',
  'UNGROUPED_AGGREGATE',
  'LIMITED_DISTINCT',
  'WINDOW',
  'STREAMING_WINDOW',
  'UNNEST',
  'PIVOT',
  'UNION',
  'HASH_JOIN',
  'NESTED_LOOP_JOIN',
  'BLOCKWISE_NL_JOIN',
  'PIECEWISE_MERGE_JOIN',
  'IE_JOIN',
  'ASOF_JOIN',
  'CROSS_PRODUCT',
  'POSITIONAL_JOIN',
  'DELIM_JOIN',
  'LEFT_DELIM_JOIN',
  'RIGHT_DELIM_JOIN',
  'CTE',
  'REC_CTE',
  'REC_KEY_CTE',
  'RECURSIVE_KEY_JOIN',
  'RESULT_COLLECTOR',
  // Runs an in-out table function (`unnest` in FROM); which function is checked with the table functions.
  'INOUT_FUNCTION',
];

/** Sources that read only the instance's tables (checked by name) or rows produced inside the query. */
const SOURCES = [
  'SEQ_SCAN',
  'DUMMY_SCAN',
  'COLUMN_DATA_SCAN',
  'EMPTY_RESULT',
  'CTE_SCAN',
  'REC_CTE_SCAN',
  'REC_REC_CTE_SCAN',
  'DELIM_SCAN',
  'CHUNK_SCAN',
  'EXPRESSION_SCAN',
  'POSITIONAL_SCAN',
];

export const READ_ONLY_OPERATORS: ReadonlySet<string> = new Set([...TRANSFORMS, ...SOURCES]);
