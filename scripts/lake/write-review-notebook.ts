/**
 * Writes the Fast-Track Discharge review notebook that ships in the sample lake:
 *
 *   node --import tsx scripts/lake/write-review-notebook.ts [--out DIR]   (also run by npm run lake:build)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serializeNotebook } from '../../src/notebook/model/file-format.ts';
import { fastTrackReview } from '../../src/lake/notebooks/fast-track-review.ts';

export const REVIEW_FILE = 'notebooks/fast-track-review.lakebook.json';

export function writeReviewNotebook(lakeDir: string): string {
  const file = path.join(lakeDir, REVIEW_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, serializeNotebook(fastTrackReview()));
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'public/sample-lake' } } });
  console.log(
    `Wrote ${path.relative(projectDir, writeReviewNotebook(path.resolve(projectDir, values.out)))}`,
  );
}
