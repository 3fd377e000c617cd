/**
 * Finds columns that hold, embed or join to a person, encounter or staff key but carry no tag that makes the
 * policy mask them: such a column would hand a masked role the raw key. Pure: the caller supplies the values.
 */

/** Tags that the policy masks or denies as keys; a column with one of them is taken care of. */
export const IDENTIFIER_TAGS = [
  'patient_id',
  'encounter_id',
  'staff_id',
  'record_id',
  'identifier',
  'national_id',
] as const;

/** Tags of the keys whose values other columns must not repeat untagged. */
const KEY_TAGS: Record<string, string> = {
  patient_id: 'patient keys',
  encounter_id: 'encounter keys',
  staff_id: 'staff keys',
};

export interface ColumnValues {
  table: string;
  column: string;
  tags: readonly string[];
  /** Distinct non-null values as text; for an unmasked column a sample is enough. */
  values: readonly string[];
}

export interface IdentifierFinding {
  table: string;
  column: string;
  message: string;
}

const KEY_PATTERNS: { name: string; test: (v: string) => boolean }[] = [
  { name: 'Evergreen keys (EVP, EVA, EVD, EVS, EVF, EVB)', test: (v) => /EV[PADSFB]\d{3,}/.test(v) },
  {
    name: 'MIMIC subject, admission or stay id ranges',
    test: (v) => /^[1-3]\d{7}$/.test(v),
  },
  {
    name: 'Synthea UUIDs',
    test: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  },
];

/** Whether the overlap test needs every value of a column carrying this tag. */
export const isKeyTag = (tag: string): boolean => Object.hasOwn(KEY_TAGS, tag);

/** Share of a column's values that must look like keys before it is called an identifier. */
const MIN_SHARE = 0.5;
/** Fewer values than this prove nothing (a flag column shares 0 and 1 with anything). */
const MIN_VALUES = 3;

const isTagged = (c: ColumnValues) => c.tags.some((t) => (IDENTIFIER_TAGS as readonly string[]).includes(t));
const hint = `tag it patient_id, encounter_id or staff_id (hashed like that key), record_id (a record key, hashed) or identifier (denied)`;

export function findUntaggedIdentifiers(columns: readonly ColumnValues[]): IdentifierFinding[] {
  const keys = columns.flatMap((c) => {
    const tag = c.tags.find(isKeyTag);
    return tag ? [{ ref: `${c.table}.${c.column}`, kind: KEY_TAGS[tag], values: new Set(c.values) }] : [];
  });
  const findings: IdentifierFinding[] = [];
  for (const c of columns) {
    if (isTagged(c) || c.values.length < MIN_VALUES) continue;
    const say = (why: string) =>
      findings.push({
        table: c.table,
        column: c.column,
        message: `${c.table}.${c.column} looks like an identifier (${why}); ${hint}`,
      });
    const share = (hit: (v: string) => boolean) => c.values.filter(hit).length / c.values.length;
    const overlap = keys.find((k) => share((v) => k.values.has(v)) >= MIN_SHARE);
    if (overlap) {
      say(`values match ${overlap.kind} of ${overlap.ref}`);
      continue;
    }
    const pattern = KEY_PATTERNS.find((p) => share(p.test) >= MIN_SHARE);
    if (pattern) say(`values match the pattern of ${pattern.name}`);
  }
  return findings;
}
