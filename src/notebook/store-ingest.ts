/** Files added to the browser's own lake zones from the UI, and erasing them. */
import type { LocalDataApi } from '../engine/connector';
import type { IngestFile, IngestFileReport } from '../engine/ingest/ingest-types';
import { toCellError } from './store-run';
import type { GetState, NotebookState, SetState, StoreDeps } from './store-types';

export interface LocalDataActions {
  /** Validates and adds dropped files; resolves with a report per file, undefined when the engine failed. */
  ingestFiles(files: IngestFile[]): Promise<IngestFileReport[] | undefined>;
  /** Forgets every dropped file and its tables; resolves true once the engine no longer has them. */
  eraseLocalData(): Promise<boolean>;
}

export function createIngestActions(set: SetState, get: GetState, deps: StoreDeps): LocalDataActions {
  /** The engine rebuilds the role's instance; the catalog follows its answer. */
  const rebuilding = async <T extends NonNullable<NotebookState['engine']['info']>>(
    what: string,
    request: (api: LocalDataApi) => Promise<T>,
  ): Promise<T | undefined> => {
    const api = deps.connector.localData;
    if (!api) {
      get().notify('error', 'This engine does not keep local data.');
      return undefined;
    }
    const before = get().engine;
    set({ engine: { ...before, status: 'switching', progress: undefined } });
    try {
      const answer = await request(api);
      const { version, threads, view, manifest, audit } = answer;
      set({ engine: { status: 'ready', info: { version, threads, view, manifest, audit } } });
      return answer;
    } catch (e) {
      set({ engine: { ...before, status: before.status === 'switching' ? 'ready' : before.status } });
      get().notify('error', `${what}: ${toCellError(e).message}`);
      return undefined;
    }
  };

  return {
    async ingestFiles(files) {
      const answer = await rebuilding('The files were not added', (api) => api.ingest(files));
      return answer?.reports;
    },
    async eraseLocalData() {
      const answer = await rebuilding('Local data was not erased', (api) => api.erase());
      if (answer) get().notify('info', 'Local data erased: the files added in this browser are gone.');
      return answer !== undefined;
    },
  };
}
