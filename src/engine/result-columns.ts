import { DataType, MessageReader, type Field } from 'apache-arrow';
import type { IpcBytes, ResultColumn } from '../contract/results';

/** Column names and DuckDB type names of a result, read from the schema message alone. */
export function resultColumns(ipc: IpcBytes): ResultColumn[] {
  const schema = new MessageReader(ipc).readSchema();
  return schema ? schema.fields.map((f) => ({ name: f.name, type: duckdbType(f) })) : [];
}

/** DuckDB's name for the type it exported as this Arrow field. */
export function duckdbType(field: Field): string {
  return typeName(field.type);
}

function typeName(t: DataType): string {
  if (DataType.isInt(t)) {
    const base = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[t.bitWidth] ?? 'BIGINT';
    return t.isSigned ? base : `U${base}`;
  }
  if (DataType.isFloat(t)) return t.precision === 0 ? 'HALF' : t.precision === 1 ? 'FLOAT' : 'DOUBLE';
  if (DataType.isDecimal(t)) return `DECIMAL(${t.precision},${t.scale})`;
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return 'VARCHAR';
  if (DataType.isBinary(t) || DataType.isLargeBinary(t) || DataType.isFixedSizeBinary(t)) return 'BLOB';
  if (DataType.isBool(t)) return 'BOOLEAN';
  if (DataType.isDate(t)) return 'DATE';
  if (DataType.isTime(t)) return 'TIME';
  if (DataType.isTimestamp(t)) return t.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
  if (DataType.isInterval(t) || DataType.isDuration(t)) return 'INTERVAL';
  if (DataType.isList(t) || DataType.isFixedSizeList(t)) return `${typeName(t.children[0].type)}[]`;
  if (DataType.isStruct(t))
    return `STRUCT(${t.children.map((c) => `${c.name} ${typeName(c.type)}`).join(', ')})`;
  if (DataType.isMap(t)) {
    const [key, value] = t.children[0].type.children;
    return `MAP(${typeName(key.type)}, ${typeName(value.type)})`;
  }
  if (DataType.isDictionary(t)) return typeName(t.dictionary);
  if (DataType.isNull(t)) return 'NULL';
  return String(t);
}
