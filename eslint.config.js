// Import boundaries follow DESIGN.md: each folder may only reach the runtimes it runs in.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const ours = (...folders) => folders.map((folder) => `**/${folder}/**`);

function forbid(groups, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['protocol/**'],
    rules: forbid(
      ours('server', 'main', 'preload', 'renderer', 'widget', 'test'),
      'protocol/ imports nothing of ours.',
    ),
  },
  {
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'main/core never imports electron: add a port in main/core/ports.ts.',
            },
          ],
          patterns: [
            {
              group: ours('renderer', 'preload', 'widget'),
              message: 'main/core serves the renderer, never imports it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        ours('main', 'server', 'preload'),
        'renderer/ talks to the world only through window.parley.',
      ),
    },
  },
  {
    files: ['widget/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(
      ours('main', 'server', 'renderer', 'preload'),
      'widget/ is served by the server and stands alone.',
    ),
  },
  {
    files: ['server/**'],
    rules: forbid(ours('main', 'renderer', 'preload'), 'server/ never imports the desktop client.'),
  },
  {
    files: ['preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(ours('main', 'server', 'renderer'), 'preload/ only bridges the IPC contract.'),
  },
  {
    files: ['test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
