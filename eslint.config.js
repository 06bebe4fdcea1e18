// Boundaries between folders (DESIGN.md "Layout"): each SDK stays in its folder, channels never
// import each other, and the core (engine, flows, screening, content, i18n) does no I/O and
// imports no channel, server, CLI or concrete store. One block per folder, each complete,
// because a later flat-config block replaces a rule's options rather than merging them.
import tseslint from 'typescript-eslint';

/** Which folders may import which SDK. */
const owners = [
  { packages: ['telegraf', 'telegraf/*'], folders: ['src/channels/telegram'] },
  { packages: ['botbuilder', 'botbuilder-*', 'botframework-connector', 'botframework-schema'], folders: ['src/channels/botframework'] },
  { packages: ['xstate', 'xstate/*'], folders: ['src/engine', 'src/flows'] },
  { packages: ['i18next', 'i18next/*'], folders: ['src/i18n'] },
];
const core = ['src/engine', 'src/flows', 'src/screening', 'src/content', 'src/i18n', 'src/understanding'];
const channels = ['telegram', 'botframework', 'webchat'];
/** Inner folders that must not import these siblings, so that no two folders import each other. */
const below = {
  'src/flows': ['content', 'i18n', 'engine', 'screening'],
  'src/i18n': ['content', 'flows', 'engine'],
  'src/content': ['engine'],
};
const folders = [...core, 'src/store', 'src/server', 'src/cli', ...channels.map((c) => `src/channels/${c}`)];

function patternsFor(folder) {
  const patterns = owners
    .filter((o) => !o.folders.includes(folder))
    .map((o) => ({ group: o.packages, message: `only ${o.folders.map((f) => `${f}/`).join(' and ')} may import this package` }));
  if (folder.startsWith('src/channels/')) {
    const others = channels.filter((c) => `src/channels/${c}` !== folder);
    patterns.push({ group: others.map((c) => `../${c}/*`), message: 'channels never import each other: the server composes them' });
  }
  if (below[folder]) {
    patterns.push({
      group: below[folder].map((f) => `../${f}/*`),
      message: 'src/content loads flows/ and locales/ with the schemas of src/flows, src/i18n and src/screening; those never import it back (no folder cycles)',
    });
  }
  if (core.includes(folder)) {
    patterns.push(
      {
        group: ['node:http', 'node:https', 'http', 'https', 'ioredis', 'better-sqlite3'],
        message: 'the core does no network or storage I/O: the host (src/server) does',
      },
      { group: ['../channels/*', '../server/*', '../cli/*'], message: 'arrows point inwards: the core never imports channels, the server or the CLI' },
      { group: ['../store/*-store.js'], message: 'the core knows only the store interface (src/store/index.ts)' },
      { group: ['../store/index.js'], allowTypeImports: true, message: 'the core imports only the store interface types' },
    );
  }
  return patterns;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'data/**', 'flows/schema/**'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } },
  ...folders.map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patternsFor(folder) }] },
  })),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through src/server/config.ts (zod-validated)' }],
    },
  },
);
