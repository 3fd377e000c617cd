import type { MaskKind } from './types';
import { isDateType, isTimestampType, quoteIdent, quoteString } from './sql-text';

/**
 * SQL for each column mask, evaluated over the stored columns before data reaches anyone who may not see
 * it: by the site build when it prepares a role's lake folder, and by the engine's loader for a lake served
 * raw. The keyed masks use one pair of keys per pseudonym scope everywhere, so a hashed key joins to the
 * same hashed key in another table and a patient's shift is the same in every table.
 */

/**
 * The keys of the `hash` and `date_shift` masks, as hex text: a keyed hash is
 * `sha256(outer || sha256(inner || purpose || value))`, HMAC's nested construction with two independent
 * keys (DuckDB has SHA-256 but no HMAC). Without the keys the pseudonyms cannot be recomputed from a
 * guessed value, which is what keeps a hashed key from being undone by hashing candidate keys.
 */
export interface MaskKeys {
  inner: string;
  outer: string;
}

export interface MaskSettings {
  /** Absent: `hash` and `date_shift` cannot apply and fall back to `null`. */
  keys?: MaskKeys;
  /** Stored column that identifies the patient in this table, for `date_shift`. */
  patientKey?: string;
  maxDays: number;
}

export interface MaskedColumn {
  expr: string;
  type: string;
  /** Set when the asked-for mask could not apply to this column and `null` was used instead. */
  fallback?: string;
}

/** Hex characters of SHA-256 kept by `hash`: 64 bits, plenty to keep distinct keys distinct. */
const HASH_CHARS = 16;

function keyed(keys: MaskKeys, purpose: string, valueSql: string): string {
  const inner = `sha256(${quoteString(`${keys.inner}:${purpose}:`)} || CAST(${valueSql} AS VARCHAR))`;
  return `sha256(${quoteString(keys.outer)} || ${inner})`;
}

const NO_KEYS = 'needs the masking keys, which this lake was given none of';

function nullOf(type: string): string {
  return `CAST(NULL AS ${type})`;
}

export function maskColumn(
  kind: MaskKind,
  column: { name: string; type: string },
  settings: MaskSettings,
): MaskedColumn {
  const col = quoteIdent(column.name);
  switch (kind) {
    case 'null':
      return { expr: nullOf(column.type), type: column.type };
    case 'hash':
      if (!settings.keys)
        return { expr: nullOf(column.type), type: column.type, fallback: `hash ${NO_KEYS}` };
      return { expr: `substr(${keyed(settings.keys, 'hash', col)}, 1, ${HASH_CHARS})`, type: 'VARCHAR' };
    case 'partial': {
      const v = `CAST(${col} AS VARCHAR)`;
      return {
        expr: `CASE WHEN ${col} IS NULL THEN NULL ELSE repeat('*', greatest(length(${v}) - 4, 0)) || right(${v}, 4) END`,
        type: 'VARCHAR',
      };
    }
    case 'year':
      if (isDateType(column.type) || isTimestampType(column.type)) {
        return { expr: `CAST(year(${col}) AS INTEGER)`, type: 'INTEGER' };
      }
      return {
        expr: nullOf(column.type),
        type: column.type,
        fallback: `year needs a date or timestamp, ${column.name} is ${column.type}`,
      };
    case 'date_shift': {
      if (!settings.keys) {
        return { expr: nullOf(column.type), type: column.type, fallback: `date_shift ${NO_KEYS}` };
      }
      if (!settings.patientKey) {
        return {
          expr: nullOf(column.type),
          type: column.type,
          fallback: `date_shift needs a patient key column, none found beside ${column.name}`,
        };
      }
      if (!isDateType(column.type) && !isTimestampType(column.type)) {
        return {
          expr: nullOf(column.type),
          type: column.type,
          fallback: `date_shift needs a date or timestamp, ${column.name} is ${column.type}`,
        };
      }
      const span = 2 * settings.maxDays + 1;
      // 32 bits of the keyed patient hash pick an offset in [-maxDays, +maxDays], the same in every table.
      const bits = `('0x' || substr(${keyed(settings.keys, 'shift', quoteIdent(settings.patientKey))}, 1, 8))::BIGINT`;
      const days = `CAST((${bits} % ${span}) - ${settings.maxDays} AS INTEGER)`;
      const expr = isDateType(column.type) ? `${col} + ${days}` : `${col} + to_days(${days})`;
      return { expr, type: column.type };
    }
  }
}
