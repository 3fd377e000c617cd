/**
 * Who works in this tab. Behind a host that signs users in, the host says so in `session.json` beside the
 * lake (docs/hosting.md) and that one session is all the page offers. Otherwise, the static demo's users:
 * one per role, from the lake's policy (`demoUsers`, `defaultRole`), the chosen role remembered in this
 * browser. Access itself is decided by what the host serves and by the engine; this only fills the header.
 */
import { z } from 'zod';
import { parsePolicy } from '../gov/policy-schema';
import { rolesForSite } from '../gov/site';
import { ROLES, type Session } from '../gov/types';
import { loadSiteConfig } from './governance/site-config';

const ROLE_KEY = 'lakebook.role';

export interface DemoSessions {
  sessions: Record<string, Session>;
  initial: Session;
}

const hostSessionSchema = z.strictObject({
  user: z.string().min(1),
  role: z.string().min(1),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
});

/** The session a signing-in host gives this user, if the site is served by one. */
async function hostSession(lakeUrl: string): Promise<Session | undefined> {
  try {
    const response = await fetch(new URL('session.json', lakeUrl), {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    // A static host answers unknown paths with its index page; that is no session.
    if (!text.trimStart().startsWith('{')) return undefined;
    const parsed = hostSessionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function loadDemoSessions(lakeUrl: string): Promise<DemoSessions> {
  const signedIn = await hostSession(lakeUrl);
  if (signedIn) return { sessions: { [signedIn.role]: signedIn }, initial: signedIn };
  let defaultRole = 'Public';
  const sessions: Record<string, Session> = {};
  try {
    const [response, site] = await Promise.all([
      fetch(new URL('policy.json', lakeUrl)),
      loadSiteConfig(lakeUrl),
    ]);
    const policy = parsePolicy(await response.json());
    defaultRole = policy.defaultRole;
    // A site built with some tiers only offers the roles whose tables it ships.
    const fitting = site ? rolesForSite(policy, site) : Object.keys(policy.roles);
    const offered = fitting.length > 0 ? fitting : [policy.defaultRole];
    for (const role of offered) {
      const demo = policy.demoUsers[role];
      sessions[role] = { user: demo?.user ?? role.toLowerCase(), role, attributes: demo?.attributes ?? {} };
    }
  } catch {
    // The engine reads the same policy and reports what is wrong with it; the switcher still lists the roles.
    for (const role of ROLES) sessions[role] = { user: role.toLowerCase(), role, attributes: {} };
  }
  const remembered = readRole();
  const initial = sessions[remembered ?? ''] ?? sessions[defaultRole] ?? Object.values(sessions)[0]!;
  return { sessions, initial };
}

function readRole(): string | undefined {
  try {
    return localStorage.getItem(ROLE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberRole(role: string): void {
  try {
    localStorage.setItem(ROLE_KEY, role);
  } catch {
    // Without storage the demo simply starts with the default role next time.
  }
}
