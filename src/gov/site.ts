import { z } from 'zod';
import { SENSITIVITY_TAGS, type SensitivityTag } from '../lake/manifest';
import { sameAttributes } from './attributes';
import type { Policy } from './policy-schema';
import type { Session } from './types';

/**
 * `site.json`, written at the root of the shipped lake by the site build: the tiers the site ships and the
 * lake folder prepared for each role (and each set of user attributes where a role's rows depend on them).
 * A role whose grants reach a tier the site does not ship would see a lake with its tables missing, so the
 * app does not offer it there.
 */

const attributes = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const roleFolderSchema = z.object({
  role: z.string().min(1),
  /** Relative to the lake root, ending in `/`, inside `roles/`. */
  folder: z.string().regex(/^roles\/[a-z0-9][a-z0-9-]*\/$/, 'a folder under roles/'),
  /** Present when the role's row filters read user attributes: the folder serves only users with these. */
  attributes: attributes.optional(),
});
export type RoleFolder = z.infer<typeof roleFolderSchema>;

export const siteSchema = z.object({
  tiers: z.array(z.enum(SENSITIVITY_TAGS)).min(1),
  /** Absent on a lake served raw (development): the engine then masks in the tab. */
  folders: z.array(roleFolderSchema).optional(),
});
export type SiteConfig = z.infer<typeof siteSchema>;

/** A `site.json` that cannot be read restricts the site to the public tier rather than widening it. */
export function parseSite(json: unknown): SiteConfig {
  const parsed = siteSchema.safeParse(json);
  return parsed.success ? parsed.data : { tiers: ['PUBLIC'], folders: [] };
}

/** The folder prepared for this user, if the site has one. */
export function folderFor(site: SiteConfig, session: Session): RoleFolder | undefined {
  return site.folders?.find(
    (f) => f.role === session.role && (!f.attributes || sameAttributes(f.attributes, session.attributes)),
  );
}

/** The tiers a role's grants reach; a grant naming no tier may reach any of them. */
export function tiersReached(policy: Policy, role: string): SensitivityTag[] {
  const reached = new Set<SensitivityTag>();
  for (const grant of policy.roles[role]?.grants ?? []) {
    const tiers = (grant.tags ?? []).filter((t): t is SensitivityTag =>
      (SENSITIVITY_TAGS as readonly string[]).includes(t),
    );
    for (const t of tiers.length > 0 ? tiers : SENSITIVITY_TAGS) reached.add(t);
  }
  return [...reached];
}

/**
 * The policy's roles whose every reachable tier the site ships and, on a site of prepared folders, that
 * have a folder, in the policy's order.
 */
export function rolesForSite(policy: Policy, site: SiteConfig): string[] {
  return Object.keys(policy.roles).filter(
    (r) =>
      tiersReached(policy, r).every((t) => site.tiers.includes(t)) &&
      (!site.folders || site.folders.some((f) => f.role === r)),
  );
}
