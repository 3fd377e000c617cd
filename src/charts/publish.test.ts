import { describe, expect, it } from 'vitest';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from '../notebook/model/cells';
import { publishedItems } from './publish';

const chart = (title: string, published: boolean) =>
  makeChartCell({ source: 'q', type: 'bar', x: 'x', title, published });

describe('publishedItems', () => {
  it('lists every published chart and Markdown cell in notebook order, and nothing else', () => {
    const cells = [
      makeMarkdownCell('intro', true),
      makeSqlCell('q', 'SELECT 1 AS x'),
      makeMarkdownCell('analyst note'),
      chart('hidden', false),
      chart('shown', true),
      makeMarkdownCell('after the charts', true),
      makeMarkdownCell('draft'),
    ];
    const items = publishedItems(cells);
    expect(items.map((i) => (i.kind === 'chart' ? `chart ${i.config.title}` : i.cell.text))).toEqual([
      'intro',
      'chart shown',
      'after the charts',
    ]);
    expect(items.map((i) => i.cell)).toEqual([cells[0], cells[4], cells[5]]);
  });

  it('leaves out a chart whose settings are not valid, and Markdown no longer depends on a chart', () => {
    const broken = makeChartCell({ source: 'q', type: 'pie', published: true });
    const note = makeMarkdownCell('stands alone', true);
    expect(publishedItems([broken, note])).toEqual([{ kind: 'markdown', cell: note }]);
    expect(publishedItems([makeMarkdownCell('unpublished'), broken])).toEqual([]);
  });
});
