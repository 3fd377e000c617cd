/**
 * Export to Jupyter (nbformat 4.5). SQL cells become `%%sql --save <name>` code cells (JupySQL, whose saved
 * queries later cells use by name), Markdown stays Markdown with its `published` choice in the cell metadata,
 * and a chart cell becomes a Markdown note that carries its config in the cell metadata, since Jupyter has no
 * such cell. `ipynb-import.ts` reads these metadata back.
 */
import type { Notebook } from './notebook';

interface IpynbCell {
  id: string;
  cell_type: 'code' | 'markdown';
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

export interface Ipynb {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

/** Jupyter stores source as a list of lines, each but the last keeping its newline. */
function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((l) => l !== '');
}

export function toIpynb(nb: Notebook): Ipynb {
  const cells = nb.cells.map((cell): IpynbCell => {
    if (cell.kind === 'sql')
      return {
        id: cell.id,
        cell_type: 'code',
        metadata: { lakebook: { name: cell.name } },
        source: lines(`%%sql --save ${cell.name}\n${cell.sql}`),
        execution_count: null,
        outputs: [],
      };
    if (cell.kind === 'markdown')
      return {
        id: cell.id,
        cell_type: 'markdown',
        metadata: { lakebook: { published: cell.published } },
        source: lines(cell.text),
      };
    return {
      id: cell.id,
      cell_type: 'markdown',
      metadata: { lakebook: { chart: cell.config } },
      source: ['*Chart cell: open this notebook in Lakebook to see the chart.*'],
    };
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      lakebook: { title: nb.title, id: nb.id, settings: nb.settings },
    },
    cells,
  };
}
