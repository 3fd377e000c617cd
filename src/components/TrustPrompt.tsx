/**
 * Asks the reader of a notebook from a link or a file whether it may run. Every query runs in the reader's
 * name and role, so nothing in such a notebook queries (cells, charts, the read-only view) until they say so.
 */
import { useNotebook } from './app-context';

export function TrustPrompt() {
  const trusted = useNotebook((s) => s.trusted);
  const role = useNotebook((s) => s.session.role);
  const trust = useNotebook((s) => s.trustNotebook);
  if (trusted) return null;
  return (
    <section className="trust-prompt" aria-label="Notebook from outside">
      <p>
        This notebook came from a link or a file, and nothing in it has run. Its queries would run in your
        name, as <strong>{role}</strong>: read its cells first.
      </p>
      <button type="button" onClick={() => void trust()}>
        Run this notebook as {role}?
      </button>
    </section>
  );
}

/** What an untrusted notebook's chart shows instead of querying. */
export const UNTRUSTED_CHART = 'Not drawn: this notebook has not been confirmed to run yet.';
