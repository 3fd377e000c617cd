/**
 * The lake's catalog as the current role sees it: zones → tables → columns, with types, tags, masks,
 * descriptions, row counts and freshness. Tables and columns the role may not see are not listed at all.
 * Clicking a name inserts it at the cursor of the SQL cell being edited.
 */
import { useMemo, useState } from 'react';
import { tableFreshness, type Freshness } from '../../lake/freshness';
import { ZONES, type TableEntry } from '../../lake/manifest';
import type { TableAccess } from '../../gov/types';
import { useApp, useNotebook } from '../app-context';
import { editorOf } from '../editor/editor-registry';
import { TagBadges } from '../TagBadges';
import { TagEditor } from '../governance/TagEditor';

interface Entry {
  access: TableAccess;
  meta: TableEntry | undefined;
  fresh: Freshness | undefined;
}

function TableItem({ entry, insert, canTag }: { entry: Entry; insert(text: string): void; canTag: boolean }) {
  const [open, setOpen] = useState(false);
  const { access, meta, fresh } = entry;
  const listId = `columns-${access.table}`;
  return (
    <li className="catalog-table">
      <div className="catalog-row">
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen(!open)}
          aria-label={`Columns of ${access.table}`}
        >
          {open ? '▾' : '▸'}
        </button>
        <button
          type="button"
          className="insert-name"
          onClick={() => insert(access.table)}
          aria-label={`Insert ${access.table}`}
          title="Insert at the cursor"
        >
          {access.table}
        </button>
        <TagBadges tags={access.tags} />
        {canTag && <TagEditor table={access.table} tags={access.tags} />}
      </div>
      <div className="catalog-meta">
        {meta && <span>{meta.rowCount.toLocaleString('en-US')} rows</span>}
        {fresh && (
          <span>
            {meta?.zone === 'metrics' ? 'as of' : 'updated'} {fresh.asOf.slice(0, 10)}
          </span>
        )}
        {fresh?.status === 'stale' && (
          <span
            className="stale"
            title={`Computed before ${fresh.newerSources.map((s) => s.name).join(', ')} changed`}
          >
            stale
          </span>
        )}
        {access.aggregateOnly && <span>aggregates only</span>}
      </div>
      {meta?.description && <p className="catalog-description">{meta.description}</p>}
      {open && (
        <ul id={listId} className="catalog-columns">
          {access.columns.map((c) => (
            <li key={c.name}>
              <button
                type="button"
                className="insert-name"
                onClick={() => insert(c.name)}
                aria-label={`Insert column ${access.table}.${c.name}`}
              >
                {c.name}
              </button>
              <span className="col-type">{c.type}</span>
              <TagBadges tags={c.tags} />
              {canTag && (
                <TagEditor
                  table={access.table}
                  column={c.name}
                  tags={meta?.columns.find((m) => m.name === c.name)?.tags ?? []}
                />
              )}
              {c.mask && <span className="mask">masked: {c.mask}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function CatalogPanel() {
  const { store } = useApp();
  const info = useNotebook((s) => s.engine.info);
  const [filter, setFilter] = useState('');

  const zones = useMemo(() => {
    if (!info) return [];
    const meta = new Map(info.manifest.tables.map((t) => [t.name, t]));
    const wanted = filter.trim().toLowerCase();
    const entries = info.view.tables
      .filter(
        (t) =>
          !wanted || t.table.includes(wanted) || t.columns.some((c) => c.name.toLowerCase().includes(wanted)),
      )
      .map((access) => {
        const m = meta.get(access.table);
        return { access, meta: m, fresh: m && tableFreshness(info.manifest, m) };
      });
    const order = [...ZONES, 'other'];
    const byZone = new Map<string, Entry[]>();
    for (const e of entries) {
      const zone = e.meta?.zone ?? 'other';
      byZone.set(zone, [...(byZone.get(zone) ?? []), e]);
    }
    return order.flatMap((z) => (byZone.has(z) ? [{ zone: z, entries: byZone.get(z)! }] : []));
  }, [info, filter]);

  const insert = (text: string) => {
    const state = store.getState();
    const id = state.activeCellId;
    const cell = state.notebook.cells.find((c) => c.id === id);
    const editor = id ? editorOf(id) : undefined;
    if (cell?.kind === 'sql' && editor) editor.insert(text);
    else state.notify('info', 'Select a SQL cell first; the name goes where its cursor is.');
  };

  return (
    <nav className="catalog" aria-label="Lake catalog">
      <h2>Catalog</h2>
      <input
        type="search"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label="Filter tables and columns"
        placeholder="Filter tables and columns"
      />
      {!info && <p className="muted">The catalog appears when the engine is ready.</p>}
      {info && zones.length === 0 && (
        <p className="muted">No table matches, or your role may see no table.</p>
      )}
      {zones.map(({ zone, entries }) => (
        <section key={zone} aria-label={`Zone ${zone}`}>
          <h3>{zone}</h3>
          <ul className="catalog-tables">
            {entries.map((e) => (
              <TableItem
                key={e.access.table}
                entry={e}
                insert={insert}
                canTag={info?.view.can.changeTags ?? false}
              />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
