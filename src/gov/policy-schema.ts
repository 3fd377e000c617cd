import { z } from 'zod';
import { MASK_KINDS } from '../lake/manifest';
import { ROLES } from './types';

/**
 * The lake's access policy (`policy.json` beside `catalog.json`). Deny by default: a column is visible to a
 * role only when one of the role's grants reaches it and no deny rule does. Validated at the edge with
 * `parsePolicy`; an invalid policy stops the app, it never degrades to "allow".
 */

const name = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case table name');
const qualifiedColumn = z.string().regex(/^[a-z_][a-z0-9_]*\.[^.\s]+$/, 'a column is written table.column');
const tag = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a tag is a word (letters, digits, - or _)');
const roleName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a role name is a word');

export const PERMISSIONS = ['changeTags', 'readAudit', 'exportPhi'] as const;

/**
 * Which columns a rule reaches. Every selector given must match (they narrow each other); at least one is
 * required so that an empty rule cannot silently reach everything.
 */
const selectorShape = {
  tables: z.array(name).min(1).optional(),
  columns: z.array(qualifiedColumn).min(1).optional(),
  tags: z.array(tag).min(1).optional(),
  /** Shown in audit records; defaults to the rule's place in the file. */
  name: z.string().min(1).optional(),
};
const hasSelector = (s: { tables?: unknown; columns?: unknown; tags?: unknown }) =>
  s.tables !== undefined || s.columns !== undefined || s.tags !== undefined;
const selectorMessage = 'a rule needs at least one of tables, columns or tags';

export const selectorSchema = z.strictObject(selectorShape).refine(hasSelector, selectorMessage);
export const maskRuleSchema = z
  .strictObject({ ...selectorShape, mask: z.enum(MASK_KINDS) })
  .refine(hasSelector, selectorMessage);

export const valueSourceSchema = z.union([
  z.strictObject({ attribute: z.string().min(1) }),
  z.strictObject({ values: z.array(z.union([z.string(), z.number().finite()])).min(1) }),
]);

export type ValueSource = z.infer<typeof valueSourceSchema>;

export type RowFilter =
  | { column: string; in: ValueSource }
  | { column: string; inTable: { table: string; column: string; where?: RowFilter } }
  | { anyOf: RowFilter[] }
  | { allOf: RowFilter[] };

export const rowFilterSchema: z.ZodType<RowFilter> = z.lazy(() =>
  z.union([
    z.strictObject({ column: z.string().min(1), in: valueSourceSchema }),
    z.strictObject({
      column: z.string().min(1),
      inTable: z.strictObject({ table: name, column: z.string().min(1), where: rowFilterSchema.optional() }),
    }),
    z.strictObject({ anyOf: z.array(rowFilterSchema).min(1) }),
    z.strictObject({ allOf: z.array(rowFilterSchema).min(1) }),
  ]),
);

export const rowFilterRuleSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    /** Tables the filter applies to, by name or by any of their tags. */
    tables: z.array(name).min(1).optional(),
    tags: z.array(tag).min(1).optional(),
    where: rowFilterSchema,
  })
  .refine((r) => r.tables !== undefined || r.tags !== undefined, 'a row filter needs tables or tags');

export const smallCellSchema = z.strictObject({
  /** The column that holds each group's number of distinct patients. */
  countColumn: z.string().min(1),
  minGroupSize: z.number().int().min(2),
  /** Numeric columns that describe the group (e.g. `year`) and stay visible when it is suppressed. */
  dimensions: z.array(z.string().min(1)).default([]),
  /** Limit suppression to these tables; by default every table that has the count column. */
  tables: z.array(name).min(1).optional(),
});

const periodLinkSchema = z.strictObject({
  name: z.string().min(1),
  /** The period that the linked tables all add up to (a day is part of its month). */
  grain: z.enum(['week', 'month', 'quarter', 'year']),
  /** Each linked table and the DATE or TIMESTAMP column that places its rows in a period. */
  tables: z.record(name, z.string().min(1)).refine((t) => Object.keys(t).length > 0, 'name linked tables'),
  /** Columns that must match too, e.g. `as_of` so each snapshot of a metric view is judged on its own. */
  sameIn: z.array(z.string().min(1)).default([]),
});

const totalRowSchema = z.strictObject({
  name: z.string().min(1),
  table: name,
  /** A row whose `column` holds `value` (e.g. `admission_type = 'ALL'`) is the total of the other rows. */
  column: z.string().min(1),
  value: z.string(),
  sameIn: z.array(z.string().min(1)).default([]),
});

/**
 * Where published groups add up to each other, so that a suppressed group could come back by subtraction:
 * a total row beside its parts, or tables that count the same stays by day and by month. Suppression then
 * spreads: a period with a small group in any linked table is suppressed in all of them, and a total row
 * with a suppressed part is suppressed. Applies to every role with `smallCells`.
 */
