/**
 * The editors on screen, by cell id, so the catalog panel can insert a name at the cursor of the cell being
 * edited and commands can move focus into a cell.
 */
export interface CellEditorHandle {
  focus(): void;
  /** Inserts text at the cursor (replacing the selection). */
  insert(text: string): void;
}

const editors = new Map<string, CellEditorHandle>();

export function registerEditor(cellId: string, handle: CellEditorHandle): () => void {
  editors.set(cellId, handle);
  return () => {
    if (editors.get(cellId) === handle) editors.delete(cellId);
  };
}

export function editorOf(cellId: string): CellEditorHandle | undefined {
  return editors.get(cellId);
}
