/** Writes the JSON Schemas of the metric pack and its index to docs/ (npm run -s schemas). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricPackSchemaFiles, schemaFileText } from './metric-pack-schemas.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
for (const entry of metricPackSchemaFiles()) {
  writeFileSync(path.join(projectDir, entry.file), await schemaFileText(projectDir, entry));
  console.log(`Wrote ${entry.file}`);
}
