import { DataType, tableFromIPC, type Schema } from 'apache-arrow';
import { ipcMessages, ipcParts } from '../contract/ipc-bytes';
import type { IpcBytes } from '../contract/results';

/**
 * What a chart can do with a column: time and number columns span a continuous axis, booleans can be
 * counted as a rate, text is a category.
 */
export type ColumnKind = 'time' | 'number' | 'boolean' | 'text';

export interface SourceColumn {
  name: string;
  kind: ColumnKind;
}

/** Kinds of an Arrow result's columns (e.g. of `SELECT * FROM cell LIMIT 0`). */
export function columnsOfSchema(schema: Schema): SourceColumn[] {
  return schema.fields.map((f) => ({ name: f.name, kind: kindOfArrowType(f.type) }));
}

/** Kinds of the columns of a whole result, read from its schema message alone (no batch is decoded). */
export function columnsOfIpc(ipc: IpcBytes): SourceColumn[] {
  const first = ipcParts(ipc)[0];
  const schema = first ? ipcMessages(first).find((m) => m.kind === 'schema') : undefined;
  return columnsOfSchema(tableFromIPC(schema ? [schema.bytes] : ipc).schema);
}

export function kindOfArrowType(type: DataType): ColumnKind {
  if (DataType.isDictionary(type)) return kindOfArrowType(type.valueType);
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return 'time';
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) return 'number';
  if (DataType.isBool(type)) return 'boolean';
  return 'text';
}

/** Kind of a column from its DuckDB type name, for callers that hold a result's column list. */
export function kindOfDuckType(typeName: string): ColumnKind {
  const t = typeName.trim().toUpperCase();
  if (/^(DATE|TIMESTAMP)/.test(t) || t === 'DATETIME') return 'time';
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?\d*|FLOAT\d*|DOUBLE|REAL|DECIMAL|NUMERIC|VARINT)\b/.test(t))
    return 'number';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  return 'text';
}

/** Columns a chart may use in a role, for the editor's drop-downs. */
export function columnsUsableAs(role: 'x' | 'y' | 'series', columns: SourceColumn[]): SourceColumn[] {
  switch (role) {
    case 'x':
      return columns;
    case 'y':
      return columns.filter((c) => c.kind === 'number' || c.kind === 'boolean');
    case 'series':
      return columns.filter((c) => c.kind === 'text' || c.kind === 'boolean' || c.kind === 'number');
  }
}
