/**
 * Error text without data values, for records other roles read (the audit log). DuckDB's runtime errors quote
 * the value that failed (`Could not convert string '999-79-9380' to INT32`, `Overflow in multiplication of
 * INT32 (46341 * 46341)!`), and that value may be one the reader's role may not see. Quoted text and bare
 * numbers become `…`; type names (`INT32`), words and punctuation stay, so the kind of failure remains clear.
 */
// An apostrophe inside a word (`can't`) opens no quote.
const SINGLE_QUOTED = /(?<![\p{L}\p{N}])'(?:[^']|'')*'?/gu;
const DOUBLE_QUOTED = /"(?:[^"]|"")*"?/g;
const NUMBER = /(?<![\p{L}\p{N}_])[-+]?\d+(?:[.,:]\d+)*(?:e[-+]?\d+)?(?![\p{L}\p{N}_])/giu;

export function redactValues(message: string): string {
  return message.replace(SINGLE_QUOTED, "'…'").replace(DOUBLE_QUOTED, '"…"').replace(NUMBER, '…');
}
