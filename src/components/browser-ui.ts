/** The page side of commands: focus, downloads, file picking and the clipboard. */
import type { CommandUi } from '../notebook/commands';
import type { NotebookStore } from '../notebook/store-types';
import { editorOf } from './editor/editor-registry';

export function cellElementId(cellId: string): string {
  return `cell-${cellId}`;
}

/** Focus waits for the next frames because a new cell may not be on screen yet. */
function whenRendered(find: () => boolean, tries = 20): void {
  if (find() || tries === 0) return;
  requestAnimationFrame(() => whenRendered(find, tries - 1));
}

export function createBrowserUi(store: NotebookStore, openPalette: () => void): CommandUi {
  return {
    focusCell(id, mode) {
      store.getState().setActiveCell(id);
      whenRendered(() => {
        const element = document.getElementById(cellElementId(id));
        if (!element) return false;
        element.scrollIntoView({ block: 'nearest' });
        const editor = mode === 'edit' ? editorOf(id) : undefined;
        if (editor) editor.focus();
        else element.focus();
        return mode === 'command' || !!editor;
      });
    },
    openPalette,
    download(fileName, parts, type) {
      const url = URL.createObjectURL(new Blob(parts, { type }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    pickFileText(accept) {
      return new Promise((resolve) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.accept = accept;
        input.addEventListener('change', () => {
          const file = input.files?.[0];
          if (!file) return resolve(undefined);
          file.text().then(resolve, () => resolve(undefined));
        });
        input.addEventListener('cancel', () => resolve(undefined));
        input.click();
      });
    },
    async copyText(text) {
      await navigator.clipboard.writeText(text);
    },
    pageUrl: () => location.href,
  };
}
