/**
 * The `lantern` command: one entry point, a sub-command per task, `--help` everywhere.
 * `run(argv, io)` is what bin/lantern.js calls and what tests call in-process. This file imports
 * no command: each is loaded when it runs, so `lantern --help` loads no engine and no SDK.
 */
import { helpOf, parseCommandArgs, UsageError, type CliIo, type CommandEntry } from './command.js';

export type { CliIo } from './command.js';

const commands: CommandEntry[] = [
  {
    name: 'serve',
    summary: 'serve the web widget, Direct Line, /api/messages, health and metrics (and Telegram when a token is set)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  { name: 'validate', summary: 'parse and check every file in flows/ and locales/', load: async () => (await import('./commands/check.js')).validateCommand },
  {
    name: 'lint',
    summary: 'validate plus deeper checks: unreachable states, dead ends, translations, button limits, phone numbers',
    load: async () => (await import('./commands/check.js')).lintCommand,
  },
  {
    name: 'chat',
    summary: 'chat with the bot in the terminal (answers by number or label); reads stdin line by line when it is not a terminal',
    load: async () => (await import('./commands/chat.js')).chatCommand,
  },
  {
    name: 'explain',
    summary: 'show what the bot reads in one typed message: intent, concepts and the words that fired them, places, as JSON',
    load: async () => (await import('./commands/chat.js')).explainCommand,
  },
  { name: 'graph', summary: 'draw a flow as a Mermaid or Graphviz (dot) diagram', load: async () => (await import('./commands/graph.js')).graphCommand },
  {
    name: 'test',
    summary: 'run conversation transcripts (user says / bot must say) against the current flows',
    load: async () => (await import('./commands/test.js')).testCommand,
  },
  {
    name: 'analyse-ad',
    summary: 'check a job ad for trafficking red-flag phrases (file or standard input)',
    load: async () => (await import('./commands/analyse-ad.js')).analyseAdCommand,
  },
  {
    name: 'hotlines',
    summary: 'list the hotline directory (numbers users are shown, by country)',
    load: async () => (await import('./commands/hotlines.js')).hotlinesCommand,
  },
  {
    name: 'qr',
    summary: 'print a Telegram deep link that opens the bot in a country and language, and write its QR code (PNG)',
    load: async () => (await import('./commands/qr.js')).qrCommand,
  },
  {
    name: 'i18n',
    summary: 'export strings for translators (PO or CSV, with the English source and where each appears) and import them back',
    load: async () => (await import('./commands/i18n.js')).i18nCommand,
  },
  {
    name: 'stats',
    summary: "print a running server's anonymous figures: where people leave each flow, screening results, hotlines shown",
    load: async () => (await import('./commands/stats.js')).statsCommand,
  },
  {
    name: 'studio',
    summary: 'open the browser workbench for NGO staff: flows, simulator, translations, hotlines, versions',
    load: async () => (await import('./commands/studio.js')).studioCommand,
  },
  {
    name: 'schema',
    summary: 'write JSON Schemas for the files in flows/ (for editor completion and checks)',
    load: async () => (await import('./commands/schema.js')).schemaCommand,
  },
];

const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

function overview(): string {
  return [
    'lantern — a chatbot that helps job seekers spot trafficking red flags and reach a hotline',
    '',
    'Usage: lantern <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`),
    '',
    'Run `lantern <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs `lantern <argv>` and returns its exit code (usage errors: 2). Errors that are not the user's are thrown. */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`unknown command \`${name}\`\n\n${overview()}\n`);
    return 2;
  }
  const command = await entry.load();
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout.write(`${helpOf(entry, command)}\n`);
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${helpOf(entry, command)}\n`);
      return 2;
    }
    throw error;
  }
}
