/**
 * For end-to-end tests only: a page opened with `?testHooks` gets `window.__lakebook.editor.markers()`, the
 * error markers Monaco holds for each SQL cell, so a test can check a marker's line and column exactly.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';

export interface MarkerView {
  /** The cell's model, `cell-<id>.sql`. */
  model: string;
  message: string;
  line: number;
  column: number;
  endColumn: number;
}

interface TestHooks {
  __lakebook?: Record<string, unknown>;
}

export function exposeEditorTestHooks(monaco: typeof Monaco): void {
  if (!new URLSearchParams(location.search).has('testHooks')) return;
  const g = globalThis as typeof globalThis & TestHooks;
  const markers = (): MarkerView[] =>
    monaco.editor.getModelMarkers({ owner: 'lakebook' }).map((m) => ({
      model: m.resource.path.replace(/^\//, ''),
      message: m.message,
      line: m.startLineNumber,
      column: m.startColumn,
      endColumn: m.endColumn,
    }));
  g.__lakebook = { ...g.__lakebook, editor: { markers } };
}
