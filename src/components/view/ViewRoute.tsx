/** Shows the read-only view when the address is `#/view/<notebook id>`, else the notebook page. */
import { useSyncExternalStore, type ReactNode } from 'react';
import type { Session } from '../../gov/types';
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

export function ViewRoute({
  sessions,
  children,
}: {
  sessions: Readonly<Record<string, Session>>;
  children: ReactNode;
}) {
  const id = useSyncExternalStore(subscribe, () => viewRouteId(location.hash));
  return id ? <PublishedView notebookId={id} sessions={sessions} /> : children;
}
