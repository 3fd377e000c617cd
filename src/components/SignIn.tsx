/** The Lakebook server's sign-in: the user pastes the access token the administrator gave them. */
import { useState } from 'react';

export interface SignInProps {
  /** Why the server did not let the page in (no token, a token it does not know). */
  problem: string;
  onToken(token: string): void;
}

export function SignIn({ problem, onToken }: SignInProps) {
  const [token, setToken] = useState('');
  return (
    <main className="sign-in">
      <h1>Lakebook</h1>
      <p role="alert">{problem}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label>
          Access token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p>
        Your administrator gives you a token, or an address that carries it. The server decides your role from
        it; your data never depends on what this page asks for.
      </p>
    </main>
  );
}
