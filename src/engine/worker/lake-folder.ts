/**
 * Which lake folder a session reads and what it holds: a site built with role folders names them in
 * `site.json` at the lake's root (a session reads only its own), a lake served raw is read whole. A catalog or
 * policy that cannot be fetched or read stops the engine with a message that says what to fix.
 */
import { PolicyError, parsePolicy, type Policy } from '../../gov/policy-schema';
import { folderFor, parseSite, type SiteConfig } from '../../gov/site';
import type { Session } from '../../gov/types';
import { ManifestError, parseManifest, type Manifest } from '../../lake/manifest';
import { fail, toEngineError } from '../errors';

export type FetchJson = (url: string) => Promise<unknown>;

/** The site's role folders, from `site.json` at the lake's root; undefined for a lake served raw. */
export async function siteOf(fetchJson: FetchJson, root: string): Promise<SiteConfig | undefined> {
  const json = await fetchJson(`${root}site.json`).catch(() => undefined);
  if (json === undefined) return undefined;
  const site = parseSite(json);
  return site.folders ? site : undefined;
}

export function folderUrl(root: string, site: SiteConfig | undefined, session: Session): string {
  if (!site) return root;
  const folder = folderFor(site, session);
  if (!folder) {
    fail(
      'POLICY',
      `This site has no lake folder prepared for ${session.user} as ${session.role}, so nothing can be shown.`,
      'A role whose rows depend on the user (such as a Clinician and their wards) needs a folder built for that user: add the user to the users file and rebuild the site, or use the Lakebook server.',
    );
  }
  return root + folder.folder;
}

export function readCatalog(fetchJson: FetchJson, folder: string): Promise<Manifest> {
  return lakeJson(fetchJson, `${folder}catalog.json`).then(readManifest);
}

export function readFolderPolicy(fetchJson: FetchJson, folder: string): Promise<Policy> {
  return lakeJson(fetchJson, `${folder}policy.json`).then(readPolicy, unreadablePolicy);
}

async function lakeJson(fetchJson: FetchJson, url: string): Promise<unknown> {
  try {
    return await fetchJson(url);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    fail(
      'LOAD',
      `Could not read ${url}: ${reason}`,
      'Check that the lake folder is published next to the app.',
    );
  }
}

function readManifest(json: unknown): Manifest {
  try {
    return parseManifest(json);
  } catch (e) {
    if (e instanceof ManifestError) fail('LOAD', e.message, 'Rebuild the lake catalog (catalog.json).');
    throw e;
  }
}

export const POLICY_HINT = 'Fix policy.json in the lake; nothing is shown until then.';

function readPolicy(json: unknown): Policy {
  try {
    return parsePolicy(json);
  } catch (e) {
    if (e instanceof PolicyError) fail('POLICY', e.message, POLICY_HINT);
    throw e;
  }
}

/** A policy that cannot be fetched or parsed stops the app like an invalid one: nothing is shown. */
function unreadablePolicy(e: unknown): never {
  const reason = toEngineError(e).message;
  fail('POLICY', `The access policy could not be read, so nothing can be shown:\n${reason}`, POLICY_HINT);
}
