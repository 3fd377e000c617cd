/**
 * The masking secret: the key from which every role's `hash` and `date_shift` keys are derived. It stays
 * with whoever builds the site; no file of `dist/` holds it or anything it could be recomputed from.
 *
 *   LAKEBOOK_MASK_SECRET        the secret itself (at least 32 characters)
 *   LAKEBOOK_MASK_SECRET_FILE   a file holding it
 *   otherwise                   `.lakebook/mask-secret` in the project, made on first use (mode 0600)
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MaskKeys } from '../../src/gov/masks.ts';

export const MIN_SECRET_LENGTH = 32;

export interface MaskSecret {
  secret: string;
  /** Where it came from, for the build's log (never the secret itself). */
  source: string;
}

export function readMaskSecret(projectDir: string, env: NodeJS.ProcessEnv = process.env): MaskSecret {
  if (env.LAKEBOOK_MASK_SECRET) return checked(env.LAKEBOOK_MASK_SECRET, 'LAKEBOOK_MASK_SECRET');
  if (env.LAKEBOOK_MASK_SECRET_FILE) {
    const file = path.resolve(env.LAKEBOOK_MASK_SECRET_FILE);
    if (!existsSync(file)) throw new Error(`LAKEBOOK_MASK_SECRET_FILE names ${file}, which does not exist.`);
    return checked(readFileSync(file, 'utf8').trim(), file);
  }
  const file = path.join(projectDir, '.lakebook', 'mask-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    console.log(`Made a masking secret in ${path.relative(process.cwd(), file)} (keep it out of dist/).`);
  }
  return checked(readFileSync(file, 'utf8').trim(), path.relative(process.cwd(), file));
}

function checked(secret: string, source: string): MaskSecret {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `The masking secret from ${source} has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH} (for example: openssl rand -hex 32).`,
    );
  }
  return { secret, source };
}

/**
 * A pseudonym scope's two mask keys, HMAC-SHA-256 of the secret over the scope's name: one scope's keys
 * tell nothing about another's, so roles in different scopes get unrelated pseudonyms.
 */
export function deriveMaskKeys(secret: string, scope: string): MaskKeys {
  const key = (part: string) =>
    createHmac('sha256', secret).update(`lakebook mask key\0${scope}\0${part}`).digest('hex');
  return { inner: key('inner'), outer: key('outer') };
}
