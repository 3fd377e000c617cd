/** The top bar: notebook title, toolbar, who is signed in as which role, engine and save status. */
import type { Session } from '../gov/types';
import { runCommand } from '../notebook/commands';
import { useApp, useNotebook } from './app-context';
import { SettingsButton } from './settings/QueryLimitsDialog';

function threadCount(threads: number): string {
  return threads === 1 ? '1 thread' : `${threads} threads`;
}

function EngineStatus() {
  const engine = useNotebook((s) => s.engine);
  if (engine.status === 'ready')
    return (
      <span className="engine ready">
        Engine ready
        {engine.info
          ? ` · DuckDB ${engine.info.version}${engine.info.runsIn === 'server' ? ' on the server' : ''} · ${threadCount(engine.info.threads)}`
          : ''}
      </span>
    );
  if (engine.status === 'failed')
    return (
      <span className="engine failed" role="alert">
        Engine failed: {engine.error?.message}
      </span>
    );
  const p = engine.progress;
  const label = engine.status === 'switching' ? 'Loading your role’s data' : 'Starting the engine';
  return (
    <span className="engine starting">
      <span>{p ? p.message : label}…</span>
      <progress aria-label={label} max={p?.total || 1} value={p ? p.done : undefined} />
    </span>
  );
}

function SaveStatus() {
  const save = useNotebook((s) => s.save);
  if (save.status === 'failed')
    return (
      <span className="save failed" role="alert">
        {save.message}
      </span>
    );
  return (
    <span className="save" role="status" aria-label="Save status">
      {save.status === 'pending' ? 'Saving…' : 'Saved'}
    </span>
  );
}

export interface HeaderProps {
  /** The sessions the page offers: the demo's users, one per role, or the one a signing-in host gave. */
  sessions: Readonly<Record<string, Session>>;
  onToggleSidebar(): void;
}

export function Header({ sessions, onToggleSidebar }: HeaderProps) {
  const ctx = useApp();
  const title = useNotebook((s) => s.notebook.title);
  const session = useNotebook((s) => s.session);
  const runMode = useNotebook((s) => s.notebook.settings.runMode);
  const run = (id: string) => void runCommand(id, ctx);
  return (
    <header className="app-header">
      <div className="header-row">
        <button
          type="button"
          className="icon sidebar-toggle"
          onClick={onToggleSidebar}
          aria-label="Show or hide the side panel"
        >
          ☰
        </button>
        <span className="brand">Lakebook</span>
        <input
          className="title"
          key={title}
          defaultValue={title}
          aria-label="Notebook title"
          onBlur={(e) => e.target.value !== title && ctx.store.getState().setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        />
        <span className="spacer" />
        {Object.keys(sessions).length > 1 ? (
          <label className="role">
            <span>{session.user} as</span>
            <select
              aria-label="Role"
              value={session.role}
              onChange={(e) => void ctx.store.getState().switchSession(sessions[e.target.value]!)}
            >
              {Object.keys(sessions).map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        ) : (
          <span className="role" role="status" aria-label="Signed in">
            {session.user} as {session.role}
          </span>
        )}
      </div>
      <div className="header-row toolbar" role="toolbar" aria-label="Notebook actions">
        <button type="button" onClick={() => run('run.all')}>
          Run all
        </button>
        <button type="button" onClick={() => run('run.cancelAll')}>
          Stop
        </button>
        <button
          type="button"
          onClick={() => run('run.toggleMode')}
          aria-pressed={runMode === 'auto'}
          title="When a cell changes, re-run the cells that read it"
        >
          Auto re-run
        </button>
        <button type="button" onClick={() => run('notebook.import')}>
          Import
        </button>
        <button type="button" onClick={() => run('notebook.export')}>
          Export
        </button>
        <button type="button" onClick={() => run('notebook.exportIpynb')}>
          Export .ipynb
        </button>
        <button type="button" onClick={() => run('notebook.share')}>
          Share link
        </button>
        <button type="button" onClick={() => run('view.palette')} title="Ctrl/Cmd+K">
          Commands
        </button>
        <SettingsButton />
        <span className="spacer" />
        <SaveStatus />
        <EngineStatus />
      </div>
    </header>
  );
}
