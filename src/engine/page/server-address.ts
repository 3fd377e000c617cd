/**
 * Which engine the page uses, from the site's `lakebook.json` (`{"server": "<address>"}`): the Lakebook
 * server that serves the site writes one; a static site has none, and the page runs DuckDB itself. The
 * user's access token arrives once in the address (`?token=…`, as the server prints it) and is kept in
 * this browser, never left in the address bar or in history.
 */
import { z } from 'zod';

const siteEngineSchema = z.strictObject({ server: z.string().min(1) });

const TOKEN_KEY = 'lakebook.server-token';

/** The server's address (absolute, ending in `/`), or undefined for a static site. */
export async function serverAddress(siteBase: string): Promise<string | undefined> {
  try {
    const response = await fetch(new URL('lakebook.json', siteBase), {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    // A static host answers unknown paths with its index page; that is no configuration.
    if (!text.trimStart().startsWith('{')) return undefined;
    const parsed = siteEngineSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const url = new URL(parsed.data.server, siteBase).href;
    return url.endsWith('/') ? url : `${url}/`;
  } catch {
    return undefined;
  }
}

/** The token from the address (taken out of it) or the one kept from before. */
export function takeToken(): string | undefined {
  const params = new URLSearchParams(location.search);
  const given = params.get('token');
  if (given) {
    params.delete('token');
    const search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? `?${search}` : '') + location.hash);
    rememberToken(given);
    return given;
  }
  try {
    return localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberToken(token: string): void {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Without storage the token lasts while this page is open.
  }
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing was kept.
  }
}
