import { describe, expect, it, vi } from 'vitest';
import type { QueryOptions } from '../../src/contract/connector';
import type { CellSource } from '../../src/contract/results';
import { makeSqlCell } from '../../src/notebook/model/cells';
import { newNotebook } from '../../src/notebook/model/notebook';
import {
  checkLimits,
  DEFAULT_LIMITS,
  LIMITS_KEY,
  loadLimits,
  queryOptions,
  saveLimits,
} from '../../src/notebook/query-limits';
import { createNotebookStore } from '../../src/notebook/store';
import { MemoryStorage } from '../../src/notebook/storage';
import { FakeConnector } from '../../src/notebook/testing/fake-connector';

class MapStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** Remembers the options each query was sent with. */
class RecordingConnector extends FakeConnector {
  readonly options: (QueryOptions | undefined)[] = [];
  override query(sql: string, cells: CellSource[], options?: QueryOptions) {
    this.options.push(options);
    return super.query(sql, cells);
  }
}

describe('query limits', () => {
  it('accepts whole numbers in range and says which field is wrong otherwise', () => {
    expect(checkLimits({ timeLimitSeconds: '0', maxRows: '1,000', maxResultMb: ' 64 ' })).toEqual({
      ok: true,
      limits: { timeLimitSeconds: 0, maxRows: 1000, maxResultMb: 64 },
    });
    const bad = [
      [{ timeLimitSeconds: '-1', maxRows: '10', maxResultMb: '1' }, /time limit/],
      [{ timeLimitSeconds: '5', maxRows: '1.5', maxResultMb: '1' }, /row limit/],
      [{ timeLimitSeconds: '5', maxRows: '10', maxResultMb: '99999' }, /result size limit/],
      [{ timeLimitSeconds: 'soon', maxRows: '10', maxResultMb: '1' }, /time limit/],
      [{ timeLimitSeconds: '5', maxRows: '', maxResultMb: '1' }, /row limit/],
    ] as const;
    for (const [input, message] of bad) {
      const checked = checkLimits(input);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.message).toMatch(message);
    }
  });

  it('falls back to the defaults for missing, damaged or out-of-range stored settings', () => {
    const storage = new MapStorage();
    expect(loadLimits(storage)).toEqual(DEFAULT_LIMITS);
    for (const text of [
      '{',
      '[]',
      '{"timeLimitSeconds":5}',
      '{"timeLimitSeconds":5,"maxRows":0,"maxResultMb":1}',
    ]) {
      storage.setItem(LIMITS_KEY, text);
      expect(loadLimits(storage)).toEqual(DEFAULT_LIMITS);
    }
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadLimits(refusing)).toEqual(DEFAULT_LIMITS);
    expect(saveLimits(refusing, DEFAULT_LIMITS)).toBe(false);
    expect(saveLimits(undefined, DEFAULT_LIMITS)).toBe(false);
  });

  it('turns limits into engine options (0 seconds: no time limit)', () => {
    expect(queryOptions({ timeLimitSeconds: 2, maxRows: 10, maxResultMb: 1 })).toEqual({
      timeoutMs: 2000,
      maxRows: 10,
      maxBytes: 1024 * 1024,
    });
    expect(queryOptions({ timeLimitSeconds: 0, maxRows: 10, maxResultMb: 1 }).timeoutMs).toBeUndefined();
  });

  it('the store sends every query with the current limits and keeps changes for the next visit', async () => {
    const connector = new RecordingConnector();
    const settings = new MapStorage();
    const storage = new MemoryStorage();
    const nb = { ...newNotebook('L'), cells: [makeSqlCell('cell_1', 'SELECT 1')] };
    await storage.save(nb);
    await storage.setLastOpened(nb.id);
    const deps = {
      connector,
      storage,
      lakeUrl: '/lake/',
      session: { user: 'u', role: 'DataAnalyst', attributes: {} },
    };
    const store = createNotebookStore({ ...deps, settingsStorage: settings, saveDelayMs: 5 });
    await store.getState().init();
    await store.getState().startEngine();
    expect(store.getState().limits).toEqual(DEFAULT_LIMITS);

    const limits = { timeLimitSeconds: 3, maxRows: 500, maxResultMb: 16 };
    store.getState().setLimits(limits);
    void store.getState().runCell(nb.cells[0]!.id);
    await vi.waitFor(() => expect(connector.queries).toHaveLength(1));
    expect(connector.options[0]).toEqual(queryOptions(limits));

    const again = createNotebookStore({ ...deps, connector: new FakeConnector(), settingsStorage: settings });
    expect(again.getState().limits).toEqual(limits);
  });
});
