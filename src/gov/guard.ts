import type { Manifest } from '../lake/manifest';
import {
  columnDenial,
  dynamicSqlDenial,
  fileDenial,
  multiStatementDenial,
  operatorDenial,
  planDenial,
  scalarFunctionDenial,
  statementKindDenial,
  tableDenial,
  tableFunctionDenial,
  type Denial,
  type DenialCode,
} from './denials';
import { dynamicSqlCalls } from './dynamic-sql';
import { explainErrorDenial } from './engine-errors';
import { PlanShapeError, summarizePlan, type PlanSummary } from './plan';
import { READ_ONLY_OPERATORS } from './plan-operators';
import { identifierName, splitStatements, TOKEN, type StatementText, type TokenList } from './statements';
import { statementNames } from './table-names';
import { AUDIT_TABLE, type RoleView } from './types';

/**
 * The guard: checks every statement of a cell before it runs, from DuckDB's own tokenizer, plan and
 * errors on the role's user instance, never from patterns over the SQL text. It is the first wall; the
 * second is that the user instance only holds what the role may see.
 */

/** What the guard needs from the user's DuckDB instance. `DuckSession` provides exactly this. */
export interface GuardProbe {
  tokenize(text: string): TokenList | Promise<TokenList>;
  /** `EXPLAIN (FORMAT JSON)` of one statement (as a prepared statement), returning the plan JSON. */
  explain(sql: string): string | Promise<string>;
  /** DuckDB's `getTableNames` for one statement. */
  tableNames(sql: string): string[] | Promise<string[]>;
}

export interface GuardContext {
  view: RoleView;
  manifest: Manifest;
  /** Names of the notebook cells visible as temp views in the user instance. */
  cells: string[];
  probe: GuardProbe;
}

export interface StatementDecision {
  /** The statement text. The engine runs these pieces one by one, never the raw cell text. */
  sql: string;
  decision: 'allow' | 'deny';
  code?: DenialCode;
  rule?: string;
  reason?: string;
  /** Catalog tables and cells the statement reads (or, when denied, the objects the denial names). */
  objects: string[];
  /** Union of the tags of the columns and tables read. */
  tags: string[];
  /**
   * Masks, row filters and suppression of the role's view that apply to what is read; for a denial, the
   * guard's rule id and the policy rule that refused (`column-grant: deny rule "…" of role …`).
   */
  rules: string[];
}

/** The cell's decision: `deny` when any statement is denied (or the cell holds none). */
export interface GuardDecision extends StatementDecision {
  statements: StatementDecision[];
}

/** First words of the statements a cell may run: queries only. */
const READ_STATEMENTS = new Set([
  'select',
  'from',
  'with',
  'values',
  'table',
  'pivot',
  'unpivot',
  'describe',
  'summarize',
]);

/** Table functions that only generate values. */
export const ALLOWED_TABLE_FUNCTIONS = new Set([
  'RANGE',
  'GENERATE_SERIES',
  'UNNEST',
  'REPEAT',
  'REPEAT_ROW',
]);

/** Scalar functions that read variables or settings: folded at bind time, so invisible in the plan. */
const DENIED_SCALAR_FUNCTIONS = new Set(['getvariable', 'current_setting']);

function unique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** A denied statement's `rules` name the guard's rule and the policy rule behind it, for the audit log. */
function deny(sql: string, d: Denial): StatementDecision {
  return {
    sql,
    decision: 'deny',
    code: d.code,
    rule: d.rule,
    reason: d.reason,
    objects: d.objects,
    tags: [],
    rules: [d.policyRule ? `${d.rule}: ${d.policyRule}` : d.rule],
  };
}

/** Checks the first word and the function calls, from the tokens alone. */
function tokenDenial(ctx: GuardContext, s: StatementText): Denial | undefined {
  const first = s.tokens[0];
  const word = first.type === TOKEN.OPERATOR ? first.text.slice(0, 1) : identifierName(first);
  if (word !== '(' && !READ_STATEMENTS.has(word)) return statementKindDenial(ctx.view, word);
  for (let i = 0; i + 1 < s.tokens.length; i++) {
    const t = s.tokens[i];
    const next = s.tokens[i + 1];
    if (t.type !== TOKEN.IDENTIFIER && t.type !== TOKEN.KEYWORD) continue;
    if (next.type !== TOKEN.OPERATOR || !next.text.startsWith('(')) continue;
    const name = identifierName(t);
    if (DENIED_SCALAR_FUNCTIONS.has(name)) return scalarFunctionDenial(name);
  }
  return undefined;
}

