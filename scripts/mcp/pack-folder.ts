/**
 * Reads a folder of metric packs as the site build writes it (`index.json` plus `<name>.json`), validating
 * every file with the pack schema and the publishing rules. The server reads nothing else from disk.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ZodError } from 'zod';
import {
  parseMetricPack,
  parseMetricPackIndex,
  type MetricPack,
  type MetricPackIndex,
} from '../../src/lake/metric-pack.ts';
import { unpublishableReasons } from './publishable.ts';

export interface PackSet {
  index: MetricPackIndex;
  /** Keyed by metric name, in index order. */
  packs: Map<string, MetricPack>;
}

/** The folder cannot be served; the message says which file and what is wrong with it. */
export class PackFolderError extends Error {
  override name = 'PackFolderError';
}

export function loadPackFolder(dir: string): PackSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PackFolderError(`${dir} is not a folder.`);
  const indexFile = path.join(dir, 'index.json');
  if (!existsSync(indexFile))
    throw new PackFolderError(`${dir} has no index.json, so it is not a folder of metric packs.`);
  const index = readValidated(indexFile, parseMetricPackIndex);

  const packs = new Map<string, MetricPack>();
  for (const entry of index.metrics) {
    const file = path.resolve(dir, entry.url);
    // The index is outside input: a url must name a file of this folder, never one elsewhere on the disk.
    if (path.dirname(file) !== path.resolve(dir))
      throw new PackFolderError(`${indexFile}: the url of ${entry.name} (${entry.url}) leaves the folder.`);
    if (packs.has(entry.name)) throw new PackFolderError(`${indexFile} lists ${entry.name} twice.`);
    if (!existsSync(file))
      throw new PackFolderError(`${indexFile} lists ${entry.name}, but ${entry.url} is missing.`);
    const pack = readValidated(file, parseMetricPack);
    if (pack.name !== entry.name)
      throw new PackFolderError(
        `${file} holds metric ${pack.name}, but the index lists it as ${entry.name}.`,
      );
    const reasons = unpublishableReasons(pack);
    if (reasons.length > 0) throw new PackFolderError(`${file} may not be served: ${reasons.join('; ')}.`);
    packs.set(pack.name, pack);
  }
  return { index, packs };
}

function readValidated<T>(file: string, parse: (json: unknown) => T): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PackFolderError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parse(json);
  } catch (e) {
    if (!(e instanceof ZodError)) throw e;
    const problems = e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    if (e.issues.length > 5) problems.push(`${e.issues.length - 5} more`);
    throw new PackFolderError(`${file} does not match the metric pack format: ${problems.join('; ')}`);
  }
}
