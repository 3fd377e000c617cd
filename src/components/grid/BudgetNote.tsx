/** Says why a result holds only its first rows: which budget cut it and what to do about it. */
import type { QueryResult } from '../../contract/results';
import { useNotebook } from '../app-context';
import './budget-note.css';

export function BudgetNote({ result }: { result: QueryResult }) {
  const limits = useNotebook((s) => s.limits);
  if (!result.truncated) return null;
  const rows = result.rowCount.toLocaleString('en-US');
  const cause =
    result.truncatedBy === 'bytes'
      ? `the result is larger than the result size limit (${limits.maxResultMb} MB)`
      : `the result has more rows than the row limit (${limits.maxRows.toLocaleString('en-US')})`;
  return (
    <p className="budget-note" role="note">
      Showing the first {rows} rows only: {cause}. Filter or aggregate the data, or change the limits under
      Settings.
    </p>
  );
}
