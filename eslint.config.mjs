// Flat, type-aware ESLint config (STYLE R15); Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Every lib obeys these; a lib-specific block below repeats them, because a later block replaces the rule.
const BASE_IMPORT_PATTERNS = [
  {
    group: ['../../*'],
    message: 'Import other libs through @app/<lib>; ../ chains are not allowed (STYLE R2).',
  },
  { group: ['@app/*/src/*'], message: 'Import a lib through its public entry @app/<lib>.' },
];

/** `no-restricted-imports` with the base patterns, `banned` modules and `extra` patterns (STYLE §9 layers). */
function restrictImports(banned, message, extra = []) {
  const bannedPatterns = banned.map((name) => ({ group: [name, `${name}/*`], message }));
  return ['error', { patterns: [...BASE_IMPORT_PATTERNS, ...bannedPatterns, ...extra] }];
}

const CONNECTORS_BANNED = ['@app/database', '@app/sync', '@app/sources', 'typeorm', '@nestjs/typeorm', 'pg'];
const CONNECTORS_MESSAGE =
  'libs/connectors never touches the database or a domain: storage belongs to libs/sync (STYLE §9).';

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      curly: 'error',
      eqeqeq: 'error',
      'no-restricted-imports': ['error', { patterns: BASE_IMPORT_PATTERNS }],
    },
  },
  {
    // Connectors are the contract and one folder per app: they call providers, never the database (§9).
    files: ['libs/connectors/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports(CONNECTORS_BANNED, CONNECTORS_MESSAGE) },
  },
  {
    // An app folder imports only core/, never another app.
    files: ['libs/connectors/src/*/**/*.ts'],
    ignores: ['libs/connectors/src/core/**'],
    rules: {
      'no-restricted-imports': restrictImports(CONNECTORS_BANNED, CONNECTORS_MESSAGE, [
        { regex: '^\\.\\./(?!core/)', message: 'An app folder imports only ../core, never another app (STYLE §9).' },
      ]),
    },
  },
  {
    // core/ reaches the app folders only through the one list of definitions.
    files: ['libs/connectors/src/core/**/*.ts'],
    ignores: ['libs/connectors/src/core/connector-definitions.ts'],
    rules: {
      'no-restricted-imports': restrictImports(CONNECTORS_BANNED, CONNECTORS_MESSAGE, [
        { regex: '^\\.\\./', message: 'core/ reaches app folders only through connector-definitions.ts (STYLE §9).' },
      ]),
    },
  },
  {
    // Sibling domains never import each other; shared contracts live in @app/temporal or @app/connectors.
    files: ['libs/sources/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(['@app/sync'], 'sources must not import the sync domain (STYLE §9).'),
    },
  },
  {
    files: ['libs/sync/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(['@app/sources'], 'sync must not import the sources domain (STYLE §9).'),
    },
  },
  {
    // Ingestion is re-used by the worker later: apps/ingest composes it with sources, never the reverse.
    files: ['libs/ingestion/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(
        ['@app/sources', '@app/sync'],
        'ingestion must not import the sources or sync domains; apps/ingest composes them (STYLE §9).',
      ),
    },
  },
  {
    // Libraries never read the environment: configuration comes from @app/config (STYLE R6).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @app/config.' },
      ],
    },
  },
  {
    // The browser SDK runs in pages: DOM globals, its own tsconfig (packages/browser/tsconfig.json).
    files: ['packages/browser/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: [
      'test/**/*.ts',
      '**/*.spec.ts',
      'scripts/**/*.ts',
      'emulators/**/*.ts',
      'bench/**/*.ts',
      'packages/*/test/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': 'off',
    },
  },
  prettier,
);
