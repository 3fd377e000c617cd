/**
 * Random and mutated notebook documents through the loader and the store's import: the loader never throws,
 * accepts only documents that round-trip, and a refused import leaves the open notebook, the list and storage
 * exactly as they were (NOTEBOOK_FUZZ_RUNS sets the count).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreNotebook, serializeNotebook } from '../../src/notebook/model/file-format';
import { createNotebookStore } from '../../src/notebook/store';
import { MemoryStorage } from '../../src/notebook/storage';
import { FakeConnector } from '../../src/notebook/testing/fake-connector';

const RUNS = Number(process.env.NOTEBOOK_FUZZ_RUNS ?? 1000);

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const stamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const cell = fc.oneof(
  fc.record({
    id,
    kind: fc.constant('sql'),
    name: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
    sql: fc.string(),
  }),
  fc.record({ id, kind: fc.constant('markdown'), text: fc.string() }),
  fc.record({ id, kind: fc.constant('chart'), config: fc.dictionary(fc.string(), fc.jsonValue()) }),
);
const v2 = fc.record({
  format: fc.constant('lakebook-notebook'),
  version: fc.constant(2),
  id,
  title: fc.string({ maxLength: 40 }),
  createdAt: stamp,
  updatedAt: stamp,
  settings: fc.record({ runMode: fc.constantFrom('auto', 'lazy') }),
  cells: fc.array(cell, { maxLength: 6 }),
});
const v1 = fc.record({
  format: fc.constant('lakebook-notebook'),
  version: fc.constant(1),
  title: fc.string({ maxLength: 40 }),
  cells: fc.array(
    fc.oneof(
      fc.record({
        type: fc.constant('sql'),
        name: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
        source: fc.string(),
      }),
      fc.record({ type: fc.constant('markdown'), source: fc.string() }),
    ),
    { maxLength: 6 },
  ),
});

type Json = Record<string, unknown>;
/** One change to a document: a key dropped, a value replaced by any JSON, or a key added. */
const mutation: fc.Arbitrary<(doc: Json) => Json> = fc.oneof(
  fc.nat().map((n) => (doc: Json) => {
    const keys = Object.keys(doc);
    const { [keys[n % Math.max(1, keys.length)] ?? '']: _dropped, ...rest } = doc;
    return rest;
  }),
  fc.tuple(fc.nat(), fc.jsonValue()).map(([n, value]) => (doc: Json) => {
    const keys = Object.keys(doc);
    return keys.length === 0 ? doc : { ...doc, [keys[n % keys.length]!]: value };
  }),
  fc.tuple(fc.nat(), fc.jsonValue()).map(([n, value]) => (doc: Json) => {
    const cells = Array.isArray(doc.cells) ? [...(doc.cells as unknown[])] : [];
    if (cells.length === 0) return doc;
    const at = n % cells.length;
    cells[at] =
      typeof cells[at] === 'object' && cells[at] !== null ? { ...(cells[at] as Json), sql: value } : value;
    return { ...doc, cells };
  }),
  fc.tuple(fc.string(), fc.jsonValue()).map(([key, value]) => (doc: Json) => ({ ...doc, [key]: value })),
);

/** Valid documents, broken ones, text cut short, and anything JSON can be. */
const documentText = fc.oneof(
  { weight: 2, arbitrary: fc.oneof(v2, v1).map((d) => JSON.stringify(d)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof(v2, v1), fc.array(mutation, { minLength: 1, maxLength: 3 }))
      .map(([d, ms]) => JSON.stringify(ms.reduce((acc, m) => m(acc), d as Json))),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(v2, fc.double({ min: 0, max: 1, noNaN: true })).map(([d, f]) => {
      const text = JSON.stringify(d);
      return text.slice(0, Math.floor(text.length * f));
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.string() },
);

describe(`notebook documents under fuzzing (${RUNS} runs)`, () => {
  it('the loader never throws; what it accepts round-trips, what it refuses says so', () => {
    let accepted = 0;
    fc.assert(
      fc.property(documentText, (text) => {
        const result = restoreNotebook(text);
        if (!result.ok) {
          expect(result.message).toMatch(/Nothing was changed\.$/);
          return;
        }
        accepted++;
        const ids = result.notebook.cells.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        const again = restoreNotebook(serializeNotebook(result.notebook));
        expect(again).toEqual({ ok: true, notebook: result.notebook });
      }),
      { numRuns: RUNS },
    );
    // The generators reach both sides of the loader.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('a refused import leaves the notebook, the list and storage as they were', async () => {
    const storage = new MemoryStorage();
    const store = createNotebookStore({
      connector: new FakeConnector(),
      storage,
      lakeUrl: '/lake/',
      session: { user: 'fuzz', role: 'DataAnalyst', attributes: {} },
      saveDelayMs: 1,
    });
    await store.getState().init();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(documentText, async (text) => {
        const before = store.getState();
        const stored = JSON.stringify(await storage.read(before.notebook.id));
        const listed = JSON.stringify(await storage.list());
        const result = await store.getState().importNotebook(text);
        const after = store.getState();
        if (result.ok) {
          expect(after.notebook).toBe(result.notebook);
          return;
        }
        refused++;
        expect(after.notebook).toBe(before.notebook);
        expect(after.notebooks).toBe(before.notebooks);
        expect(after.notice?.text).toBe(result.message);
        expect(JSON.stringify(await storage.read(before.notebook.id))).toBe(stored);
        expect(JSON.stringify(await storage.list())).toBe(listed);
      }),
      { numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(RUNS / 4);
  });
});
