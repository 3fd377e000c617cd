/** The Settings button and its dialog: the time limit and the result budget every query runs under. */
import { useState, type FormEvent } from 'react';
import { checkLimits, DEFAULT_LIMITS, type QueryLimits } from '../../notebook/query-limits';
import { useApp, useNotebook } from '../app-context';
import { Dialog } from './Dialog';

type Draft = Record<keyof QueryLimits, string>;

const FIELDS: { key: keyof QueryLimits; label: string }[] = [
  { key: 'timeLimitSeconds', label: 'Time limit per query (seconds, 0 for none)' },
  { key: 'maxRows', label: 'Rows kept per result' },
  { key: 'maxResultMb', label: 'Result size limit (MB)' },
];

const draftOf = (limits: QueryLimits): Draft => ({
  timeLimitSeconds: String(limits.timeLimitSeconds),
  maxRows: String(limits.maxRows),
  maxResultMb: String(limits.maxResultMb),
});

function QueryLimitsDialog({ onClose }: { onClose(): void }) {
  const { store } = useApp();
  const [draft, setDraft] = useState(() => draftOf(store.getState().limits));
  const [problem, setProblem] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkLimits(draft);
    if (!checked.ok) return setProblem(checked.message);
    store.getState().setLimits(checked.limits);
    onClose();
  };

  return (
    <Dialog label="Query limits" onClose={onClose}>
      <form onSubmit={submit}>
        <h2>Query limits</h2>
        <p className="dialog-help">
          A query that runs longer than the time limit is stopped. A result with more rows, or more data, than
          these limits keeps only its first rows, so a large result cannot exhaust this tab’s memory.
        </p>
        {FIELDS.map(({ key, label }) => (
          <label key={key}>
            <span>{label}</span>
            <input
              inputMode="numeric"
              value={draft[key]}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            />
          </label>
        ))}
        {problem && (
          <p className="dialog-error" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => setDraft(draftOf(DEFAULT_LIMITS))}>
            Defaults
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit">Save limits</button>
        </div>
      </form>
    </Dialog>
  );
}

export function SettingsButton() {
  const [open, setOpen] = useState(false);
  const limits = useNotebook((s) => s.limits);
  const time = limits.timeLimitSeconds > 0 ? `${limits.timeLimitSeconds} s` : 'no time limit';
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        title={`Query limits: ${time}, ${limits.maxRows.toLocaleString('en-US')} rows, ${limits.maxResultMb} MB`}
      >
        Settings
      </button>
      {open && <QueryLimitsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