/** Everything the plan may contain: allowed table functions, read-only operators, the role's tables. */
function planCheck(ctx: GuardContext, plan: PlanSummary): Denial | undefined {
  for (const fn of plan.functions) if (!ALLOWED_TABLE_FUNCTIONS.has(fn)) return tableFunctionDenial(fn);
  for (const op of plan.operators) {
    if (!READ_ONLY_OPERATORS.has(op) && !ALLOWED_TABLE_FUNCTIONS.has(op)) return operatorDenial(op);
  }
  for (const scan of plan.scans) {
    const name = scan.table.toLowerCase();
    if (!readable(ctx, name)) return tableDenial(ctx.view, ctx.manifest, scan.table);
    // The user instance has no hidden column to read; checked anyway in case an instance was built wrong.
    const access = ctx.view.tables.find((t) => t.table === name);
    const hidden = access && scan.columns.find((c) => !access.columns.some((col) => col.name === c));
    if (access && hidden) return columnDenial(ctx.view, ctx.manifest, name, hidden);
  }
  return undefined;
}

function readable(ctx: GuardContext, name: string): boolean {
  return (
    ctx.view.tables.some((t) => t.table === name) ||
    ctx.cells.some((c) => c.toLowerCase() === name) ||
    (name === AUDIT_TABLE && ctx.view.can.readAudit)
  );
}

const EXPLAIN_PREFIX = 'EXPLAIN (FORMAT JSON) ';

/** DuckDB quotes the planned text in its error; show the user their own statement and caret instead. */
function withoutExplainPrefix(message: string): string {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => l.startsWith('LINE 1: ') && l.includes(EXPLAIN_PREFIX));
  if (at < 0) return message;
  lines[at] = lines[at].replace(EXPLAIN_PREFIX, '');
  if (at + 1 < lines.length) lines[at + 1] = lines[at + 1].slice(EXPLAIN_PREFIX.length);
  return lines.join('\n');
}

/** Objects, tags and applied rules of an allowed statement. */
function describe(
  ctx: GuardContext,
  plan: PlanSummary,
  named: string[],
): Omit<StatementDecision, 'sql' | 'decision'> {
  const objects = new Set<string>();
  const tags = new Set<string>();
  const rules = new Set<string>();
  const touch = (name: string, columns: string[] | undefined) => {
    const access = ctx.view.tables.find((t) => t.table === name);
    if (!access) {
      if (readable(ctx, name)) objects.add(name);
      if (name === AUDIT_TABLE) tags.add('PII');
      return;
    }
    objects.add(name);
    const read = columns ? access.columns.filter((c) => columns.includes(c.name)) : access.columns;
    if (!columns || read.length === 0) access.tags.forEach((t) => tags.add(t));
    for (const c of read) c.tags.forEach((t) => tags.add(t));
    for (const r of access.rules) {
      if (!r.startsWith('mask ') || read.some((c) => r.includes(` on ${name}.${c.name} `))) rules.add(r);
    }
  };
  for (const scan of plan.scans) touch(scan.table.toLowerCase(), scan.filtered ? undefined : scan.columns);
  // Names DuckDB resolved but the optimizer pruned (e.g. a filter that is false on an empty stub).
  for (const n of named) if (!plan.scans.some((s) => s.table.toLowerCase() === n)) touch(n, undefined);
  return { objects: unique(objects), tags: unique(tags), rules: unique(rules) };
}

/** How deep `query('… query(…) …')` may nest; deeper text is refused rather than checked without end. */
const MAX_DYNAMIC_DEPTH = 4;

/**
 * The SQL text of each `query()` call is checked as a statement of its own (first word, functions, plan,
 * nested calls), so a settings function written inside the string is refused like one written outside it.
 */
