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
  // Layer boundaries: UI reaches the engine only through the notebook store and the engine client.
  {
    files: ['src/components/**'],
    rules: restrict(
      ['@duckdb/*', 'parquet-wasm', '**/engine/worker*', '**/engine/duckdb*'],
      'UI talks to the engine through the notebook store.',
    ),
  },
  // Pure logic stays free of React and the DOM so it runs in Node.
  {
    files: ['src/gov/**', 'src/notebook/model/**', 'src/lake/**'],
    rules: restrict(['react', 'react-dom', '**/components/**'], 'Pure logic must not depend on the UI.'),
  },
);
