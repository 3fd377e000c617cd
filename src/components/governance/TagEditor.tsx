/**
 * Changes the tags of a table or a column, from the catalog panel. Shown only to roles with the changeTags
 * permission; the engine checks the permission again, records the change in the audit log and serves
 * the new tags from the next query.
 */
import { useState } from 'react';
import { useApp } from '../app-context';

export interface TagEditorProps {
  table: string;
  column?: string;
  tags: readonly string[];
}

export function TagEditor({ table, column, tags }: TagEditorProps) {
  const { store } = useApp();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const name = column ? `${table}.${column}` : table;

  if (!editing) {
    return (
      <button
        type="button"
        className="icon tag-edit"
        aria-label={`Edit tags of ${name}`}
        title="Edit tags"
        onClick={() => {
          setText(tags.join(', '));
          setEditing(true);
        }}
      >
        ✎
      </button>
    );
  }

  const save = async () => {
    const next = text
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    setSaving(true);
    const ok = await store.getState().changeTags({ table, column, tags: next });
    setSaving(false);
    if (ok) setEditing(false);
  };

  return (
    <form
      className="tag-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label={`Tags of ${name}`}
        placeholder={column ? 'PHI, date (empty: the table’s tags)' : 'PHI, mimic'}
        autoFocus
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
      />
      <button type="submit" disabled={saving} aria-label={`Save tags of ${name}`}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      <button type="button" onClick={() => setEditing(false)} aria-label={`Cancel editing tags of ${name}`}>
        Cancel
      </button>
    </form>
  );
}
