import { tableFreshness, type Freshness } from '../lake/freshness';
import type { Manifest } from '../lake/manifest';
import type { Cell, ChartCell, MarkdownCell } from '../notebook/model/cells';
import { parseChartConfig, type ChartConfig } from './config';

/**
 * What a notebook's read-only view shows: each published chart, preceded by the Markdown cells between it
 * and the chart before it (the text that explains it). SQL is never part of it.
 */
export type PublishedItem =
  { kind: 'markdown'; cell: MarkdownCell } | { kind: 'chart'; cell: ChartCell; config: ChartConfig };

export function publishedItems(cells: readonly Cell[]): PublishedItem[] {
  const items: PublishedItem[] = [];
  let notes: MarkdownCell[] = [];
  for (const cell of cells) {
    if (cell.kind === 'markdown') notes.push(cell);
    if (cell.kind !== 'chart') continue;
    let config: ChartConfig | undefined;
    try {
      config = parseChartConfig(cell.config);
    } catch {
      config = undefined;
    }
    if (config?.published) {
      items.push(...notes.map((n) => ({ kind: 'markdown' as const, cell: n })));
      items.push({ kind: 'chart', cell, config });
    }
    notes = [];
  }
  return items;
}

export interface SourceFreshness extends Freshness {
  table: string;
}

/** How current the catalog tables behind a chart are; the chart is as of its oldest source. */
export function chartFreshness(
  manifest: Pick<Manifest, 'tables'>,
  objects: readonly string[],
): { asOf: string | undefined; sources: SourceFreshness[] } {
  const sources = objects.flatMap((name) => {
    const table = manifest.tables.find((t) => t.name === name);
    return table ? [{ table: name, ...tableFreshness(manifest, table) }] : [];
  });
  const times = sources.map((s) => s.asOf).sort();
  return { asOf: times[0], sources };
}
