import { lazy } from 'react';

/**
 * Monaco is 3 MB of script, and evaluating it takes the page's main thread for more than half a second.
 * On a first visit that competes, on a two-core machine, with DuckDB's compilation and the notebook's first
 * answers, so SQL cells show their text until the editors are wanted: once the engine is idle after its
 * first runs (EditorPreload), or at once when someone goes to edit a cell.
 */
let release: () => void = () => undefined;
const wanted = new Promise<void>((resolve) => {
  release = resolve;
});

export function wantEditors(): void {
  release();
}

export const SqlEditor = lazy(() => wanted.then(() => import('./SqlEditor')));
