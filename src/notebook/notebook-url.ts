/**
 * Opens a notebook file the site ships (the sample lake's review): fetched as text and read by the same
 * `restoreNotebook` as an imported file, so a shipped notebook is held to the file format like any other.
 */
import { restoreNotebook } from './model/file-format';
import type { Notebook } from './model/notebook';

/** The review notebook's place in the sample lake, relative to the lake's URL. */
export const REVIEW_NOTEBOOK_PATH = 'notebooks/fast-track-review.lakebook.json';

export async function fetchNotebook(
  url: string,
  fetchText: (url: string) => Promise<Response> = fetch,
): Promise<Notebook> {
  const response = await fetchText(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const restored = restoreNotebook(await response.text());
  if (!restored.ok) throw new Error(`${url}: ${restored.message}`);
  return restored.notebook;
}
