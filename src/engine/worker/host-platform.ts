import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import type { WorkerMessage } from '../protocol';
import type { GovernanceStorage } from './governance/worker-governance';
import type { ParquetToIpc } from './ingest/local-lake';
import type { UploadStore } from './ingest/upload-store';
import type { ParquetDecoder } from './loader/parquet-decoder';

/** What the host needs from its platform: the browser worker and the Node tests give different ones. */
export interface HostPlatform {
  /**
   * A new DuckDB instance. With `threads`, the role's instance may use several where the platform has
   * them (see `wantsThreads`); the trusted staging instance only moves data in and never asks for them.
   */
  createBindings(use: 'user' | 'staging', options?: { threads: boolean }): Promise<DuckDBBindings>;
  /** Ends an instance the host no longer uses (a threaded one keeps its thread workers until then). */
  releaseBindings?(bindings: DuckDBBindings): void;
  /**
   * Whether an instance must be replaced once a statement on it was stopped. DuckDB-WASM's bindings stop
   * a statement by dropping it, without interrupting it: on one thread nothing runs between polls, but with
   * several, DuckDB's threads go on with it, and the next statement waits until they finish (for ever, for
   * a runaway query).
   */
  replaceAfterStop?(bindings: DuckDBBindings): boolean;
  /** Keep a user instance started ahead of need, to replace one busy with a stopped statement at once. */
  spareInstances?: boolean;
  /**
   * Where `replaceAfterStop` holds, how long a cancelled statement (a Cancel, or a statement of the old role
   * once a role switch is asked) may go on, its answer dropped, before it is stopped. One that ends in time
   * leaves the instance usable; stopping it costs a new instance (seconds). One second by default.
   */
  stopGraceMs?: number;
  /** parquet-wasm, ready to decode (its wasm instantiated). */
  decoder(): Promise<ParquetDecoder>;
  fetchJson(url: string): Promise<unknown>;
  post(message: WorkerMessage, transfer?: Transferable[]): void;
  /** Where the audit log and tag changes persist (IndexedDB in the worker); in memory when absent. */
  governanceStorage?: GovernanceStorage;
  /** Where files dropped in the browser persist (IndexedDB in the worker); in memory when absent. */
  uploadStore?: () => Promise<UploadStore>;
  /** Decodes a dropped Parquet file; without it such files are refused. */
  parquetToIpc?: ParquetToIpc;
}
