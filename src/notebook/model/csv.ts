/**
 * A result as CSV (RFC 4180): read column by column from Arrow, written in chunks so a large result does not
 * build one giant string. NULL is written as an empty field and an empty string as "", so they stay distinct.
 */
import type { Table } from 'apache-arrow';
import { formatValue } from './arrow-format';

const needsQuotes = /[",\r\n]/;

function field(text: string): string {
  return needsQuotes.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvChunks(table: Table, rowsPerChunk = 10_000): string[] {
  const fields = table.schema.fields;
  const vectors = fields.map((f) => table.getChild(f.name)!);
  const chunks = [fields.map((f) => field(f.name)).join(',') + '\r\n'];
  for (let start = 0; start < table.numRows; start += rowsPerChunk) {
    const end = Math.min(start + rowsPerChunk, table.numRows);
    const lines: string[] = [];
    for (let i = start; i < end; i++) {
      const cells = vectors.map((v, c) => {
        const cell = formatValue(v.get(i), fields[c]!);
        return cell.kind === 'null' ? '' : field(cell.text);
      });
      lines.push(cells.join(',') + '\r\n');
    }
    chunks.push(lines.join(''));
  }
  return chunks;
}
