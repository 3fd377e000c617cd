/**
 * Editor help for SQL cells: completion of the tables and columns the current role may see, of cell names
 * and of DuckDB keywords and functions; hover on a table or column shows its type and tags. Monaco providers
 * are global, so they read the current role's catalog from `setSqlHelpSource`.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';
import type { TableAccess } from '../../gov/types';
import { expectsRelation, sortTextFor, type CompletionGroup } from './completion-order';

export interface SqlHelpSource {
  tables: readonly TableAccess[];
  descriptions: ReadonlyMap<string, string>;
  cellNames: readonly string[];
}

let source: SqlHelpSource = { tables: [], descriptions: new Map(), cellNames: [] };

export function setSqlHelpSource(next: SqlHelpSource): void {
  source = next;
}

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'JOIN',
  'LEFT JOIN',
  'INNER JOIN',
  'FULL JOIN',
  'CROSS JOIN',
  'USING',
  'ON',
  'AS',
  'WITH',
  'DISTINCT',
  'UNION ALL',
  'EXCEPT',
  'INTERSECT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS NULL',
  'BETWEEN',
  'LIKE',
  'ILIKE',
  'QUALIFY',
  'PIVOT',
  'UNPIVOT',
  'EXCLUDE',
  'REPLACE',
  'OVER',
  'PARTITION BY',
  'WINDOW',
  'ASC',
  'DESC',
  'NULLS FIRST',
  'NULLS LAST',
];

const FUNCTIONS =
  `count sum avg min max median quantile_cont stddev mode count_if arg_max arg_min list string_agg
approx_count_distinct coalesce nullif greatest least round floor ceil abs date_trunc date_part datediff date_diff
extract year month day hour epoch age strftime strptime make_date current_date now lower upper length trim
replace regexp_matches regexp_extract concat substring split_part contains starts_with row_number rank
dense_rank lag lead first_value last_value ntile cast try_cast generate_series range unnest`.split(/\s+/);

export function registerSqlLanguageHelp(monaco: typeof Monaco): void {
  const { CompletionItemKind } = monaco.languages;
  monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(
        position.lineNumber,
        word.startColumn,
        position.lineNumber,
        word.endColumn,
      );
      const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
      const qualifier = /([A-Za-z_][A-Za-z0-9_]*)\.$/.exec(before)?.[1]?.toLowerCase();
      const relationFirst = expectsRelation(
        model.getValueInRange(new monaco.Range(1, 1, position.lineNumber, word.startColumn)),
      );
      const order = (group: CompletionGroup) => sortTextFor(group, relationFirst);
      const columnItems = (t: TableAccess) =>
        t.columns.map((c) => ({
          label: c.name,
          kind: CompletionItemKind.Field,
          detail: `${t.table}.${c.name} ${c.type}${c.tags.length ? ` · ${c.tags.join(', ')}` : ''}`,
          insertText: c.name,
          sortText: `${order('column')}${c.name}`,
          range,
        }));
      if (qualifier) {
        const table = source.tables.find((t) => t.table.toLowerCase() === qualifier);
        return { suggestions: table ? columnItems(table) : [] };
      }
      return {
        suggestions: [
          ...source.tables.map((t) => ({
            label: t.table,
            kind: CompletionItemKind.Struct,
            detail: `table · ${t.tags.join(', ')}`,
            documentation: source.descriptions.get(t.table),
            insertText: t.table,
            sortText: `${order('relation')}${t.table}`,
            range,
          })),
          ...source.cellNames.map((name) => ({
            label: name,
            kind: CompletionItemKind.Variable,
            detail: 'cell result',
            insertText: name,
            sortText: `${order('relation')}${name}`,
            range,
          })),
          ...source.tables.flatMap(columnItems),
          ...KEYWORDS.map((k) => ({
            label: k,
            kind: CompletionItemKind.Keyword,
            insertText: k,
            sortText: `${order('keyword')}${k}`,
            range,
          })),
          ...FUNCTIONS.map((f) => ({
            label: f,
            sortText: `${order('function')}${f}`,
            kind: CompletionItemKind.Function,
            insertText: `${f}($0)`,
            insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
            range,
          })),
        ],
      };
    },
  });

  monaco.languages.registerHoverProvider('sql', {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const name = word.word.toLowerCase();
      const range = new monaco.Range(
        position.lineNumber,
        word.startColumn,
        position.lineNumber,
        word.endColumn,
      );
      const table = source.tables.find((t) => t.table.toLowerCase() === name);
      if (table) {
        const description = source.descriptions.get(table.table);
        return {
          range,
          contents: [
            { value: `**${table.table}** · ${table.tags.join(', ')}` },
            ...(description ? [{ value: description }] : []),
          ],
        };
      }
      const columns = source.tables.flatMap((t) =>
        t.columns.filter((c) => c.name.toLowerCase() === name).map((c) => ({ t, c })),
      );
      if (columns.length === 0) return null;
      return {
        range,
        contents: columns.map(({ t, c }) => ({
          value: `**${t.table}.${c.name}** \`${c.type}\`${c.tags.length ? ` · ${c.tags.join(', ')}` : ''}${c.mask ? ` · masked (${c.mask})` : ''}`,
        })),
      };
    },
  });
}
