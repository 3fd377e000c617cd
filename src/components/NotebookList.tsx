/** The notebooks kept in this browser; the open one is marked. */
import { useApp, useNotebook } from './app-context';

export function NotebookList() {
  const { store } = useApp();
  const notebooks = useNotebook((s) => s.notebooks);
  const currentId = useNotebook((s) => s.notebook.id);
  return (
    <nav className="notebook-list" aria-label="Notebooks">
      <h2>Notebooks</h2>
      <ul>
        {notebooks.map((n) => (
          <li key={n.id} className={n.id === currentId ? 'current' : undefined}>
            <button
              type="button"
              aria-current={n.id === currentId ? 'page' : undefined}
              onClick={() => void store.getState().openNotebook(n.id)}
            >
              {n.title}
            </button>
            <button
              type="button"
              className="icon"
              aria-label={`Delete notebook ${n.title}`}
              onClick={() => {
                if (window.confirm(`Delete the notebook "${n.title}" from this browser?`))
                  void store.getState().deleteNotebook(n.id);
              }}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void store.getState().newNotebook()}>
        + New notebook
      </button>
    </nav>
  );
}
