import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcMessages } from '../contract/ipc-bytes';
import type { QueryResult } from '../contract/results';
import { IdbResultCache, type CachedResult } from './result-cache';
import { lakeVersion, resultFingerprint, sessionKey } from './result-fingerprint';
import { fakeInfo } from './testing/fake-connector';

const analyst = { user: 'ana', role: 'DataAnalyst', attributes: {} };

function resultOf(values: number[]): QueryResult {
  const ipc = tableToIPC(tableFromArrays({ n: Int32Array.from(values) }), 'stream');
  return {
    // As the engine hands it over: the stream's messages apart.
    ipc: ipcMessages(ipc).map((m) => m.bytes),
    columns: [{ name: 'n', type: 'INTEGER' }],
    rowCount: values.length,
    truncated: false,
    elapsedMs: 3,
    tags: ['PHI'],
    objects: ['admissions'],
    rules: [],
  };
}

function entry(cell: string, values: number[], savedAt: number, session = sessionKey(analyst)): CachedResult {
  return {
    notebook: 'nb',
    cell,
    session,
    fingerprint: `f-${cell}`,
    lake: 'L1',
    savedAt,
    result: resultOf(values),
  };
}

const column = (e: CachedResult | undefined) => [...tableFromIPC(e!.result.ipc).getChild('n')!].map(Number);

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => vi.restoreAllMocks());

describe('result cache', () => {
  it('gives back the Arrow bytes and what the grid needs, per notebook and session', async () => {
    const cache = await IdbResultCache.open();
    await cache.write({ ...entry('c1', [275, 3], 1000), sort: { column: 'n', descending: true } });
    await cache.write(entry('c1', [9], 1000, sessionKey({ ...analyst, role: 'Public' })));
    const [back, ...more] = await cache.read('nb', sessionKey(analyst));
    expect(more).toEqual([]);
    expect(column(back)).toEqual([275, 3]);
    expect(back).toMatchObject({
      cell: 'c1',
      fingerprint: 'f-c1',
      lake: 'L1',
      savedAt: 1000,
      sort: { column: 'n', descending: true },
      result: { rowCount: 2, columns: [{ name: 'n', type: 'INTEGER' }], tags: ['PHI'] },
    });
    expect(await cache.read('other', sessionKey(analyst))).toEqual([]);
    expect(await cache.read('nb', sessionKey({ ...analyst, user: 'bo' }))).toEqual([]);
    await cache.forget('nb', sessionKey(analyst), 'c1');
    expect(await cache.read('nb', sessionKey(analyst))).toEqual([]);
    await cache.forgetNotebook('nb');
    expect(await cache.read('nb', sessionKey({ ...analyst, role: 'Public' }))).toEqual([]);
  });

  it('keeps no result above the size of one entry, and drops the oldest past the total', async () => {
    const oneRow = resultOf([1]).ipc as Uint8Array[];
    const bytes = oneRow.reduce((n, p) => n + p.byteLength, 0);
    const cache = await IdbResultCache.open({
      maxEntryBytes: bytes + 100,
      maxTotalBytes: 2 * bytes + 50,
      maxEntries: 10,
    });
    await cache.write(entry('old', [1], 1));
    await cache.write(entry('mid', [2], 2));
    await cache.write(entry('new', [3], 3));
    const kept = await cache.read('nb', sessionKey(analyst));
    expect(kept.map((e) => e.cell).sort()).toEqual(['mid', 'new']);

    await cache.write(
      entry(
        'mid',
        Array.from({ length: 500 }, (_, i) => i),
        4,
      ),
    );
    expect((await cache.read('nb', sessionKey(analyst))).map((e) => e.cell)).toEqual(['new']);
  });

  it('counts entries too', async () => {
    const cache = await IdbResultCache.open({ maxEntryBytes: 1e6, maxTotalBytes: 1e7, maxEntries: 2 });
    for (const [i, cell] of ['a', 'b', 'c'].entries()) await cache.write(entry(cell, [i], i));
    expect((await cache.read('nb', sessionKey(analyst))).map((e) => e.cell).sort()).toEqual(['b', 'c']);
  });

  it('remembers the lake last reported for each session', async () => {
    const cache = await IdbResultCache.open();
    await cache.setLastLake(sessionKey(analyst), 'L7');
    expect(await cache.lastLake(sessionKey(analyst))).toBe('L7');
    expect(await cache.lastLake(sessionKey({ ...analyst, role: 'Public' }))).toBeUndefined();
  });

  it('turns itself off when the browser fails a write, and never throws', async () => {
    const cache = await IdbResultCache.open();
    await cache.write(entry('c1', [1], 1));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(cache.write(entry('c2', [2], 2))).resolves.toBeUndefined();
    vi.restoreAllMocks();
    // Off for the rest of the page's life: nothing is read or written any more.
    expect(await cache.read('nb', sessionKey(analyst))).toEqual([]);
    await expect(cache.setLastLake('s', 'L')).resolves.toBeUndefined();
    expect(await cache.lastLake('s')).toBeUndefined();
  });

  it('never throws when a read fails', async () => {
    const cache = await IdbResultCache.open();
    vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(() => {
      throw new DOMException('gone', 'InvalidStateError');
    });
    await expect(cache.read('nb', sessionKey(analyst))).resolves.toEqual([]);
    await expect(cache.forgetNotebook('nb')).resolves.toBeUndefined();
  });

  it('passes over entries it cannot read', async () => {
    const cache = await IdbResultCache.open();
    await cache.write(entry('c1', [1], 1));
    const raw = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open('lakebook-results');
      req.onsuccess = () => resolve(req.result);
    });
    const tx = raw.transaction('ipc', 'readwrite');
    tx.objectStore('ipc').put('not bytes', ['nb', sessionKey(analyst), 'c1']);
    await new Promise((r) => (tx.oncomplete = r));
    raw.close();
    expect(await cache.read('nb', sessionKey(analyst))).toEqual([]);
  });
});

