// Boundaries between folders (see DESIGN.md "Layout"): each SDK stays in its folder, channels
// never import each other, the engine imports no channel, no HTTP and no concrete store.
import tseslint from 'typescript-eslint';

const sdk = (names, message) => names.map((name) => ({ name, message }));
const only = (folder, packages) => ({ group: packages, message: `only ${folder} may import this package` });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'data/**', 'flows/schema/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/channels/telegram/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [only('src/channels/telegram/', ['telegraf', 'telegraf/*'])] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/channels/telegram/**', 'src/channels/botframework/**', 'src/engine/**', 'src/flows/**', 'src/i18n/**', 'src/server/config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            only('src/channels/telegram/', ['telegraf', 'telegraf/*']),
            only('src/channels/botframework/', ['botbuilder', 'botbuilder-*', 'botframework-connector', 'botframework-schema']),
            only('src/engine/ and src/flows/', ['xstate', 'xstate/*']),
            only('src/i18n/', ['i18next', 'i18next/*']),
          ],
        },
      ],
    },
  },
  {
    files: ['src/channels/telegram/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../botframework/*', '../webchat/*', '../../channels/*'], message: 'channels never import each other' }, only('src/channels/botframework/', ['botbuilder', 'botbuilder-*']), only('src/engine/', ['xstate']), only('src/i18n/', ['i18next'])] },
      ],
    },
  },
  {
    files: ['src/channels/botframework/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../telegram/*', '../webchat/*'], message: 'channels never import each other' }, only('src/channels/telegram/', ['telegraf', 'telegraf/*']), only('src/engine/', ['xstate']), only('src/i18n/', ['i18next'])] },
      ],
    },
  },
  {
    files: ['src/channels/webchat/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../telegram/*', '../botframework/*'], message: 'channels never import each other: the server composes them' },
            only('src/channels/telegram/', ['telegraf', 'telegraf/*']),
            only('src/channels/botframework/', ['botbuilder', 'botbuilder-*']),
            only('src/engine/', ['xstate']),
            only('src/i18n/', ['i18next']),
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/flows/**/*.ts', 'src/i18n/**/*.ts', 'src/screening/**/*.ts', 'src/content/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: sdk(['node:http', 'node:https', 'http', 'https', 'telegraf', 'botbuilder', 'ioredis', 'better-sqlite3'], 'the core does no network or storage I/O: the host (src/server) does'),
          patterns: [
            { group: ['../channels/*', '../server/*', '../cli/*'], message: 'arrows point inwards: the core never imports channels, the server or the CLI' },
            { group: ['../store/*-store.js'], message: 'the core knows only the store interface (src/store/index.ts)' },
            { group: ['../store/index.js'], allowTypeImports: true, message: 'the core imports only the store interface types' },
            { group: ['i18next', 'i18next/*'], message: 'only src/i18n/ may import i18next' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/i18n/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: sdk(['xstate'], 'only src/engine/ and src/flows/ may import xstate') }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through src/server/config.ts (zod-validated)' }],
    },
  },
);
