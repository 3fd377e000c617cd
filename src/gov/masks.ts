import type { MaskKind } from './types';
import { isDateType, isTimestampType, quoteIdent, quoteString } from './sql-text';

/**
 * SQL for each column mask, evaluated by the app's loader over the stored columns before data reaches the
 * instance that runs user SQL. Masks that need a salt use the same salt everywhere, so a hashed key joins to
 * the same hashed key in another table and a patient's shift is the same in every table.
 */

export interface MaskSettings {
  salt: string;
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

function salted(salt: string, purpose: string, valueSql: string): string {
  return `sha256(${quoteString(`${salt}:${purpose}:`)} || CAST(${valueSql} AS VARCHAR))`;
}

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
      return { expr: `substr(${salted(settings.salt, 'hash', col)}, 1, ${HASH_CHARS})`, type: 'VARCHAR' };
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
      // 32 bits of the salted patient hash pick an offset in [-maxDays, +maxDays], the same in every table.
      const bits = `('0x' || substr(${salted(settings.salt, 'shift', quoteIdent(settings.patientKey))}, 1, 8))::BIGINT`;
      const days = `CAST((${bits} % ${span}) - ${settings.maxDays} AS INTEGER)`;
      const expr = isDateType(column.type) ? `${col} + ${days}` : `${col} + to_days(${days})`;
      return { expr, type: column.type };
    }
  }
}
