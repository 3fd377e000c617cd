/**
 * Tabs of one browser tell each other when they saved a notebook, so a tab showing that notebook follows
 * at once instead of finding out at its next save. Notices come from other pages, so they are validated
 * like any other input. Without BroadcastChannel there are no notices, and saves still never overwrite
 * another tab's work (store-conflict.ts).
 */
import { z } from 'zod';

export interface SavedNotice {
  id: string;
  revision: number;
}

export interface TabChannel {
  announce(notice: SavedNotice): void;
  /** Calls `onNotice` for every notice another tab sends; returns the function that stops listening. */
  listen(onNotice: (notice: SavedNotice) => void): () => void;
  close(): void;
}

const savedNoticeSchema = z.object({ id: z.string().min(1), revision: z.number().int().positive() });

export const TAB_CHANNEL_NAME = 'lakebook-notebooks';

export function browserTabChannel(name = TAB_CHANNEL_NAME): TabChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(name);
  return {
    announce: (notice) => channel.postMessage(notice),
    listen(onNotice) {
      const handler = (e: MessageEvent) => {
        const notice = savedNoticeSchema.safeParse(e.data);
        if (notice.success) onNotice(notice.data);
      };
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    close: () => channel.close(),
  };
}
