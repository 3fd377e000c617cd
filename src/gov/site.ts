import { z } from 'zod';
import { SENSITIVITY_TAGS, type SensitivityTag } from '../lake/manifest';
import type { Policy } from './policy-schema';

/**
 * `site.json`, written beside the lake's catalog by a site build that keeps only some tiers
 * (`npm run build -- --tiers PUBLIC`). A role whose grants reach a tier the site does not ship would see
 * a lake with its tables missing, so the app does not offer it there.
 */

export const siteSchema = z.object({ tiers: z.array(z.enum(SENSITIVITY_TAGS)).min(1) });
export type SiteConfig = z.infer<typeof siteSchema>;

/** A `site.json` that cannot be read restricts the site to the public tier rather than widening it. */
export function parseSite(json: unknown): SiteConfig {
  const parsed = siteSchema.safeParse(json);
  return parsed.success ? parsed.data : { tiers: ['PUBLIC'] };
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

/** The policy's roles whose every reachable tier the site ships, in the policy's order. */
export function rolesForSite(policy: Policy, site: SiteConfig): string[] {
  return Object.keys(policy.roles).filter((r) =>
    tiersReached(policy, r).every((t) => site.tiers.includes(t)),
  );
}
