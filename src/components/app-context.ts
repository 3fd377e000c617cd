/** The store and the command context, shared with every component. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { CommandContext } from '../notebook/commands';
import type { NotebookStore } from '../notebook/store-types';
import type { NotebookState } from '../notebook/store-types';

export const AppContext = createContext<CommandContext | null>(null);

export function useApp(): CommandContext {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext>');
  return ctx;
}

export function useNotebook<T>(selector: (s: NotebookState) => T): T {
  const { store } = useApp();
  return useStore(store as NotebookStore, selector);
}
