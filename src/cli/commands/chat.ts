/** `lantern chat`: talk to the bot in the terminal, exactly as a channel would. */
import { createInterface } from 'node:readline';
import type { Choice, Inbound, InboundEvent, Outbound, Session } from '../../engine/index.js';
import type { Command } from '../command.js';
import { contentPaths, loadEngineOrReport } from '../project.js';

/** Turns a typed line into an event: `/cmd args`, a number or label of the last buttons, or text. */
export function lineToEvent(line: string, lastChoices: readonly Choice[]): InboundEvent {
  const trimmed = line.trim();
  const command = /^\/(\w+)(?:\s+(.*))?$/.exec(trimmed);
  if (command) {
    const [, name, args] = command;
    if (name === 'start') return { type: 'start', ...(args ? { payload: args } : {}) };
    return { type: 'command', command: name!, ...(args ? { args } : {}) };
  }
  if (/^\d{1,2}$/.test(trimmed)) {
    const choice = lastChoices[Number(trimmed) - 1];
    if (choice) return { type: 'choice', id: choice.id };
  }
  const byLabel = lastChoices.find((c) => c.label.toLowerCase() === trimmed.toLowerCase());
  if (byLabel) return { type: 'choice', id: byLabel.id };
  return { type: 'text', text: line };
}

/** Renders messages for a terminal; returns the buttons shown last. */
export function renderForTerminal(messages: readonly Outbound[], write: (line: string) => void): Choice[] {
  let choices: Choice[] = [];
  for (const m of messages) {
    switch (m.type) {
      case 'text':
        write(`bot: ${m.text}`);
        break;
      case 'choices':
        write(`bot: ${m.text}`);
        m.choices.forEach((c, i) => write(`  ${i + 1}. ${c.label}`));
        choices = m.choices;
        break;
      case 'contact':
        write(`  ☎ ${m.label}: ${m.number}  (dial ${m.dial})`);
        break;
      case 'link':
        write(`  ↗ ${m.label}: ${m.url}`);
        break;
      case 'end':
        write('  (end of conversation: write anything to start again)');
        break;
      case 'forget':
        write('  (this conversation was deleted)');
        break;
    }
  }
  return choices;
}

/** `lantern chat [--lang xx] [--country CC] [--flow id]` */
export const chatCommand: Command = {
  usage: 'lantern chat [--lang xx] [--country CC] [--flow id] [--dir path]',
  options: {
    lang: { type: 'string', description: 'Language, e.g. uk or pt-BR.' },
    country: { type: 'string', description: 'Country code, e.g. MD.' },
    flow: { type: 'string', description: 'Start in this flow instead of the main menu.' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/.' },
  },
  details: () => 'Type /menu, /language, /help, /forget or /start md_ro like in Telegram. Ctrl-D ends.',
  async run(values, _positionals, io) {
    const built = loadEngineOrReport(contentPaths(values.dir as string | undefined), { language: (values.lang as string) ?? 'en', ...(values.country ? { country: String(values.country).toUpperCase() } : {}) }, io.stderr);
    if (!built) return 1;
    if (values.flow && !built.content.flows.has(values.flow as string)) {
      io.stderr.write(`unknown flow \`${values.flow}\`: flows are ${[...built.content.flows.keys()].join(', ')}\n`);
      return 2;
    }
    const tty = io.stdin.isTTY === true;
    const write = (line: string) => io.stdout.write(`${line}\n`);
    let session: Session | undefined;
    let choices: Choice[] = [];
    const base: Omit<Inbound, 'event'> = { conversation: 'terminal', channel: 'terminal', ...(values.lang ? { languageHint: values.lang as string } : {}), ...(values.country ? { countryHint: values.country as string } : {}) };
    const turn = (event: InboundEvent) => {
      const result = built.engine.step(session, { ...base, event });
      session = result.session ?? undefined;
      choices = renderForTerminal(result.reply.messages, write);
    };
    if (values.flow) {
      const result = built.engine.begin(base, values.flow as string);
      session = result.session ?? undefined;
      choices = renderForTerminal(result.reply.messages, write);
    } else turn({ type: 'start' });
    const rl = createInterface({ input: io.stdin, ...(tty ? { output: io.stdout, prompt: 'you> ' } : {}), terminal: tty });
    if (tty) rl.prompt();
    for await (const line of rl) {
      if (!tty) write(`> ${line}`);
      if (line.trim()) turn(lineToEvent(line, choices));
      if (tty) rl.prompt();
    }
    return 0;
  },
};
