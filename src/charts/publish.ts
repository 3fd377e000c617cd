import { tableFreshness, type Freshness } from '../lake/freshness';
import type { Manifest } from '../lake/manifest';
import type { Cell, ChartCell, MarkdownCell } from '../notebook/model/cells';
import { parseChartConfig, type ChartConfig } from './config';

/**
 * What a notebook's read-only view shows: every published chart and every published Markdown cell, in
 * notebook order. SQL is never part of it.
 */
export type PublishedItem =
  { kind: 'markdown'; cell: MarkdownCell } | { kind: 'chart'; cell: ChartCell; config: ChartConfig };

/** A chart whose saved settings are not valid is not drawn anywhere, so it is never published. */
function publishedConfig(cell: ChartCell): ChartConfig | undefined {
  try {
    const config = parseChartConfig(cell.config);
    return config.published ? config : undefined;
  } catch {
    return undefined;
  }
}

export function publishedItems(cells: readonly Cell[]): PublishedItem[] {
  return cells.flatMap((cell): PublishedItem[] => {
    if (cell.kind === 'markdown') return cell.published ? [{ kind: 'markdown', cell }] : [];
    if (cell.kind !== 'chart') return [];
    const config = publishedConfig(cell);
    return config ? [{ kind: 'chart', cell, config }] : [];
  });
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