async function dynamicSqlDecision(
  ctx: GuardContext,
  s: StatementText,
  depth: number,
): Promise<StatementDecision | undefined> {
  for (const call of dynamicSqlCalls(s.tokens)) {
    if (call.sql === undefined) return deny(s.sql, dynamicSqlDenial(call.fn, 'not-literal'));
    if (depth >= MAX_DYNAMIC_DEPTH) return deny(s.sql, dynamicSqlDenial(call.fn, 'too-deep'));
    const pieces = splitStatements(call.sql, await ctx.probe.tokenize(call.sql));
    if (pieces.length !== 1) return deny(s.sql, dynamicSqlDenial(call.fn, 'not-one-statement'));
    const inner = await checkStatement(ctx, pieces[0], depth + 1);
    if (inner.decision === 'deny')
      return { ...inner, sql: s.sql, reason: `In the SQL text given to query(): ${inner.reason ?? ''}` };
  }
  return undefined;
}

/**
 * A statement that does not start with a keyword is no statement at all (`SELEC 1`): the user needs
 * DuckDB's parser message, not a refusal. Parsing it runs nothing, so asking the planner is safe.
 */
async function notAStatement(ctx: GuardContext, s: StatementText): Promise<Denial | undefined> {
  const first = s.tokens[0];
  if (first.type === TOKEN.KEYWORD || (first.type === TOKEN.OPERATOR && first.text.startsWith('(')))
    return undefined;
  try {
    await ctx.probe.explain(s.sql);
  } catch (e) {
    const message = withoutExplainPrefix(e instanceof Error ? e.message : String(e));
    if (/^Parser Error/.test(message))
      return { code: 'SYNTAX', rule: 'syntax', reason: message, objects: [] };
  }
  return undefined;
}

async function checkStatement(ctx: GuardContext, s: StatementText, depth = 0): Promise<StatementDecision> {
  const unparsed = await notAStatement(ctx, s);
  if (unparsed) return deny(s.sql, unparsed);
  const early = tokenDenial(ctx, s);
  if (early) return deny(s.sql, early);
  const dynamic = await dynamicSqlDecision(ctx, s, depth);
  if (dynamic) return dynamic;
  let plan: PlanSummary;
  try {
    plan = summarizePlan(await ctx.probe.explain(s.sql));
  } catch (e) {
    if (e instanceof PlanShapeError) return deny(s.sql, planDenial(e.message));
    const message = withoutExplainPrefix(e instanceof Error ? e.message : String(e));
    if (/Cannot prepare multiple statements/.test(message)) return deny(s.sql, multiStatementDenial());
    if (/^Permission Error/.test(message)) return deny(s.sql, fileDenial());
    return deny(s.sql, explainErrorDenial(ctx.view, ctx.manifest, ctx.cells, s, message));
  }
  const denied = planCheck(ctx, plan);
  if (denied) return deny(s.sql, denied);
  const named = await statementNames(ctx.probe, s, {
    cells: new Set(ctx.cells.map((c) => c.toLowerCase())),
    isTable: (name) =>
      ctx.view.tables.some((t) => t.table === name) || (name === AUDIT_TABLE && ctx.view.can.readAudit),
  });
  return { sql: s.sql, decision: 'allow', ...describe(ctx, plan, named) };
}

/**
 * Decides one notebook cell: splits it with DuckDB's tokenizer, checks each statement (first word, plan,
 * errors mapped to the catalog) and denies the cell when any statement is denied. Never throws for bad
 * SQL; the engine must run `statements[i].sql` in order, and only when the decision is `allow`.
 */
export async function guardCell(sql: string, ctx: GuardContext): Promise<GuardDecision> {
  let pieces: StatementText[];
  try {
    pieces = splitStatements(sql, await ctx.probe.tokenize(sql));
  } catch (e) {
    return unreadableCell(sql, `The cell could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (pieces.length === 0) return unreadableCell(sql, 'The cell holds no SQL statement.');
  const statements: StatementDecision[] = [];
  for (const piece of pieces) statements.push(await checkStatement(ctx, piece));
  const denied = statements.find((s) => s.decision === 'deny');
  return {
    sql,
    decision: denied ? 'deny' : 'allow',
    ...(denied ? { code: denied.code, rule: denied.rule, reason: denied.reason } : {}),
    objects: unique(statements.flatMap((s) => s.objects)),
    tags: unique(statements.flatMap((s) => s.tags)),
    rules: unique(statements.flatMap((s) => s.rules)),
    statements,
  };
}

function unreadableCell(sql: string, reason: string): GuardDecision {
  return {
    sql,
    decision: 'deny',
    code: 'SYNTAX',
    rule: 'syntax',
    reason,
    objects: [],
    tags: [],
    rules: [],
    statements: [],
  };
}
