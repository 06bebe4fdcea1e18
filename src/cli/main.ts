/** The `lantern` command: one entry point, a sub-command per task, `--help` everywhere. */
import { analyseAdCommand } from './commands/analyse-ad.js';
import { chatCommand } from './commands/chat.js';
import { lintCommand, validateCommand } from './commands/check.js';
import { graphCommand } from './commands/graph.js';
import { hotlinesCommand } from './commands/hotlines.js';
import { i18nCommand } from './commands/i18n.js';
import { qrCommand } from './commands/qr.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { statsCommand } from './commands/stats.js';
import { testCommand } from './commands/test.js';
import { helpOf, parseCommandArgs, UsageError, type Command } from './command.js';

const commands: Command[] = [serveCommand, validateCommand, lintCommand, chatCommand, graphCommand, testCommand, analyseAdCommand, hotlinesCommand, qrCommand, i18nCommand, statsCommand, schemaCommand];

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

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`unknown command \`${name}\`\n\n${overview()}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      process.stdout.write(`${helpOf(command)}\n`);
      return 0;
    }
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${helpOf(command)}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
