/** Shows the read-only view when the address is `#/view/<notebook id>`, else the notebook page. */
import { useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { Session } from '../../gov/types';
import type { NotebookStore } from '../../notebook/store-types';
import { AppContext } from '../app-context';
import { createBrowserUi } from '../browser-ui';
import { PolicyGate } from '../governance/PolicyStop';
import { Notice } from '../Notice';
import { PublishedView } from './PublishedView';

const VIEW_ROUTE = /^#\/view\/([A-Za-z0-9_-]{1,64})$/;

/** The notebook id of a view address, if it is one. */
export function viewRouteId(hash: string): string | undefined {
  return VIEW_ROUTE.exec(hash)?.[1];
}

export function viewRouteHash(notebookId: string): string {
  return `#/view/${notebookId}`;
}

function subscribe(onChange: () => void): () => void {
  addEventListener('hashchange', onChange);
  return () => removeEventListener('hashchange', onChange);
}

/**
 * The view shares the notebook page's store (same engine, same role, same saved notebooks) but none of its
 * editing: it gets its own context with a command UI that has no palette.
 */
export function ViewRoute({
  store,
  sessions,
  children,
}: {
  store: NotebookStore;
  sessions: Readonly<Record<string, Session>>;
  children: ReactNode;
}) {
  const id = useSyncExternalStore(subscribe, () => viewRouteId(location.hash));
  const ctx = useMemo(() => ({ store, ui: createBrowserUi(store, () => undefined) }), [store]);
  if (!id) return children;
  return (
    <AppContext.Provider value={ctx}>
      <PolicyGate>
        <PublishedView notebookId={id} sessions={sessions} />
      </PolicyGate>
      <Notice />
    </AppContext.Provider>
  );
}
