import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ipcMessages } from '../contract/ipc-bytes';
import { columnsOfIpc, columnsOfSchema } from './columns';

describe("a result's columns", () => {
  const table = tableFromArrays({
    at: [new Date(0), new Date(1)],
    v: Float64Array.from([1, 2]),
    ward: ['a', 'b'],
  });
  const ipc = tableToIPC(table, 'stream');

  it('are read from the schema message alone, whole or split into messages', () => {
    const expected = [
      { name: 'at', kind: 'time' },
      { name: 'v', kind: 'number' },
      { name: 'ward', kind: 'text' },
    ];
    expect(columnsOfSchema(tableFromIPC(ipc).schema)).toEqual(expected);
    expect(columnsOfIpc(ipc)).toEqual(expected);
    expect(columnsOfIpc(ipcMessages(ipc).map((m) => m.bytes))).toEqual(expected);
  });
});
