import { useSyncExternalStore } from 'react';

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** Follows the system's light or dark preference. */
export function useDarkMode(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
