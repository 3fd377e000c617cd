/**
 * The users a deployment serves: who may sign in, in which role, with which attributes (a Clinician's
 * wards). The site build prepares a lake folder per distinct attribute set of these users, and the nginx
 * configuration maps each signed-in user to their role's folder. Passwords are not kept here: the host's
 * own password file (or identity provider) checks them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Policy } from '../../src/gov/policy-schema.ts';
import type { Session } from '../../src/gov/types.ts';

/** One user of a users file; the Lakebook server's file adds each user's token hash to it. */
export const userEntrySchema = z.strictObject({
  user: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a user name is letters, digits, dot, - or _'),
  role: z.string().min(1),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
});

const usersFileSchema = z.strictObject({ users: z.array(userEntrySchema).min(1) });

export function readUsersFile(file: string, policy: Policy): Session[] {
  return checkedUsers(usersFileSchema, JSON.parse(readFileSync(file, 'utf8')), file, policy);
}

/** The file's users, valid by `schema` and each in a role of the policy; otherwise an error naming what is wrong. */
export function checkedUsers<U extends Session>(
  schema: z.ZodType<{ users: U[] }>,
  json: unknown,
  file: string,
  policy: Policy,
): U[] {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`The users file ${file} is not valid:\n${problems.join('\n')}`);
  }
  for (const u of parsed.data.users) {
    if (!(u.role in policy.roles))
      throw new Error(`User ${u.user} has role ${u.role}, which the policy lacks.`);
  }
  return parsed.data.users;
}

/** The policy's demo users, one per role: what the static demo's role switcher offers. */
export function demoSessions(policy: Policy): Session[] {
  return Object.entries(policy.demoUsers).map(([role, d]) => ({
    user: d.user,
    role,
    attributes: d.attributes,
  }));
}
