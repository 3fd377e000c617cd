import { makeMarkdownCell, makeSqlCell } from './cells';
import { newNotebook, type Notebook } from './notebook';

/** The notebook a new user gets when the site offers no review notebook (or it cannot be read). */
export function welcomeNotebook(): Notebook {
  const nb = newNotebook('Welcome to Lakebook');
  return {
    ...nb,
    cells: [
      makeMarkdownCell(
        '# Welcome\n\nEach SQL cell runs in your browser against the lake tables your role may see. ' +
          'A cell can query another cell by its name, like a table.',
      ),
      makeSqlCell('cell_1', 'SELECT count(*) AS admissions FROM admissions'),
    ],
  };
}
