/**
 * When the lake's access policy cannot be read or is invalid, nothing may be shown: the page stops here
 * with what is wrong, instead of falling back to any access at all. Saved notebooks stay untouched.
 */
import type { ReactNode } from 'react';
import { useNotebook } from '../app-context';
import './governance.css';

export function PolicyGate({ children }: { children: ReactNode }) {
  const error = useNotebook((s) => (s.engine.status === 'failed' ? s.engine.error : undefined));
  if (error?.code !== 'POLICY') return <>{children}</>;
  const [first, ...details] = error.message.split('\n');
  return (
    <main className="policy-stop">
      <section role="alert" aria-labelledby="policy-stop-title">
        <h1 id="policy-stop-title">Lakebook stopped: the access policy is not valid</h1>
        <p>{first}</p>
        {details.length > 0 && (
          <ul>
            {details.map((d) => (
              <li key={d}>
                <code>{d}</code>
              </li>
            ))}
          </ul>
        )}
        <p>
          {error.hint ?? 'Fix policy.json in the lake.'} No data is shown and no query runs until the policy
          is valid; your saved notebooks are kept.
        </p>
      </section>
    </main>
  );
}
