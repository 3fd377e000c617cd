import { useEffect } from 'react';
import { useNotebook } from '../app-context';
import { wantEditors } from './editor-loading';
import { editorsFirst } from './editors-first';

/** How long the engine stays started and idle before the editors load: a Run all clicked at once goes first. */
const QUIET_MS = 1_000;
/** However busy the engine stays, editors are loaded after this long. */
const AT_THE_LATEST_MS = 10_000;

/**
 * Loads the SQL editors (see editor-loading.ts) once the engine has started and no cell is running, or at
 * once in a notebook with no SQL to run.
 */
export function EditorPreload() {
  const idle = useNotebook(
    (s) =>
      (s.engine.status === 'ready' || s.engine.status === 'failed') &&
      !Object.values(s.runs).some((r) => r.status === 'running' || r.status === 'queued'),
  );
  useEffect(() => {
    if (!idle) return;
    const timer = setTimeout(wantEditors, QUIET_MS);
    return () => clearTimeout(timer);
  }, [idle]);
  const first = useNotebook((s) => editorsFirst(s.notebook.cells));
  useEffect(() => {
    if (first) wantEditors();
  }, [first]);
  useEffect(() => {
    const timer = setTimeout(wantEditors, AT_THE_LATEST_MS);
    return () => clearTimeout(timer);
  }, []);
  return null;
}
