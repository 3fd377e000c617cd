/** Tabs in one test: each channel hears what the others announce, a task later, as BroadcastChannel does. */
import type { SavedNotice, TabChannel } from '../tab-channel';

export function memoryTabs(): () => TabChannel {
  const listeners = new Set<{ from: object; fn: (n: SavedNotice) => void }>();
  return () => {
    const self = {};
    return {
      announce(notice) {
        for (const l of listeners) if (l.from !== self) setTimeout(() => l.fn(structuredClone(notice)), 0);
      },
      listen(fn) {
        const entry = { from: self, fn };
        listeners.add(entry);
        return () => listeners.delete(entry);
      },
      close() {
        for (const l of listeners) if (l.from === self) listeners.delete(l);
      },
    };
  };
}
