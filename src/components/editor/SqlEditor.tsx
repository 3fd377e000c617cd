/**
 * A SQL cell's editor (Monaco). Loaded lazily: this module pulls Monaco in, so the first page paint does
 * not wait for it. Keys: Ctrl/Cmd+Enter runs, Shift+Enter runs and moves on, Esc leaves for command mode.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { monaco } from './monaco-setup';
import { registerEditor } from './editor-registry';
import type { CellError } from '../../notebook/store-types';
import { useDarkMode } from '../use-dark-mode';

export interface SqlEditorProps {
  cellId: string;
  name: string;
  value: string;
  error: CellError | undefined;
  onChange(value: string): void;
  onRun(): void;
  onRunAndAdvance(): void;
  onEscape(): void;
  onFocus(): void;
}

const MIN_HEIGHT = 57;
const MAX_HEIGHT = 480;

function SqlEditor(props: SqlEditorProps) {
  const { cellId, name, value, error } = props;
  const dark = useDarkMode();
  const [height, setHeight] = useState(MIN_HEIGHT);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const handlers = useRef(props);
  useEffect(() => {
    handlers.current = props;
  });

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const markers: Monaco.editor.IMarkerData[] = [];
    if (error?.line !== undefined && error.line <= model.getLineCount()) {
      const column = Math.max(1, error.column ?? 1);
      const word = model.getWordAtPosition({ lineNumber: error.line, column });
      markers.push({
        severity: monaco.MarkerSeverity.Error,
        message: error.message,
        startLineNumber: error.line,
        startColumn: word?.startColumn ?? column,
        endLineNumber: error.line,
        endColumn: word?.endColumn ?? column + 1,
      });
    }
    monaco.editor.setModelMarkers(model, 'lakebook', markers);
  }, [error, value]);

  // Kept between renders: the editor component applies a new options object to Monaco on every render.
  const options = useMemo<Monaco.editor.IStandaloneEditorConstructionOptions>(
    () => ({
      ariaLabel: `SQL of cell ${name}`,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbersMinChars: 3,
      fontSize: 13,
      automaticLayout: true,
      wordWrap: 'on',
      tabSize: 2,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      scrollbar: { alwaysConsumeMouseWheel: false },
      fixedOverflowWidgets: true,
    }),
    [name],
  );
  const onChange = useMemo(() => (v: string | undefined) => handlers.current.onChange(v ?? ''), []);

  const onMount = (editor: Monaco.editor.IStandaloneCodeEditor) => {
    editorRef.current = editor;
    const resize = () => setHeight(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, editor.getContentHeight())));
    editor.onDidContentSizeChange(resize);
    resize();
    editor.onDidFocusEditorText(() => handlers.current.onFocus());
    const { KeyMod, KeyCode } = monaco;
    editor.addAction({
      id: 'lakebook.runCell',
      label: 'Run cell',
      keybindings: [KeyMod.CtrlCmd | KeyCode.Enter],
      run: () => handlers.current.onRun(),
    });
    editor.addAction({
      id: 'lakebook.runAndAdvance',
      label: 'Run cell and select below',
      keybindings: [KeyMod.Shift | KeyCode.Enter],
      run: () => handlers.current.onRunAndAdvance(),
    });
    editor.addAction({
      id: 'lakebook.commandMode',
      label: 'Leave the editor (command mode)',
      keybindings: [KeyCode.Escape],
      precondition: '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible',
      run: () => handlers.current.onEscape(),
    });
    const unregister = registerEditor(cellId, {
      focus: () => editor.focus(),
      insert: (text) => {
        const selection = editor.getSelection();
        if (!selection) return;
        editor.executeEdits('catalog', [{ range: selection, text, forceMoveMarkers: true }]);
        editor.focus();
      },
    });
    editor.onDidDispose(unregister);
  };

  return (
    <div className="sql-editor" style={{ height }}>
      <Editor
        path={`cell-${cellId}.sql`}
        language="sql"
        value={value}
        theme={dark ? 'vs-dark' : 'vs'}
        onChange={onChange}
        onMount={onMount}
        loading={<pre className="sql-fallback">{value}</pre>}
        options={options}
      />
    </div>
  );
}

/** Re-rendered only when what it shows changes: a cell's run status changes often while its text does not. */
export default memo(SqlEditor);
