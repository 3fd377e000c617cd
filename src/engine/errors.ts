import { missingExtensionReason } from '../gov/missing-extension';
import type { EngineError, EngineErrorCode } from '../contract/results';

/** An EngineError thrown inside the engine; it crosses the worker boundary as its plain `error`. */
export class EngineFailure extends Error {
  override name = 'EngineFailure';
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

export function fail(code: EngineErrorCode, message: string, hint?: string): never {
  throw new EngineFailure(hint ? { code, message, hint } : { code, message });
}

/** DuckDB's exception types, as they prefix its messages ("Binder Error: ...") or name them in JSON. */
const CODE_OF_TYPE: Record<string, EngineErrorCode> = {
  parser: 'SYNTAX',
  syntax: 'SYNTAX',
  binder: 'BINDER',
  catalog: 'BINDER',
  permission: 'DENIED',
  interrupt: 'CANCELLED',
  'out of memory': 'TOO_LARGE',
  conversion: 'RUNTIME',
  'out of range': 'RUNTIME',
  'invalid input': 'RUNTIME',
  constraint: 'RUNTIME',
  'mismatch type': 'RUNTIME',
  'not implemented': 'RUNTIME',
  io: 'RUNTIME',
  invalid: 'RUNTIME',
  'invalid type': 'RUNTIME',
  dependency: 'RUNTIME',
};

const HINTS: Partial<Record<EngineErrorCode, string>> = {
  SYNTAX: 'Check the SQL near the marked position.',
  BINDER: 'Check the table and column names in the catalog panel.',
  TOO_LARGE: 'Aggregate or filter the data, or add a LIMIT.',
};

interface Parsed {
  type?: string;
  text: string;
  position?: number;
}

/**
 * Flattens anything DuckDB (or the engine) threw into an EngineError. `sql` is the text as DuckDB received
 * it; `offset` is where the user's own text starts inside it, so positions point into the cell.
 */
export function toEngineError(err: unknown, sql?: string, offset = 0): EngineError {
  if (err instanceof EngineFailure) return err.error;
  const raw = err instanceof Error ? err.message : String(err);
  if (/query was cancel?led/i.test(raw)) return { code: 'CANCELLED', message: 'The query was cancelled.' };
  const parsed = parseMessage(raw);
  const code = (parsed.type && CODE_OF_TYPE[parsed.type.toLowerCase()]) || 'INTERNAL';
  const { text, caret } = splitCaret(parsed.text);
  const message = parsed.type ? `${parsed.type} Error: ${text}` : text;
  const error: EngineError = { code, message: missingExtensionReason(message) ?? message };
  const hint = HINTS[code];
  if (hint) error.hint = hint;
  const at =
    sql === undefined
      ? undefined
      : parsed.position !== undefined
        ? lineColumnAt(sql, parsed.position)
        : caret && locateCaret(sql, caret);
  if (at) {
    const userLineStart = lineColumnAt(sql ?? '', offset);
    const line = at.line - userLineStart.line + 1;
    const column = at.line === userLineStart.line ? at.column - userLineStart.column + 1 : at.column;
    if (line >= 1 && column >= 1) Object.assign(error, { line, column });
  }
  return error;
}

/**
 * Maps a DuckDB error of one statement to the cell it came from: positions count from the cell's first
 * line. `prefix` is what the engine put in front of the statement (EXPLAIN for the guard's plan).
 */
export function positionInCell(cell: string, statement: string, e: unknown, prefix = ''): EngineError {
  const error = toEngineError(e, prefix + statement, prefix.length);
  if (error.line === undefined || error.column === undefined) return error;
  const before = cell.slice(0, Math.max(0, cell.indexOf(statement))).split('\n');
  const line = error.line + before.length - 1;
  const column = error.line === 1 ? error.column + before[before.length - 1].length : error.column;
  return { ...error, line, column };
}

/**
 * A statement that fails because a cell it reads could not be defined gets that cell's error instead:
 * `cellErrors` maps each such cell's name to why its view could not be created. The blame follows a chain of
 * cells down to the one whose own SQL failed, the one to fix; when that cell reads a lake table the role may
 * not read (`withheld` says why, from the policy), the figure is withheld, and the error says so.
 */
export function blameCell(
  error: EngineError,
  cellErrors: ReadonlyMap<string, string>,
  withheld: (table: string) => string | undefined = () => undefined,
): EngineError {
  if (error.code !== 'BINDER') return error;
  const culprit = (message: string) =>
    [...cellErrors.keys()].find(
      (n) => message.includes(`name ${n} does not exist`) || message.includes(`"${n}"`),
    );
  let name = culprit(error.message);
  if (name === undefined) return error;
  for (const seen = new Set([name]); ;) {
    const next = culprit(cellErrors.get(name)!);
    if (next === undefined || seen.has(next)) break;
    seen.add(next);
    name = next;
  }
  const cause = cellErrors.get(name)!;
  const table = /Table with name (\S+) does not exist/.exec(cause)?.[1];
  const reason = table === undefined ? undefined : withheld(table);
  if (reason !== undefined)
    return {
      code: 'DENIED',
      message: `Withheld: cell ${name} reads ${table}. ${reason}`,
      hint: `Nothing that reads cell ${name} can be shown for your role.`,
    };
  return {
    code: 'BINDER',
    message: `Cell ${name} has an error, so it cannot be read: ${cause}`,
    hint: `Fix cell ${name} first.`,
  };
}

function parseMessage(raw: string): Parsed {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof json.exception_message === 'string') {
        const position = Number(json.position);
        return {
          type: typeof json.exception_type === 'string' ? json.exception_type : undefined,
          text: json.exception_message,
          position: Number.isInteger(position) && position >= 0 ? position : undefined,
        };
      }
    } catch {
      // Not DuckDB's JSON error form after all: fall through to the text form.
    }
  }
  const m = /^([A-Za-z ]+?) Error: ([\s\S]*)$/.exec(trimmed);
  return m ? { type: m[1], text: m[2] } : { text: trimmed };
}

interface Caret {
  line: number;
  shown: string;
  /** 0-based index of the caret within `shown`. */
  index: number;
}

/** DuckDB appends "LINE n: <text>" and a caret line under it; take them off the message and keep them. */
function splitCaret(text: string): { text: string; caret?: Caret } {
  const m = /\n*LINE (\d+): ([^\n]*)\n( *)\^\s*$/.exec(text);
  if (!m) return { text: text.trim() };
  const prefix = `LINE ${m[1]}: `.length;
  return {
    text: text.slice(0, m.index).trim(),
    caret: { line: Number(m[1]), shown: m[2], index: m[3].length - prefix },
  };
}

/** Long lines are shown as a window with "..." at the ends; find that window in the real line. */
function locateCaret(sql: string, caret: Caret): { line: number; column: number } | undefined {
  const lineText = sql.split('\n')[caret.line - 1];
  if (lineText === undefined) return undefined;
  let shown = caret.shown;
  let index = caret.index;
  if (shown.startsWith('...')) {
    shown = shown.slice(3);
    index -= 3;
  }
  if (shown.endsWith('...')) shown = shown.slice(0, -3);
  const start = lineText.indexOf(shown);
  if (start < 0 || index < 0) return undefined;
  return { line: caret.line, column: start + index + 1 };
}

function lineColumnAt(sql: string, position: number): { line: number; column: number } {
  const before = sql.slice(0, position).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
