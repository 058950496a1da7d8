// ESLint (flat config): typescript-eslint's recommended rules, type-aware, plus the few rules that catch bugs
// in this codebase. Formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import { fileURLToPath, URL } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOOR = 'adapters act through the RuntimeNode (issue 12)';

export default tseslint.config(
  { ignores: ['dist/', 'reports/', 'examples/', 'test/fixtures/', 'node_modules/', 'bench/porcupine/.cache/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // One program for src, bench and test (tsconfig.json builds only src and bench): a single type-check,
        // ~15 s of the lint's time on 2 cores.
        project: './tsconfig.eslint.json',
        tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)),
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection kills the run) and its ordering.
      // `void p` says on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (an event handler): its rejection goes nowhere.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on something that is not a promise: usually a missing call or a wrong variable.
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: 'error',
    },
  },
  {
    // The node is the only door to a node (issue 12, Jepsen's Remote): adapters never reach the host's files,
    // processes or the local runtime's internals, so another runtime (docker) stays one folder.
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:child_process', 'child_process'].map((name) => ({ name, message: DOOR })),
          patterns: [{ regex: 'runtime/local', message: DOOR }],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'kill', message: DOOR }],
    },
  },
  {
    // The one file under src/adapters that reads the host's filesystem: it finds and imports an --adapter
    // module where faultline runs. It never acts on a node.
    files: ['src/adapters/external.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests read loosely typed stats and verdict objects deep down (s.windows[0].rpo); the expect() is the check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
