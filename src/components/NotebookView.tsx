/** The open notebook's cells, in order, with buttons to add cells at the end. */
import { runCommand } from '../notebook/commands';
import { useApp, useNotebook } from './app-context';
import { ChartCellView } from './cells/ChartCellView';
import { MarkdownCellView } from './cells/MarkdownCellView';
import { SqlCellView } from './cells/SqlCellView';
import { TrustPrompt } from './TrustPrompt';

export function NotebookView() {
  const ctx = useApp();
  const cells = useNotebook((s) => s.notebook.cells);
  const lastId = cells[cells.length - 1]?.id;
  const add = (command: string) => void runCommand(command, ctx, lastId);
  return (
    <main className="notebook" aria-label="Notebook">
      <TrustPrompt />
      {cells.map((cell, index) =>
        cell.kind === 'sql' ? (
          <SqlCellView key={cell.id} cell={cell} />
        ) : cell.kind === 'markdown' ? (
          <MarkdownCellView key={cell.id} cell={cell} index={index} />
        ) : (
          <ChartCellView key={cell.id} cell={cell} index={index} />
        ),
      )}
      <div className="add-cells">
        <button type="button" onClick={() => add('cell.insertBelow')}>
          + SQL cell
        </button>
        <button type="button" onClick={() => add('cell.insertMarkdown')}>
          + Markdown cell
        </button>
        <button type="button" onClick={() => add('cell.insertChart')}>
          + Chart cell
        </button>
      </div>
    </main>
  );
}
