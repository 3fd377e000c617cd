import { describe, expect, it } from 'vitest';
import { identifiers, referencedNames } from './sql-tokens';

const names = (sql: string) => identifiers(sql).map((t) => t.name);

describe('identifiers', () => {
  it('lists words and quoted names, lower-cased', () => {
    expect(names('SELECT A, "Mixed Case" FROM Cell_1')).toEqual([
      'select',
      'a',
      'mixed case',
      'from',
      'cell_1',
    ]);
  });

  it('skips strings, escaped quotes, dollar quotes and comments', () => {
    const sql = `SELECT 'cell_1 '' cell_2', $$cell_3$$, $x$ cell_4 $x$ -- cell_5
      /* cell_6 */ FROM t`;
    expect(names(sql)).toEqual(['select', 'from', 't']);
  });

  it('treats E and X string prefixes as part of the literal', () => {
    expect(names("SELECT E'cell_1', X'00' FROM e")).toEqual(['select', 'from', 'e']);
  });

  it('unescapes doubled quotes inside quoted identifiers', () => {
    expect(names('SELECT * FROM "a""b"')).toEqual(['select', 'from', 'a"b']);
  });

  it('marks names that follow a dot as qualified', () => {
    const toks = identifiers('SELECT x.cell_1 FROM cell_2 x');
    expect(toks.filter((t) => t.qualified).map((t) => t.name)).toEqual(['cell_1']);
  });

  it('survives unterminated strings and comments', () => {
    expect(names("SELECT 'open")).toEqual(['select']);
    expect(names('SELECT /* open')).toEqual(['select']);
    expect(names('SELECT "open')).toEqual(['select', 'open']);
  });
});

describe('referencedNames', () => {
  it('finds only candidates used as table-like names', () => {
    const found = referencedNames(
      "SELECT a.cell_9 FROM readmits a JOIN Cell_2 USING (id) WHERE note = 'cell_3'",
      new Set(['readmits', 'cell_2', 'cell_3', 'cell_9']),
    );
    expect([...found].sort()).toEqual(['cell_2', 'readmits']);
  });
});
