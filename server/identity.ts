/**
 * Who is asking, decided by the server alone: a bearer token looked up by its SHA-256 in the users file, or
 * the user name an authenticating proxy puts in a header, believed only from the proxy's own addresses.
 * Nothing the page sends about itself (a role, a user name, attributes) is ever read.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Policy } from '../src/gov/policy-schema.ts';
import type { Session } from '../src/gov/types.ts';
import { checkedUsers, userEntrySchema } from '../scripts/site/users-file.ts';

const serverUsersSchema = z.strictObject({
  users: z
    .array(
      userEntrySchema.extend({
        /** SHA-256 (hex) of the user's bearer token; absent for users who sign in through the proxy only. */
        tokenSha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the token, 64 lowercase hex digits')
          .optional(),
      }),
    )
    .min(1),
});

export interface ServerUser extends Session {
  tokenSha256?: string;
}

export interface IdentityConfig {
  users: ServerUser[];
  /** Addresses of the authenticating proxy; its header is ignored from anywhere else. */
  trustedProxies: string[];
  /** The header the proxy sets to the signed-in user's name (lowercase), e.g. `x-forwarded-user`. */
  proxyHeader?: string;
}

export type Identified =
  | { ok: true; session: Session; via: 'token' | 'proxy' }
  | { ok: false; status: 401 | 403; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string; who: string };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function readServerUsers(file: string, policy: Policy): ServerUser[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read the users file ${file}: ${(e as Error).message}`, { cause: e });
  }
  return checkedUsers(serverUsersSchema, json, file, policy);
}

/** `--demo`: the policy's demo users, each with a fresh random token (printed once at start, kept hashed). */
export function demoUsers(policy: Policy): { users: ServerUser[]; tokens: Map<string, string> } {
  const tokens = new Map<string, string>();
  const users = Object.entries(policy.demoUsers).map(([role, d]) => {
    const token = randomBytes(24).toString('base64url');
    tokens.set(d.user, token);
    return { user: d.user, role, attributes: d.attributes, tokenSha256: hashToken(token) };
  });
  return { users, tokens };
}

export function identify(request: IncomingMessage, config: IdentityConfig): Identified {
  const from = request.socket.remoteAddress ?? 'unknown';
  const auth = request.headers.authorization;
  const proxied = config.proxyHeader ? request.headers[config.proxyHeader] : undefined;
  if (typeof proxied === 'string' && proxied !== '') {
    if (!config.trustedProxies.includes(normalAddress(from))) {
      return {
        ok: false,
        status: 403,
        code: 'FORBIDDEN',
        message: `The ${config.proxyHeader} header is only accepted from the signing-in proxy, not from ${from}.`,
        who: `${proxied} (claimed from ${from})`,
      };
    }
    const user = config.users.find((u) => u.user === proxied);
    if (!user)
      return unauthenticated(`The proxy signed in ${proxied}, who is not in the users file.`, proxied);
    return { ok: true, session: sessionOf(user), via: 'proxy' };
  }
  const token = /^Bearer\s+(\S+)$/i.exec(auth ?? '')?.[1];
  if (!token)
    return unauthenticated('Sign in: this server needs an access token.', `(no token, from ${from})`);
  const hash = Buffer.from(hashToken(token), 'hex');
  const user = config.users.find(
    (u) => u.tokenSha256 !== undefined && timingSafeEqual(Buffer.from(u.tokenSha256, 'hex'), hash),
  );
  if (!user) return unauthenticated('This access token is not valid here.', `(unknown token, from ${from})`);
  return { ok: true, session: sessionOf(user), via: 'token' };
}

function unauthenticated(message: string, who: string): Identified {
  return { ok: false, status: 401, code: 'UNAUTHENTICATED', message, who };
}

function sessionOf(user: ServerUser): Session {
  return { user: user.user, role: user.role, attributes: user.attributes };
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same peer. */
function normalAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
