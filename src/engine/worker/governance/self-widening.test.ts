import { describe, expect, it } from 'vitest';
import type { ColumnAccess, RoleView, TableAccess } from '../../../gov/types';
import { selfWidening } from './self-widening';

const col = (name: string, mask?: ColumnAccess['mask']): ColumnAccess => ({
  name,
  type: 'VARCHAR',
  tags: ['PII'],
  mask,
  expr: name,
});
const table = (columns: ColumnAccess[], extra: Partial<TableAccess> = {}): TableAccess => ({
  table: 'people',
  tags: ['PII'],
  columns,
  rules: [],
  ...extra,
});
const view = (...tables: TableAccess[]): RoleView => ({
  session: { user: 'sam', role: 'DataSteward', attributes: {} },
  tables,
  can: { changeTags: true, readAudit: false, exportPhi: false },
});

describe('selfWidening', () => {
  it('finds nothing when the view stays the same or gets narrower', () => {
    const before = view(
      table([col('ssn', 'partial'), col('city'), col('name', 'hash')], { rowFilter: 'ward = 1' }),
    );
    expect(selfWidening(before, before)).toEqual([]);
    const narrower = view(
      table([col('ssn', 'null'), col('city', 'partial')], {
        rowFilter: 'ward = 1',
        aggregateOnly: { minGroupSize: 11 },
      }),
    );
    expect(selfWidening(before, narrower)).toEqual([]);
    expect(selfWidening(before, view())).toEqual([]);
  });

  it('finds a mask removed, a mask changed to anything but null, and a column or table appearing', () => {
    const before = view(table([col('ssn', 'partial'), col('birth', 'year'), col('id', 'hash')]));
    const after = view(table([col('ssn'), col('birth', 'date_shift'), col('id', 'hash'), col('address')]), {
      ...table([col('x')]),
      table: 'secrets',
    });
    expect(selfWidening(before, after)).toEqual([
      'people.ssn would lose its partial mask',
      'people.birth would be masked date_shift instead of year',
      'people.address would become visible',
      'table secrets would become visible',
    ]);
  });

  it('finds a row filter dropped or changed, and suppression dropped or lowered', () => {
    const before = view(table([col('a')], { rowFilter: 'ward = 1', aggregateOnly: { minGroupSize: 11 } }));
    expect(selfWidening(before, view(table([col('a')])))).toEqual([
      'rows of people would no longer be filtered',
      'small groups of people would no longer be suppressed as before',
    ]);
    expect(
      selfWidening(
        before,
        view(table([col('a')], { rowFilter: 'TRUE', aggregateOnly: { minGroupSize: 5 } })),
      ),
    ).toEqual([
      'the row filter of people would change',
      'small groups of people would no longer be suppressed as before',
    ]);
  });
});
