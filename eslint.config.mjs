// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'bench-results/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Nest classes (modules, DTOs) are legitimately empty or decorator-only.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Async generators over synchronous drivers (better-sqlite3) legitimately have no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The domain is pure: no framework, no driver, no I/O. Time comes in with the command.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'class-validator', 'class-transformer', 'rxjs'],
              message: 'libs/domain is framework-free.',
            },
            {
              group: ['better-sqlite3', '@eventstore/*', 'express', 'pdf-lib', '@signpdf/*'],
              message: 'libs/domain does no I/O.',
            },
            {
              group: ['@netral/*', '!@netral/domain'],
              message: 'libs/domain depends on no other lib.',
            },
            {
              // Only its own files and node:crypto (hashing is computation, not I/O): not node:https,
              // worker_threads, process or any other built-in, nor any package not named above.
              regex: '^(?!\\.{1,2}/|node:crypto$|@netral/)',
              message: 'libs/domain imports only its own files and node:crypto.',
            },
            {
              // libs/domain/src/<dir>/<file>.ts is the deepest file: two levels up leave src, reaching
              // another lib or app by a relative path.
              regex: '^(\\.\\./){2,}',
              message: 'libs/domain depends on no other lib or app, relative paths included.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'Date',
          message: 'Pass time in with the command metadata (no clock in the domain).',
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'No clock in the domain.' },
      ],
    },
  },
  {
    // Tests may use loose typing around JSON bodies.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'libs/testing/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
