/** Files added to the browser's own lake zones from the UI, and erasing them. */
import type { LocalDataApi } from '../contract/connector';
import type { IngestFileReport } from '../contract/ingest';
import { toCellError } from './run-state';
import type { GetState, LocalDataActions, NotebookState, SetState, StoreDeps } from './store-types';

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
      // The engine's answer to an ingest carries per-file reports beside its info; the store keeps the info.
      const { reports: _reports, ...info } = answer as T & { reports?: IngestFileReport[] };
      set({ engine: { status: 'ready', info } });
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
