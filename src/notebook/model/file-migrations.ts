/** Brings an older `.lakebook.json` document up to the next version, keeping what it showed. */
import { parseChartConfig } from '../../charts/config';
import { newId } from './ids';
import { FILE_FORMAT, type FileV1, type FileV2, type FileV3 } from './file-schema';

export function migrateV1(file: FileV1, now: string): FileV2 {
  return {
    format: FILE_FORMAT,
    version: 2,
    id: newId(),
    title: file.title,
    createdAt: now,
    updatedAt: now,
    settings: { runMode: 'auto' },
    cells: file.cells.map((c) =>
      c.type === 'sql'
        ? { id: newId(), kind: 'sql', name: c.name, sql: c.source }
        : { id: newId(), kind: 'markdown', text: c.source },
    ),
  };
}

/** Whether a version 2 read-only view drew this chart: only a valid config can be published. */
function chartWasPublished(config: Record<string, unknown>): boolean {
  try {
    return parseChartConfig(config).published;
  } catch {
    return false;
  }
}

/**
 * Version 2 had no per-cell choice for Markdown: its read-only view showed each published chart together
 * with the Markdown cells between it and the chart before it (published or not). Exactly those cells become
 * published, so a migrated notebook's view shows the same text as before.
 */
export function migrateV2(file: FileV2): FileV3 {
  const published = new Set<number>();
  let explaining: number[] = [];
  for (const [i, cell] of file.cells.entries()) {
    if (cell.kind === 'markdown') explaining.push(i);
    if (cell.kind !== 'chart') continue;
    if (chartWasPublished(cell.config)) for (const at of explaining) published.add(at);
    explaining = [];
  }
  return {
    ...file,
    version: 3,
    cells: file.cells.map((c, i) => (c.kind === 'markdown' ? { ...c, published: published.has(i) } : c)),
  };
}
