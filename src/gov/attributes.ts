import type { Session } from './types';

/** The same user attributes, whatever the order of keys and of the values in a list. */
export function sameAttributes(a: Session['attributes'], b: Session['attributes']): boolean {
  return attributesKey(a) === attributesKey(b);
}

/** A canonical text of a set of user attributes, for comparing and naming them. */
export function attributesKey(attributes: Session['attributes']): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((k) => {
        const v = attributes[k];
        return [k, Array.isArray(v) ? [...v].sort() : v];
      }),
  );
}
