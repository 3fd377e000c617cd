// First, before the modules below are evaluated: the engine's worker starts downloading DuckDB meanwhile.
import './engine/page/start-early';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { ChartRunnerContext } from './components/charts/use-chart-run';
import { ViewRoute } from './components/view/ViewRoute';
import { loadDemoSessions, rememberRole } from './components/demo-sessions';
import './components/styles.css';
import { EngineClient } from './engine/page/client';
import { discardEarlyWorker } from './engine/page/engine-worker';
import { ServerConnector } from './engine/page/server-connector';
import { forgetToken, rememberToken, serverAddress, takeToken } from './engine/page/server-address';
import { SignIn } from './components/SignIn';
import type { EngineConnector } from './contract/connector';
import { isEngineError } from './contract/results';
import type { DemoSessions } from './components/demo-sessions';
import { isShareFragment } from './notebook/model/share';
import { fetchNotebook, REVIEW_NOTEBOOK_PATH } from './notebook/notebook-url';
import { localSettingsStorage } from './notebook/query-limits';
import { createNotebookStore } from './notebook/store';
import { IdbResultCache } from './notebook/result-cache';
import { IdbStorage, MemoryStorage, type NotebookStorage } from './notebook/storage';
import { browserTabChannel } from './notebook/tab-channel';

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

interface EngineChoice {
  connector: EngineConnector;
  demo: DemoSessions;
}

/**
 * The page's engine: the Lakebook server when the site names one (the user is whoever the server says),
 * else DuckDB in this page with the demo's users. Undefined when the server needs the user to sign in.
 */
async function chooseEngine(lakeUrl: string): Promise<EngineChoice | undefined> {
  const server = await serverAddress(document.baseURI);
  if (!server) return { connector: new EngineClient(lakeUrl), demo: await loadDemoSessions(lakeUrl) };
  discardEarlyWorker();
  const connector = new ServerConnector(server, takeToken());
  try {
    const { session } = await connector.whoAmI();
    return { connector, demo: { sessions: { [session.role]: session }, initial: session } };
  } catch (e) {
    forgetToken();
    const message = isEngineError(e) ? e.message : String(e);
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <SignIn
          problem={message}
          onToken={(token) => {
            rememberToken(token);
            location.reload();
          }}
        />
      </StrictMode>,
    );
    return undefined;
  }
}

async function boot(): Promise<void> {
  const lakeUrl = new URL('sample-lake/', document.baseURI).href;
  const [{ storage, storageProblem }, choice, cache] = await Promise.all([
    openStorage(),
    chooseEngine(lakeUrl),
    IdbResultCache.open().catch(() => undefined),
  ]);
  if (!choice) return;
  const { connector, demo } = choice;
  // Only results computed in this tab are kept on this disk: a server's results stay on the server.
  const resultCache = connector instanceof EngineClient && !storageProblem ? cache : undefined;
  const store = createNotebookStore({
    connector,
    storage,
    storageProblem,
    lakeUrl,
    session: demo.initial,
    settingsStorage: localSettingsStorage(),
    firstRunNotebook: () => fetchNotebook(new URL(REVIEW_NOTEBOOK_PATH, lakeUrl).href),
    // A tab with storage of its own (memory) shares nothing with other tabs.
    tabs: storageProblem ? undefined : browserTabChannel(),
    resultCache,
  });
  store.subscribe((s, prev) => s.session !== prev.session && rememberRole(s.session.role));
  addEventListener('pagehide', () => void store.getState().flushSave());
  addEventListener(
    'visibilitychange',
    () => document.visibilityState === 'hidden' && void store.getState().flushSave(),
  );

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ChartRunnerContext.Provider
        value={(sql, cells, options) => store.getState().queryForChart(sql, cells, options)}
      >
        <ViewRoute store={store} sessions={demo.sessions}>
          <App store={store} sessions={demo.sessions} />
        </ViewRoute>
      </ChartRunnerContext.Provider>
    </StrictMode>,
  );
  void store.getState().init(takeShareFragment());
  void store.getState().startEngine();
  // A share link opened in a tab that already shows Lakebook changes only the fragment: no page load.
  addEventListener('hashchange', () => {
    const shared = takeShareFragment();
    if (shared) void store.getState().importShared(shared);
  });
}

/** The notebook in a share link, taken out of the address bar: once opened it is stored in this browser. */
function takeShareFragment(): string | undefined {
  if (!isShareFragment(location.hash)) return undefined;
  const hash = location.hash;
  history.replaceState(null, '', location.pathname + location.search);
  return hash;
}

void boot();
