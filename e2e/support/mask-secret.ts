/**
 * The masking secret the end-to-end site is built with (playwright.config.ts hands it to the build), so
 * tests can compute what a role's masked values must be. A real site's secret is never in a repository.
 */
import { deriveMaskKeys } from '../../scripts/site/mask-secret';
import { pseudonymScope } from '../../src/gov/role-view';
import type { MaskKeys } from '../../src/gov/masks';
import { servedPolicy } from './governance';

export const E2E_MASK_SECRET = 'e2e-only-masking-secret-0123456789abcdef';

export function maskKeysOf(role: string): MaskKeys {
  return deriveMaskKeys(E2E_MASK_SECRET, pseudonymScope(servedPolicy(), role));
}
