import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// One owner per table (SQL only in <table>-store.ts, through queryRows/execute, no SELECT *): shared with the lint test.
import { tableStores } from './eslint-rules/raw-query.cjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/artifacts/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  { files: ['test/**', 'bench/**', 'src/cli/**', 'src/main.ts'], rules: { 'no-console': 'off' } },
  ...tableStores(),
);
