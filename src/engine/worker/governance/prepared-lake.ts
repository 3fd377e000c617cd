import type { MaskKeys } from '../../../gov/masks';
import type { Manifest } from '../../../lake/manifest';

/**
 * The engine's side of prepared role folders: what the policy alone makes of a prepared catalog (for
 * judging tag changes), and the keys that mask a lake served raw in this tab only.
 */

/** The catalog without the marks of a prepared folder: what the policy alone would make of it. */
export function asPolicyApplies(manifest: Manifest): Manifest {
  if (!manifest.preparedFor) return manifest;
  const { preparedFor: _, ...rest } = manifest;
  return {
    ...rest,
    tables: manifest.tables.map(({ appliedRules: _r, withheld: _w, ...table }) => ({
      ...table,
      columns: table.columns.map(({ masked: _m, withheld: _c, ...column }) => column),
    })),
  };
}

export function tabMaskKeys(): MaskKeys {
  const hex = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  return { inner: hex(), outer: hex() };
}