describe('result fingerprint', () => {
  const base = {
    sql: 'SELECT n FROM up',
    sources: [{ name: 'up', sql: 'SELECT 1 AS n' }],
    session: analyst,
    lake: lakeVersion(fakeInfo(analyst)),
  };

  it('changes with the SQL, a source’s SQL, the session and the lake, and only with them', () => {
    const f = resultFingerprint(base);
    expect(resultFingerprint({ ...base, sources: [...base.sources] })).toBe(f);
    expect(resultFingerprint({ ...base, sql: 'SELECT n + 1 FROM up' })).not.toBe(f);
    expect(resultFingerprint({ ...base, sources: [{ name: 'up', sql: 'SELECT 2 AS n' }] })).not.toBe(f);
    expect(resultFingerprint({ ...base, session: { ...analyst, role: 'Public' } })).not.toBe(f);
    expect(resultFingerprint({ ...base, session: { ...analyst, user: 'bo' } })).not.toBe(f);
    expect(resultFingerprint({ ...base, session: { ...analyst, attributes: { wards: ['ICU'] } } })).not.toBe(
      f,
    );
    const rebuilt = fakeInfo(analyst);
    rebuilt.manifest = { ...rebuilt.manifest, generatedAt: '2026-02-01T00:00:00Z' };
    expect(lakeVersion(rebuilt)).not.toBe(base.lake);
    expect(resultFingerprint({ ...base, lake: lakeVersion(rebuilt) })).not.toBe(f);
  });

  it('reads attributes in any order as the same session', () => {
    const a = { ...analyst, attributes: { wards: ['ICU'], site: 'north' } };
    const b = { ...analyst, attributes: { site: 'north', wards: ['ICU'] } };
    expect(sessionKey(a)).toBe(sessionKey(b));
  });
});
