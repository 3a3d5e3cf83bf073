// Lint: typescript-eslint strict (type-checked), jsx-a11y and React hooks for the renderer, and the import
// boundaries of ARCHITECTURE §3 (core imports no electron/main/sandbox/renderer; the sandbox no core; main the sandbox
// only lazily; renderer only contract types; the platform protocol imports none of them and only core, the contract
// and the sandbox import it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const restricted = '@typescript-eslint/no-restricted-imports';

/** The layering rules, exported so a unit test can show each one firing. */
export const boundaries = [
  {
    // The shared pure layer runs in core, main, the sandbox and the renderer alike: web-standard APIs only (Intl,
    // TextEncoder, WebCrypto), and it depends on no other layer.
    files: ['electron/common/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          paths: [
            { name: 'electron', message: 'common runs everywhere: no Electron (ARCHITECTURE §3).' },
            ...builtinModules.map((name) => ({ name, message: 'common runs in the renderer too: no Node.js module.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'common runs in the renderer too: no Node.js module.' },
            {
              group: ['**/contract/**', '**/core/**', '**/main/**', '**/preload/**', '**/sandbox/**', '**/renderer/**', '**/protocol/**'],
              message: 'common is the bottom layer: it imports no other part of the app.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map((name) => ({ name, message: 'common runs in core and the sandbox too: no DOM.' })),
        ...['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({ name, message: 'common runs in the renderer too: no Node.js global.' })),
      ],
    },
  },
  {
    files: ['electron/core/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          paths: [
            { name: 'electron', message: 'core runs in plain Node: inject an adapter from main instead (ARCHITECTURE §3).' },
            { name: 'electron-store', message: 'core takes a KeyValueStore port; main passes electron-store.' },
          ],
          patterns: [
            { group: ['**/main/**', '**/main', '**/sandbox/**', '**/sandbox', '**/renderer/**', '**/renderer'], message: 'core must not import main, sandbox or renderer (ARCHITECTURE §3).' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/sandbox/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          paths: [{ name: 'electron', message: 'the sandbox runs in plain Node as well as in main.' }],
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'the sandbox must not import main or renderer.' },
            // The platform the client is tested against shares no code path with the client (a shared mistake would hide on both sides).
            { group: ['**/core/**', '**/core'], message: 'the sandbox must not import core: use electron/common or the protocol module, or keep its own.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          patterns: [
            // Only a dynamic import() of the sandbox, for the demo profile, so it stays out of the start-up chunk.
            { group: ['**/sandbox/**', '**/sandbox'], allowTypeImports: true, message: 'main loads the sandbox lazily (await import(…)) for the demo profile only, never with a static import.' },
            { group: ['**/protocol/**', '**/protocol'], message: 'main and preload do not import the platform protocol: core speaks it (ARCHITECTURE §3).' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          paths: [{ name: 'electron', message: 'the renderer reaches main only through window.mydata.' }],
          patterns: [
            { group: ['**/electron/contract/**', '**/electron/contract'], allowTypeImports: true, message: 'the renderer may import only types from the contract (use `import type`).' },
            { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/sandbox/**', '**/electron/protocol/**', '**/electron/protocol'], message: 'the renderer may import only the contract’s types from electron/.' },
            { group: ['node:*'], message: 'the renderer has no Node.js.' },
          ],
        },
      ],
    },
  },
  {
    // The platform protocol sits under both the client (core) and the sandbox: it must lean on neither.
    files: ['electron/protocol/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        {
          paths: [{ name: 'electron', message: 'the protocol runs in plain Node, in core and in the sandbox alike.' }],
          patterns: [
            {
              group: ['**/core/**', '**/core', '**/main/**', '**/main', '**/sandbox/**', '**/sandbox', '**/renderer/**', '**/renderer', '**/preload/**', '**/preload'],
              message: 'the protocol imports nothing from core, main, sandbox, preload or renderer (ARCHITECTURE §3).',
            },
          ],
        },
      ],
    },
  },
  {
    // Only core, the contract and the sandbox speak the platform protocol; main (see its block above) and preload reach the platform through core.
    files: ['electron/preload/**/*.{ts,tsx}'],
    rules: {
      [restricted]: [
        'error',
        { patterns: [{ group: ['**/protocol/**', '**/protocol'], message: 'main and preload do not import the platform protocol: core speaks it (ARCHITECTURE §3).' }] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'screenshots/**', 'coverage/**', 'build/**', 'test/fixtures/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'test/tools/*.mjs', 'test/bench/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...jsxA11y.flatConfigs.strict,
    languageOptions: { ...jsxA11y.flatConfigs.strict.languageOptions, globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['test/**/*.{ts,tsx,mjs}'],
    rules: {
      // Tests reach into values loosely on purpose (fixtures, parsed JSON); keep the strict rules for app code.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-empty-pattern': 'off',
    },
  },
  ...boundaries,
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
