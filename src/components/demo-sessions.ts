/**
 * The static demo's users: one per role, from the lake's policy (`demoUsers`, `defaultRole`). A real
 * deployment maps signed-in users to roles at the host instead. The chosen role is remembered in this
 * browser. Access itself is decided by the engine from the same policy; this list only fills the switcher.
 */
import { parsePolicy } from '../gov/policy-schema';
import { rolesForSite } from '../gov/site';
import { ROLES, type Session } from '../gov/types';
import { loadSiteConfig } from './governance/site-config';

const ROLE_KEY = 'lakebook.role';

export interface DemoSessions {
  sessions: Record<string, Session>;
  initial: Session;
}

export async function loadDemoSessions(lakeUrl: string): Promise<DemoSessions> {
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
