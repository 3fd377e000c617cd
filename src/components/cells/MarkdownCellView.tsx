/**
 * A Markdown cell: rendered (see render-markdown.ts) until edited; Shift+Enter renders again.
 * Its toolbar chooses whether the notebook's read-only view shows it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MarkdownCell } from '../../notebook/model/cells';
import { useApp, useNotebook } from '../app-context';
import { registerEditor } from '../editor/editor-registry';
import { viewRouteHash } from '../view/ViewRoute';
import { CellFrame } from './CellFrame';
import { renderMarkdown } from './render-markdown';
import { useMarkdownValues } from './use-markdown-values';

export function MarkdownCellView({ cell, index }: { cell: MarkdownCell; index: number }) {
  const { store, ui } = useApp();
  const notebookId = useNotebook((s) => s.notebook.id);
  const [editing, setEditing] = useState(cell.text === '');
  const textRef = useRef<HTMLTextAreaElement>(null);
  const filled = useMarkdownValues(cell.text);
  const html = useMemo(() => renderMarkdown(filled), [filled]);
  const label = `Markdown cell ${index + 1}`;

  useEffect(
    () =>
      registerEditor(cell.id, {
        focus: () => {
          setEditing(true);
          requestAnimationFrame(() => textRef.current?.focus());
        },
        insert: (text) => store.getState().updateMarkdown(cell.id, cell.text + text),
      }),
    [cell.id, cell.text, store],
  );

  const finish = () => {
    setEditing(false);
    ui.focusCell(cell.id, 'command');
  };

  return (
    <CellFrame
      cellId={cell.id}
      label={label}
      kind="markdown"
      header={
        <>
          <span className="cell-kind">Markdown</span>
          {!editing && (
            <button type="button" onClick={() => ui.focusCell(cell.id, 'edit')} aria-label={`Edit ${label}`}>
              Edit
            </button>
          )}
          <label>
            <input
              type="checkbox"
              checked={cell.published}
              onChange={(e) => store.getState().publishMarkdown(cell.id, e.target.checked)}
            />
            Publish in read-only view
          </label>
          {cell.published && <a href={viewRouteHash(notebookId)}>Open read-only view</a>}
        </>
      }
    >
      {editing ? (
        <textarea
          ref={textRef}
          className="markdown-source"
          aria-label={`Text of ${label}`}
          value={cell.text}
          rows={Math.max(3, cell.text.split('\n').length + 1)}
          onChange={(e) => store.getState().updateMarkdown(cell.id, e.target.value)}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey)) || e.key === 'Escape') {
              e.preventDefault();
              finish();
            }
          }}
        />
      ) : (
        <div
          className="markdown-body"
          onDoubleClick={() => ui.focusCell(cell.id, 'edit')}
          dangerouslySetInnerHTML={{ __html: html }}
        />
      )}
    </CellFrame>
  );
}
