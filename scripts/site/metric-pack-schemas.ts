/**
 * JSON Schemas of the metric pack and its index, generated from the zod schemas in src/lake/metric-pack.ts,
 * so that readers in any language can validate a pack. `npm run -s schemas` writes them to docs/; a unit test
 * keeps the committed files equal to what the zod schemas give.
 */
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { metricPackIndexSchema, metricPackSchema } from '../../src/lake/metric-pack.ts';

export interface SchemaFile {
  /** Relative to the project. */
  file: string;
  schema: Record<string, unknown>;
}

const GENERATED = 'Generated from src/lake/metric-pack.ts by `npm run -s schemas`; see docs/metric-packs.md.';

export function metricPackSchemaFiles(): SchemaFile[] {
  return [
    {
      file: 'docs/metric-pack.schema.json',
      schema: describe(z.toJSONSchema(metricPackSchema, { io: 'output' }), 'Lakebook metric pack', [
        'One metric of a Lakebook site: definition, lineage, freshness and aggregates with small groups suppressed.',
        // z.toJSONSchema drops refinements; say so rather than let the schema look stricter than it is.
        'Not expressed here: a comparison with "suppressed": true carries no before, after, difference, ci95 or ' +
          "versusRest; a column's numerator and denominator come together and name columns of the pack.",
        GENERATED,
      ]),
    },
    {
      file: 'docs/metric-pack-index.schema.json',
      schema: describe(
        z.toJSONSchema(metricPackIndexSchema, { io: 'output' }),
        'Lakebook metric pack index',
        ['The list of metric packs of a Lakebook site (metrics/index.json).', GENERATED],
      ),
    },
  ];
}

function describe(
  { $schema, ...rest }: Record<string, unknown>,
  title: string,
  description: string[],
): Record<string, unknown> {
  return { $schema, title, description: description.join(' '), ...rest };
}

/** The file as committed: formatted by the project's Prettier settings, so `npm run lint` accepts it. */
export async function schemaFileText(projectDir: string, entry: SchemaFile): Promise<string> {
  const filepath = path.join(projectDir, entry.file);
  const options = (await resolveConfig(filepath)) ?? {};
  return format(JSON.stringify(entry.schema), { ...options, filepath });
}
