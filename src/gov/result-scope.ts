import type { Session } from './types';

/**
 * What a reader should be told about whose rows a result holds: a figure computed under a row filter is the
 * reader's own slice (a clinician's wards), not the hospital's, and must say so where it is shown, as must a
 * figure from which small groups were held back.
 */
export interface ResultScope {
  /** e.g. `Your rows only (wards: General Medicine): Evergreen stays on own wards` */
  filtered?: string;
  suppressed?: string;
}

const ROW_FILTER = /^row filter on \S+ \((.+)\)$/;

export function resultScope(rules: readonly string[], session: Session): ResultScope {
  const filters = [...new Set(rules.flatMap((r) => ROW_FILTER.exec(r)?.[1] ?? []))];
  const attributes = Object.entries(session.attributes)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
    .join('; ');
  const scope: ResultScope = {};
  if (filters.length > 0)
    scope.filtered = `Your rows only${attributes ? ` (${attributes})` : ''}: ${filters.join('; ')}`;
  if (rules.some((r) => r.startsWith('small cells')))
    scope.suppressed = 'Groups of fewer patients than the threshold are held back.';
  return scope;
}
