/** The shape of a `lantern` sub-command and its shared option parsing. */
import { parseArgs } from 'node:util';

/** One command-line option and the sentence `--help` prints for it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
}

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** What `lantern --help` lists without loading any command: its name and one line. */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Loads the command's module (and with it whatever SDK it needs) only when it is run. */
  load(): Promise<Command>;
}

/** One sub-command: its help text, options and what it does. */
export interface Command {
  usage: string;
  /** Extra lines for `--help` (examples, variables). */
  details?: () => string;
  options: Record<string, OptionSpec>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

/** Thrown for wrong command-line use; printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses argv for a command, with `--help` on every command. */
export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    const options = Object.fromEntries(Object.entries(command.options).map(([name, { type, short }]) => [name, short ? { type, short } : { type }]));
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The help text of a command. */
export function helpOf(entry: Pick<CommandEntry, 'name' | 'summary'>, command: Command): string {
  const lines = [`lantern ${entry.name} — ${entry.summary}`, '', `Usage: ${command.usage}`];
  const opts = Object.entries(command.options);
  if (opts.length) {
    lines.push('', 'Options:');
    for (const [name, o] of opts) {
      const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
      lines.push(`  ${flag.padEnd(26)}${o.description}`);
    }
  }
  lines.push('  -h, --help                Show this help.');
  if (command.details) lines.push('', command.details());
  return lines.join('\n');
}
