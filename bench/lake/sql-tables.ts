/**
 * The lake tables a statement reads, for the bare page to load: the first name of each item of a FROM
 * list (or after JOIN) that the catalog knows. A plain word match would also take a column alias that
 * happens to be a table's name (`count(*) AS admissions`), and the bare page would load a table for nothing.
 */
const CLAUSE_END =
  /\b(?:WHERE|GROUP|ORDER|LIMIT|HAVING|WINDOW|QUALIFY|UNION|EXCEPT|INTERSECT|JOIN|ON|USING|LEFT|RIGHT|INNER|FULL|CROSS|SELECT)\b|[();]/i;

export function tablesAfterFrom(sql: string, tables: readonly string[]): string[] {
  const known = new Set(tables);
  const found = new Set<string>();
  for (const m of sql.matchAll(/\b(FROM|JOIN)\b/gi)) {
    const rest = sql.slice(m.index + m[0].length);
    const end = rest.search(CLAUSE_END);
    const list = end < 0 ? rest : rest.slice(0, end);
    const items = m[1]!.toUpperCase() === 'FROM' ? list.split(',') : [list];
    for (const item of items) {
      const name = /^\s*"?([A-Za-z_]\w*)"?/.exec(item)?.[1];
      if (name && known.has(name)) found.add(name);
    }
  }
  return [...found].sort();
}
