import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { createNodeBindings } from '../core/node-bindings';
import { EngineHost } from '../engine-host';
import { parquetWasmDecoder } from '../loader/parquet-decoder';
import type { QueryResult } from '../../../contract/results';
import type { EngineStarted, Request, WorkerMessage } from '../../protocol';
import { serveFolder, type ServedFolder } from '../../testing/lake-fixture';
import type { IngestFileReport } from '../../../contract/ingest';
import { memoryUploadStore, type UploadStore } from './upload-store';

const LAKE = path.resolve('public/sample-lake');
let lake: ServedFolder;

beforeAll(async () => {
  lake = await serveFolder(LAKE);
});
afterAll(() => lake?.close());

const analyst = { user: 'ana', role: 'DataAnalyst', attributes: {} };

function startHost(store: UploadStore) {
  const waiters = new Map<number, (m: WorkerMessage) => void>();
  const host = new EngineHost({
    createBindings: createNodeBindings,
    decoder: async () => parquetWasmDecoder(parquetWasm),
    fetchJson: async (url) => (await fetch(url)).json(),
    post: (m) => ('progress' in m ? undefined : waiters.get(m.id)?.(m)),
    uploadStore: async () => store,
    parquetToIpc: (bytes) => parquetWasm.readParquet(bytes).intoIPCStream(),
  });
  let next = 0;
  const value = async <T>(request: Request): Promise<T> => {
    const id = ++next;
    const reply = new Promise<WorkerMessage>((resolve) => waiters.set(id, resolve));
    host.handle({ id, request });
    const m = await reply;
    if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
    return m.value as T;
  };
  const rows = async (sql: string) => {
    const r = await value<QueryResult>({ kind: 'query', sql, cells: [] });
    return tableFromIPC(r.ipc)
      .toArray()
      .map((row) => ({ ...row }));
  };
  return { value, rows };
}

const event = (id: string, ward: string, patient = 'EVP-LOCAL-1') =>
  JSON.stringify({
    admission_id: id,
    patient_id: patient,
    ward,
    attending_id: 'EVD001',
    diagnosis_group: 'Hip fracture',
    admit_time: '2025-02-01T08:00:00Z',
    discharge_time: '2025-02-03T10:30:00Z',
    los_hours: 50.5,
    discharge_disposition: 'home',
  });

const jsonl = [
  event('EVA00000000', 'Orthopaedics'),
  event('EVA00000001', 'Orthopaedics'),
  '{"admission_id": "EVA-BROKEN", "ward": ',
  event('EVA-NEW-0001', 'Cardiology'),
].join('\n');

const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

describe('files dropped in the browser', () => {
  it('validate into local raw and curated tables under the role view, join the lake, persist, erase', async () => {
    const store = memoryUploadStore();
    const engine = startHost(store);
    await engine.value<EngineStarted>({ kind: 'init', lakeUrl: lake.url, session: analyst });

    const answer = await engine.value<EngineStarted & { reports: IngestFileReport[] }>({
      kind: 'ingest',
      files: [file('evergreen_adt-followup.jsonl', jsonl), file('notes.txt', 'hello')],
    });
    await engine.value({ kind: 'ingest', files: [file('evergreen_adt-followup.jsonl', jsonl)] });
    expect(await store.list()).toHaveLength(1);
    const [ok, refused] = answer.reports;
    expect(ok).toMatchObject({ ingested: 3, duplicate: 0, rejected: 1 });
    expect(ok.rejects[0].line).toBe(3);
    expect(refused.error).toMatch(/only JSON, JSON lines and CSV/);
    const curated = answer.manifest.tables.find((t) => t.name === 'local_evergreen_admissions');
    expect(curated?.tags).toEqual(expect.arrayContaining(['PHI', 'local']));
    expect(answer.view.tables.map((t) => t.table)).toContain('local_raw_evergreen_adt');

    const local = await engine.rows(
      'SELECT patient_id, los_hours, discharge_time FROM local_evergreen_admissions ORDER BY los_hours',
    );
    expect(local).toHaveLength(3);
    // DataAnalyst sees patient keys hashed, local tables included.
    expect(local[0].patient_id).not.toBe('EVP-LOCAL-1');
    expect(local[0].los_hours).toBe(50.5);

    const joined = await engine.rows(
      'SELECT count(*)::INTEGER AS n FROM local_raw_evergreen_adt r JOIN evergreen_admissions a USING (admission_id)',
    );
    expect(joined[0].n).toBe(2);

    const again = startHost(store);
    await again.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    const kept = await again.rows('SELECT count(*)::INTEGER AS n FROM local_evergreen_admissions');
    expect(kept[0].n).toBe(3);

    const erased = await again.value<EngineStarted>({ kind: 'eraseLocal' });
    expect(erased.manifest.tables.some((t) => t.name.startsWith('local_'))).toBe(false);
    expect(await store.list()).toEqual([]);
  }, 240_000);

  it('loads a Parquet file with no contract as a raw table tagged PHI', async () => {
    const engine = startHost(memoryUploadStore());
    await engine.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    const beds = tableFromArrays({ ward: ['A', 'B'], beds: Int32Array.from([4, 6]) });
    const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(beds, 'stream')));
    const answer = await engine.value<EngineStarted & { reports: IngestFileReport[] }>({
      kind: 'ingest',
      files: [{ name: 'Ward Beds.parquet', bytes }],
    });
    expect(answer.reports[0].note).toMatch(/tagged PHI/);
    const entry = answer.manifest.tables.find((t) => t.name === 'local_raw_ward_beds');
    expect(entry).toMatchObject({ tier: 'PHI', tags: ['PHI', 'local'], rowCount: 2 });
    const rows = await engine.rows('SELECT sum(beds)::INTEGER AS beds FROM local_raw_ward_beds');
    expect(rows[0].beds).toBe(10);
  }, 240_000);

  it('applies the row filters of the contract table to its local twins', async () => {
    const engine = startHost(memoryUploadStore());
    const clinician = { user: 'cl', role: 'Clinician', attributes: { wards: ['Cardiology'] } };
    await engine.value({ kind: 'init', lakeUrl: lake.url, session: clinician });
    await engine.value({ kind: 'ingest', files: [file('evergreen_adt-followup.jsonl', jsonl)] });
    for (const table of ['local_evergreen_admissions', 'local_raw_evergreen_adt']) {
      const wards = await engine.rows(`SELECT DISTINCT ward FROM ${table}`);
      expect(wards).toEqual([{ ward: 'Cardiology' }]);
    }
  }, 240_000);
});
