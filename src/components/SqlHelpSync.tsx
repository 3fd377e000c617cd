/** Keeps the editor's completion and hover in step with the role's catalog and the notebook's cell names. */
import { useEffect } from 'react';
import { useNotebook } from './app-context';
import { setSqlHelpSource } from './editor/sql-language';

export function SqlHelpSync() {
  const info = useNotebook((s) => s.engine.info);
  const cells = useNotebook((s) => s.notebook.cells);
  useEffect(() => {
    setSqlHelpSource({
      tables: info?.view.tables ?? [],
      descriptions: new Map(info?.manifest.tables.map((t) => [t.name, t.description]) ?? []),
      cellNames: cells.flatMap((c) => (c.kind === 'sql' ? [c.name] : [])),
    });
  }, [info, cells]);
  return null;
}
