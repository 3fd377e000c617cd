import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'data',
      '.*-scratch/**',
      'dist-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Layer boundaries: the UI and the notebook store know engines only by the contract (src/contract), which
  // every engine implements; main.tsx alone picks the engine. Engines know nothing of the notebook or the UI.
  {
    files: ['src/components/**', 'src/notebook/**'],
    rules: restrict(
      ['@duckdb/*', 'parquet-wasm', '**/engine/**', '**/engine'],
      'UI and notebook reach an engine only through src/contract (results, connector, governance, ingest).',
    ),
  },
  {
    files: ['src/engine/**'],
    rules: restrict(
      ['**/notebook/**', '**/components/**', 'react', 'react-dom'],
      'An engine knows nothing of the notebook or the UI.',
    ),
  },
  // The page's side of an engine and the worker's side meet only in the message protocol (src/engine/protocol.ts).
  {
    files: ['src/engine/page/**'],
    rules: restrict(
      ['**/notebook/**', '**/components/**', 'react', 'react-dom', '**/worker/**', '@duckdb/*'],
      'The page side of the engine talks to the worker through the protocol only, and knows nothing of the UI.',
    ),
  },
  {
    files: ['src/engine/worker/**'],
    rules: restrict(
      ['**/notebook/**', '**/components/**', 'react', 'react-dom', '**/page/**'],
      'The worker side of the engine knows nothing of the page, the notebook or the UI.',
    ),
  },
  {
    files: ['server/**'],
    // Tests may read results the way the page does, to check that both engines' results read the same.
    ignores: ['server/**/*.test.ts'],
    rules: restrict(
      [
        '**/notebook/**',
        '**/components/**',
        'react',
        'react-dom',
        '@duckdb/duckdb-wasm/dist/duckdb-browser*',
      ],
      'The server is an engine: it knows nothing of the notebook or the UI.',
    ),
  },
  {
    files: ['src/contract/**'],
    rules: restrict(
      ['**/engine/**', '**/notebook/**', '**/components/**', 'react', 'react-dom', '@duckdb/*'],
      'The contract is shared by every engine and the UI: it depends on neither.',
    ),
  },
  // Pure logic stays free of React and the DOM so it runs in Node.
  {
    files: ['src/gov/**', 'src/notebook/model/**', 'src/lake/**'],
    rules: restrict(['react', 'react-dom', '**/components/**'], 'Pure logic must not depend on the UI.'),
  },
);
