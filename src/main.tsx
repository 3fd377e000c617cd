import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { loadDemoSessions, rememberRole } from './components/demo-sessions';
import './components/styles.css';
import { EngineClient } from './engine/client';
import { fastTrackReview } from './lake/notebooks/fast-track-review';
import { isShareFragment } from './notebook/model/share';
import { localSettingsStorage } from './notebook/query-limits';
import { createNotebookStore } from './notebook/store';
import { IdbStorage, MemoryStorage, type NotebookStorage } from './notebook/storage';

async function openStorage(): Promise<{ storage: NotebookStorage; storageProblem?: string }> {
  try {
    return { storage: await IdbStorage.open() };
  } catch (e) {
    return {
      storage: new MemoryStorage(),
      storageProblem: `This browser does not let Lakebook save here (${(e as Error).message || 'IndexedDB unavailable'}). Your changes last while this tab is open; export the notebook to keep it.`,
    };
  }
}

async function boot(): Promise<void> {
  const lakeUrl = new URL('sample-lake/', document.baseURI).href;
  const [{ storage, storageProblem }, demo] = await Promise.all([openStorage(), loadDemoSessions(lakeUrl)]);
  const store = createNotebookStore({
    connector: new EngineClient(),
    storage,
    storageProblem,
    lakeUrl,
    session: demo.initial,
    settingsStorage: localSettingsStorage(),
    firstRunNotebook: fastTrackReview,
  });
  store.subscribe((s, prev) => s.session !== prev.session && rememberRole(s.session.role));
  addEventListener('pagehide', () => void store.getState().flushSave());
  addEventListener(
    'visibilitychange',
    () => document.visibilityState === 'hidden' && void store.getState().flushSave(),
  );

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App store={store} sessions={demo.sessions} />
    </StrictMode>,
  );
  const hash = isShareFragment(location.hash) ? location.hash : undefined;
  // The shared notebook is now stored locally; the long link is no longer needed in the address bar.
  if (hash) history.replaceState(null, '', location.pathname + location.search);
  void store.getState().init(hash);
  void store.getState().startEngine();
}

void boot();
