/**
 * Where the cursor is in a statement decides what completion lists first: after FROM or JOIN (or a comma
 * in a FROM list) a table or a cell is what comes next; elsewhere a column is more likely. Monaco orders
 * equally good matches by `sortText`.
 */
export type CompletionGroup = 'relation' | 'column' | 'keyword' | 'function';

const IDENT = '(?:[A-Za-z_][A-Za-z0-9_]*|"[^"]*")';
const RELATION_ITEM = `${IDENT}(?:\\.${IDENT})?(?:\\s+(?:AS\\s+)?${IDENT})?`;
const AFTER_FROM = new RegExp(`\\b(?:FROM|JOIN)\\s+(?:${RELATION_ITEM}\\s*,\\s*)*$`, 'i');

/** True when the text before the word being typed ends where a table name belongs. */
export function expectsRelation(textBeforeWord: string): boolean {
  return AFTER_FROM.test(textBeforeWord.replace(/--[^\n]*$/gm, ''));
}

export function sortTextFor(group: CompletionGroup, relationFirst: boolean): string {
  const order: CompletionGroup[] = relationFirst
    ? ['relation', 'column', 'keyword', 'function']
    : ['column', 'relation', 'keyword', 'function'];
  return String(order.indexOf(group));
}
