// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The import direction of ARCHITECTURE.md, enforced: each zone lists what it may NOT import.
 * Patterns match relative specifiers (`../ui/x`) and package names alike.
 */
const forbid = (/** @type {string[]} */ groups, /** @type {string} */ message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

const notFhir = ['fhirclient', 'fhirclient/*', '@medplum/*'];
const notReact = ['react', 'react-dom', 'react/*', 'react-dom/*', '@tanstack/*'];
const notEntryPoints = ['**/sandbox/**', '**/cli/**', '**/bench/**', '**/tests/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'coverage/**', 'stubs/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'launch/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: forbid(
      [
        ...notFhir,
        ...notReact,
        '**/fhir/**',
        '**/engine/**',
        '**/ui/**',
        '**/note/**',
        '**/config/**',
        ...notEntryPoints,
      ],
      'domain/ imports nothing of ours (ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: forbid(
      [...notFhir, ...notReact, '**/fhir/**', '**/ui/**', '**/note/**', '**/config/**', ...notEntryPoints],
      'engine/ is pure: it imports domain/ only (ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/note/**/*.ts'],
    rules: forbid(
      [...notFhir, ...notReact, '**/fhir/**', '**/ui/**', '**/config/**', ...notEntryPoints],
      'note/ is pure: it imports domain/ and engine/result only (ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/fhir/**/*.ts'],
    rules: forbid(
      [...notReact, '**/engine/**', '**/ui/**', '**/note/**', ...notEntryPoints],
      'fhir/ imports domain/ and config/ only (ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: forbid(
      ['fhirclient', 'fhirclient/*', '@medplum/*', ...notEntryPoints],
      'ui/ never touches raw FHIR or fhirclient: data comes from hooks (ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/**/*.{ts,tsx}', 'launch/**/*.ts'],
    ignores: ['src/domain/**', 'src/engine/**', 'src/note/**', 'src/fhir/**', 'src/ui/**'],
    rules: forbid(notEntryPoints, 'The app never imports the sandbox, the CLI, benchmarks or tests.'),
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: forbid(
      ['**/src/fhir/map/**', '**/src/fhir/schemas/**', '**/src/engine/**', '**/src/ui/**', '**/src/note/**'],
      'The sandbox may import src/fhir/codes.ts only: it must not be shaped by the code it tests (ARCHITECTURE.md).',
    ),
  },
);
