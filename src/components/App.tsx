/** The notebook page: header, side panel (notebooks, catalog), the cells, the palette and messages. */
import { useEffect, useMemo, useState } from 'react';
import type { Session } from '../gov/types';
import type { NotebookStore } from '../notebook/store-types';
import { runCommand } from '../notebook/commands';
import { AppContext, useNotebook } from './app-context';
import { createBrowserUi } from './browser-ui';
import { CatalogPanel } from './catalog/CatalogPanel';
import { CommandPalette } from './CommandPalette';
import { EditorPreload } from './editor/EditorPreload';
import { GovernancePanel } from './governance/GovernancePanel';
import { PolicyGate } from './governance/PolicyStop';
import { Header } from './Header';
import { IngestPanel } from './ingest/IngestPanel';
import { Notice } from './Notice';
import { ConflictDialog } from './settings/ConflictDialog';
import { NotebookList } from './NotebookList';
import { NotebookView } from './NotebookView';
import { SqlHelpSync } from './SqlHelpSync';

function Page({ sessions }: { sessions: Readonly<Record<string, Session>> }) {
  const loaded = useNotebook((s) => s.loaded);
  const [sidebar, setSidebar] = useState(() => window.matchMedia('(min-width: 900px)').matches);
  return (
    <div className={`app ${sidebar ? 'with-sidebar' : ''}`}>
      <Header sessions={sessions} onToggleSidebar={() => setSidebar(!sidebar)} />
      <div className="app-body">
        {sidebar && (
          <aside className="sidebar" aria-label="Side panel">
            <GovernancePanel />
            <NotebookList />
            <CatalogPanel />
            <IngestPanel />
          </aside>
        )}
        {loaded ? <NotebookView /> : <p className="loading">Opening your notebook…</p>}
      </div>
      <Notice />
      <ConflictDialog />
    </div>
  );
}

export function App({
  store,
  sessions,
}: {
  store: NotebookStore;
  sessions: Readonly<Record<string, Session>>;
}) {
  const [palette, setPalette] = useState(false);
  const ctx = useMemo(() => ({ store, ui: createBrowserUi(store, () => setPalette(true)) }), [store]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        void runCommand('view.palette', ctx);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [ctx]);

  return (
    <AppContext.Provider value={ctx}>
      <SqlHelpSync />
      <EditorPreload />
      <PolicyGate>
        <Page sessions={sessions} />
      </PolicyGate>
      {palette && <CommandPalette onClose={() => setPalette(false)} />}
    </AppContext.Provider>
  );
}