export const smallCellLinksSchema = z.strictObject({
  periods: z.array(periodLinkSchema).default([]),
  totals: z.array(totalRowSchema).default([]),
});

export const roleSchema = z
  .strictObject({
    description: z.string().default(''),
    permissions: z.array(z.enum(PERMISSIONS)).default([]),
    grants: z.array(selectorSchema).default([]),
    denies: z.array(selectorSchema).default([]),
    masks: z.array(maskRuleSchema).default([]),
    rowFilters: z.array(rowFilterRuleSchema).default([]),
    smallCells: smallCellSchema.optional(),
    /**
     * The scope of the role's keyed masks (`hash`, `date_shift`): roles with the same scope get the same
     * pseudonyms, others different ones. Defaults to the role's own name.
     */
    pseudonyms: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a pseudonym scope is a word')
      .optional(),
    /**
     * The role sees aggregates only: tables where small-cell suppression applies, plus `exempt` tables whose
     * rows are not patient groups (e.g. hospital-level public statistics, code dictionaries), by name or tag.
     */
    aggregateOnly: z
      .strictObject({ exempt: z.array(name).default([]), exemptTags: z.array(tag).default([]) })
      .optional(),
  })
  .refine((r) => !r.aggregateOnly || r.smallCells, {
    message: 'an aggregate-only role needs smallCells (which column counts patients, and the threshold)',
    path: ['aggregateOnly'],
  });

export const policySchema = z
  .strictObject({
    format: z.literal('lakebook-policy'),
    version: z.literal(1),
    description: z.string().default(''),
    /**
     * Refused: the key of the `hash` and `date_shift` masks is a secret of the host (docs/lake.md, "The
     * masking secret") and never part of a file that a browser may receive.
     */
    salt: z
      .never({
        error:
          'policy.json must not hold the masking secret; give it to the site build (LAKEBOOK_MASK_SECRET or LAKEBOOK_MASK_SECRET_FILE) and remove "salt"',
      })
      .optional(),
    dateShift: z
      .strictObject({
        /** Columns that identify a patient, tried in order; the first one a table has keys its shift. */
        patientKeys: z.array(z.string().min(1)).default([]),
        /** Otherwise the first column carrying this tag keys it. */
        patientKeyTag: tag.default('patient_id'),
        maxDays: z.number().int().min(1).max(3650),
      })
      .default({ patientKeys: [], patientKeyTag: 'patient_id', maxDays: 180 }),
    smallCellLinks: smallCellLinksSchema.default({ periods: [], totals: [] }),
    /** The role a visitor gets before choosing one (the static demo's role switcher starts here). */
    defaultRole: roleName,
    roles: z.record(roleName, roleSchema),
    /**
     * Example users for the static demo's role switcher. A real deployment maps signed-in users to roles and
     * attributes at the host instead (see src/gov/README.md).
     */
    demoUsers: z
      .record(
        roleName,
        z.strictObject({
          user: z.string().min(1),
          attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
        }),
      )
      .default({}),
  })
  .superRefine((p, ctx) => {
    for (const r of Object.keys(p.demoUsers)) {
      if (!(r in p.roles))
        ctx.addIssue({ code: 'custom', path: ['demoUsers', r], message: `role ${r} is not defined` });
    }
    if (!(p.defaultRole in p.roles)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultRole'],
        message: `role ${p.defaultRole} is not defined`,
      });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type RolePolicy = z.infer<typeof roleSchema>;
export type Selector = z.infer<typeof selectorSchema>;
export type MaskRule = z.infer<typeof maskRuleSchema>;
export type RowFilterRule = z.infer<typeof rowFilterRuleSchema>;
export type SmallCellLinks = z.infer<typeof smallCellLinksSchema>;
export type Permission = (typeof PERMISSIONS)[number];

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Validates untrusted JSON; the message lists every problem with its path so the lake owner can fix it. */
export function parsePolicy(json: unknown): Policy {
  const result = policySchema.safeParse(json);
  // Checked apart from the schema so a missing role is reported together with every other problem.
  const roles = (json as { roles?: unknown } | null)?.roles;
  const missing =
    typeof roles === 'object' && roles !== null
      ? ROLES.filter((r) => !(r in roles)).map((r) => `roles: role ${r} is missing`)
      : [];
  if (!result.success || missing.length > 0) {
    const issues = result.success ? [] : result.error.issues;
    const problems = [...missing, ...issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)];
    throw new PolicyError(`The access policy is not valid, so nothing can be shown:\n${problems.join('\n')}`);
  }
  return result.data;
}
