// ESLint flat config: typescript-eslint's type-aware recommended rules over every TypeScript file the
// typecheck covers (one program, tsconfig.check.json), the plain recommended rules over the .mjs/.js scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import requireErrorListener from './eslint-rules/require-error-listener.mjs';
import noTrailingRunRegex from './eslint-rules/no-trailing-run-regex.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'bench/.data/**',
      'bench/results/**',
      // Evidence fixture (a 1Password profile.js as the app writes it), not code of ours.
      'packages/parsers/fixtures/text-vaults/profile.js',
      // Evidence fixture (1Password Agile Keychain encryptionKeys.js, JSON as the app writes it).
      'packages/parsers/fixtures/text-vaults/encryptionKeys.js',
      // Evidence fixture (text with "ustar" at offset 257, like tar-stream's headers.js), not code of ours.
      'packages/parsers/fixtures/archives/ustar-in-text.js',
      // Evidence fixtures: HLS media segments (MPEG transport streams, .ts) made by ffmpeg, not TypeScript.
      'packages/parsers/fixtures/hls-*/**/*.ts',
    ],
  },
  js.configs.recommended,
  {
    // Our own rule: an 'error' event nobody listens for ends the process. Tests are left out: there an
    // unheard error fails the run, which is what a test wants.
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    ignores: ['test/**', '**/*.test.ts', '**/*.test-helper.ts'],
    plugins: {
      evtriage: {
        rules: { 'require-error-listener': requireErrorListener, 'no-trailing-run-regex': noTrailingRunRegex },
      },
    },
    rules: { 'evtriage/require-error-listener': 'error' },
  },
  {
    // Readers of untrusted text: a trailing-run regex is quadratic on a long run (text-ends.ts).
    files: ['packages/parsers/src/**/*.ts'],
    // sevenzip/ reads 7-Zip's own listing (slt-listing.ts trims a time's fraction of 7 digits).
    ignores: ['**/*.test.ts', '**/*.test-helper.ts', 'packages/parsers/src/sevenzip/**'],
    rules: { 'evtriage/no-trailing-run-regex': 'error' },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.check.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Many implementations satisfy a Promise-returning interface (EvidenceSource.close, ItemReader.read...)
      // with an `async` body that does not await: `async` is what turns a throw into a rejection the caller
      // handles. Dropping it to please this rule would make such throws synchronous, so the rule is off.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a parameter an interface requires but this implementation does not use, and
      // `{ dropped: _x, ...rest }` copies an object without one field.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS scripts (a `node --require` preload must be one): require() is their import.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
