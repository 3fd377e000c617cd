/**
 * The read-only view of a notebook (`#/view/<notebook id>`): its published charts and Markdown cells, in
 * notebook order, with no SQL and no editing. Each chart runs under the current role, in an engine that holds
 * only what the role may see, and says how current its data is.
 */
import { useEffect, useMemo, useState } from 'react';
import { chartFreshness, publishedItems } from '../../charts/publish';
import { chartSources } from '../../charts/sources';
import { formatTime } from '../../charts/format';
import { resultScope } from '../../gov/result-scope';
import type { Session } from '../../gov/types';
import type { Manifest } from '../../lake/manifest';
import { useApp, useNotebook } from '../app-context';
import { placeholderCells } from '../../notebook/markdown-values';
import { renderMarkdown } from '../cells/render-markdown';
import { useMarkdownValues } from '../cells/use-markdown-values';
import { ChartPanel } from '../charts/ChartPanel';
import type { ChartRunState } from '../charts/use-chart-run';
import { TrustPrompt, UNTRUSTED_CHART } from '../TrustPrompt';
import './view.css';

const date = (iso: string) => formatTime(Date.parse(iso), 'date');

function Freshness({
  state,
  manifest,
  session,
}: {
  state: ChartRunState;
  manifest?: Manifest;
  session: Session;
}) {
  if (state.status !== 'done' || !state.result) return null;
  const role = session.role;
  const scope = resultScope(state.result.rules, session);
  const { asOf, sources } = chartFreshness(manifest ?? { tables: [] }, state.result.objects);
  const stale = sources.filter((s) => s.status === 'stale');
  return (
    <span className="view-freshness">
      <span>Data as of {asOf ? date(asOf) : 'unknown'}</span>
      {sources.length > 0 && (
        <span>
          {' · '}Sources: {sources.map((s) => `${s.table} (${date(s.asOf)})`).join(', ')}
        </span>
      )}
      {stale.length > 0 && (
        <strong className="view-stale">
          {' · '}Out of date: {stale.map((s) => s.table).join(', ')} changed after their last snapshot
        </strong>
      )}
      {scope.filtered && <strong className="view-scope">{scope.filtered}</strong>}
      {scope.suppressed && <span>{scope.suppressed}</span>}
      <span>
        {' · '}Shown for the {role} role
        {state.ranAt ? `, drawn ${new Date(state.ranAt).toLocaleString()}` : ''}
      </span>
    </span>
  );
}

/** Published Markdown with its values filled in (the cells they come from run when the view opens). */
function PublishedMarkdown({ text }: { text: string }) {
  const filled = useMarkdownValues(text);
  const html = useMemo(() => renderMarkdown(filled), [filled]);
  return <div className="markdown-body" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function PublishedView({
  notebookId,
  sessions,
}: {
  notebookId: string;
  sessions: Readonly<Record<string, Session>>;
}) {
  const { store } = useApp();
  const loaded = useNotebook((s) => s.loaded);
  const notebook = useNotebook((s) => s.notebook);
  const session = useNotebook((s) => s.session);
  const engine = useNotebook((s) => s.engine);
  const trusted = useNotebook((s) => s.trusted);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!loaded || store.getState().notebook.id === notebookId) return;
    let live = true;
    void store
      .getState()
      .openNotebook(notebookId)
      .then(() => live && setMissing(store.getState().notebook.id !== notebookId));
    return () => {
      live = false;
    };
  }, [loaded, notebookId, store]);

  const items = useMemo(() => publishedItems(notebook.cells), [notebook.cells]);
  const ready = engine.status === 'ready';
  const open = loaded && notebook.id === notebookId;

  // The cells that published text reads values from run once the reader may run them, under their role.
  useEffect(() => {
    if (!open || !ready || !trusted) return;
    const names = new Set(
      items
        .flatMap((i) => (i.kind === 'markdown' ? placeholderCells(i.cell.text) : []))
        .map((n) => n.toLowerCase()),
    );
    const { notebook: nb, runs } = store.getState();
    for (const c of nb.cells)
      if (c.kind === 'sql' && names.has(c.name.toLowerCase()) && (runs[c.id]?.status ?? 'idle') === 'idle')
        void store.getState().runCell(c.id);
  }, [open, ready, trusted, items, session, store]);
  const refresh = useMemo(() => ({ session }), [session]);

  return (
    <div className="published-view">
      <header className="view-header">
        <h1>{open ? notebook.title : 'Lakebook'}</h1>
        <span className="spacer" />
        <label className="role">
          <span>{session.user} as</span>
          <select
            aria-label="Role"
            value={session.role}
            onChange={(e) => void store.getState().switchSession(sessions[e.target.value]!)}
          >
            {Object.keys(sessions).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <a href="#">Open the notebook</a>
      </header>
      <main className="view-body" aria-label="Published charts">
        {open && <TrustPrompt />}
        {!open && <p>{missing ? 'This notebook is not saved in this browser.' : 'Opening…'}</p>}
        {open && items.length === 0 && (
          <p>
            Nothing is published from this notebook yet. In a chart cell or a Markdown cell, tick “Publish in
            read-only view”.
          </p>
        )}
        {open &&
          items.map((item) =>
            item.kind === 'markdown' ? (
              <PublishedMarkdown key={item.cell.id} text={item.cell.text} />
            ) : (
              <ChartPanel
                key={item.cell.id}
                config={item.config}
                sources={chartSources(notebook.cells, item.config.source)}
                refresh={refresh}
                reader={session}
                waiting={
                  !trusted
                    ? UNTRUSTED_CHART
                    : engine.status === 'ready'
                      ? undefined
                      : 'Loading the data your role may see…'
                }
                footer={(state) => (
                  <Freshness state={state} manifest={engine.info?.manifest} session={session} />
                )}
              />
            ),
          )}
      </main>
    </div>
  );
}
