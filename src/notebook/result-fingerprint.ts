/**
 * What a kept result depends on, reduced to strings a cache can compare: who asked (the session), what the
 * lake was (its catalog and the role's view of it), and the SQL of the cell and of every cell it reads. A
 * kept result is shown again only while all of these are unchanged.
 */
import type { EngineInfo } from '../contract/connector';
import type { CellSource } from '../contract/results';
import type { Session } from '../gov/types';
import { withoutFormatLines } from '../charts/column-formats';

/**
 * The session exactly, not hashed: results are kept apart per user, role and attribute set, and a kept
 * result is only ever read back under the same one.
 */
export function sessionKey(session: Session): string {
  const attributes = Object.keys(session.attributes)
    .sort()
    .map((k) => [k, session.attributes[k]]);
  return JSON.stringify([session.user, session.role, attributes]);
}

/**
 * The lake as the engine serves it to this session: the catalog (its files' checksums, the build's time,
 * this browser's own dropped tables) and the role's view (its masks and filters). A rebuilt lake, a policy
 * change or a dropped file gives another version.
 */
export function lakeVersion(info: EngineInfo): string {
  return digest(JSON.stringify([info.manifest, info.view.tables]));
}

export interface FingerprintInput {
  sql: string;
  /** The cells it reads, in the order the engine defines them (see `sourcesOf`). */
  sources: readonly CellSource[];
  session: Session;
  lake: string;
}

/** Format lines (`-- format:`) are left out: they change how a result is shown, not the result. */
export function resultFingerprint(input: FingerprintInput): string {
  const sources = input.sources.map((s) => [s.name, withoutFormatLines(s.sql)]);
  const sql = withoutFormatLines(input.sql);
  return digest(JSON.stringify([sql, sources, sessionKey(input.session), input.lake]));
}

/**
 * Two 53-bit string hashes (cyrb53) with different seeds: a cache key, not a secret, and synchronous, so
 * it works on pages where `crypto.subtle` is absent (plain http on another host than localhost).
 */
export function digest(text: string): string {
  return (
    cyrb53(text, 0x9e3779b9).toString(16).padStart(14, '0') +
    cyrb53(text, 0x85ebca6b).toString(16).padStart(14, '0')
  );
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
