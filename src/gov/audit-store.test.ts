import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from './audit-store';
import type { AuditInput } from './audit';

const entry = (statement: string): AuditInput => ({
  action: 'query',
  user: 'ana',
  role: 'DataAnalyst',
  time: '2026-01-01T10:00:00Z',
  statement,
  decision: 'allow',
  objects: [],
  rules: [],
  rows: 1,
  durationMs: 2,
});

let n = 0;
const fresh = () => `audit-test-${n++}`;

describe('audit store in IndexedDB', () => {
  it('appends in order, survives reopening, verifies and exports', async () => {
    const name = fresh();
    const store = await openAuditStore(name);
    await Promise.all([
      store.append(entry('SELECT 1')),
      store.append(entry('SELECT 2')),
      store.append(entry('SELECT 3')),
    ]);
    store.close();
    const again = await openAuditStore(name);
    const es = await again.entries();
    expect(es.map((e) => [e.seq, e.statement])).toEqual([
      [0, 'SELECT 1'],
      [1, 'SELECT 2'],
      [2, 'SELECT 3'],
    ]);
    expect(await again.head()).toEqual({ seq: 2, hash: es[2].hash });
    expect((await again.verify()).ok).toBe(true);
    expect((await again.exportJsonl()).trim().split('\n')).toHaveLength(3);
    again.close();
  });

  it('keeps one chain when two tabs append at the same time', async () => {
    const name = fresh();
    const a = await openAuditStore(name);
    const b = await openAuditStore(name);
    await Promise.all([1, 2, 3, 4].flatMap((i) => [a.append(entry(`a${i}`)), b.append(entry(`b${i}`))]));
    const es = await a.entries();
    expect(es.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await a.verify()).ok).toBe(true);
    a.close();
    b.close();
  });

  it('notices an entry edited or deleted behind its back', async () => {
    const name = fresh();
    const store = await openAuditStore(name);
    for (const s of ['SELECT 1', 'SELECT 2', 'SELECT 3']) await store.append(entry(s));
    const raw = await openDB(name, 1);
    const second = await raw.get('entries', 1);
    await raw.put('entries', { ...second, decision: 'deny' });
    expect((await store.verify()).ok).toBe(false);
    await raw.put('entries', second);
    expect((await store.verify()).ok).toBe(true);
    await raw.delete('entries', 2);
    expect((await store.verify()).ok).toBe(false);
    raw.close();
    store.close();
  });
});
