/**
 * Reads `site.json` beside the lake when the site build wrote one. Absent (a site with every tier), the
 * answer is undefined; a host that answers with its index page instead of a 404 counts as absent too.
 */
import { parseSite, type SiteConfig } from '../../gov/site';

export async function loadSiteConfig(lakeUrl: string): Promise<SiteConfig | undefined> {
  let text: string;
  try {
    const response = await fetch(new URL('site.json', lakeUrl), { headers: { Accept: 'application/json' } });
    if (!response.ok) return undefined;
    text = await response.text();
  } catch {
    return undefined;
  }
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return parseSite(JSON.parse(text));
  } catch {
    return parseSite(undefined);
  }
}
