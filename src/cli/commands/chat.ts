/** `lantern chat`: talk to the bot in the terminal, exactly as a channel would. */
import { createInterface } from 'node:readline';
import { numbersAsText, type Choice, type Inbound, type InboundEvent, type Outbound, type Session } from '../../engine/index.js';
import { UsageError, type CliIo, type Command } from '../command.js';
import { jsonTurn } from '../chat-json.js';
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
      case 'numbers':
        write(`bot: ${numbersAsText(m)}`);
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

/** `lantern chat [--lang xx] [--country CC] [--flow id] [--json [--fresh]]` */
export const chatCommand: Command = {
  usage: 'lantern chat [--lang xx] [--country CC] [--flow id] [--json [--fresh]] [--dir path]',
  options: {
    lang: { type: 'string', description: 'Language, e.g. uk or pt-BR.' },
    country: { type: 'string', description: 'Country code, e.g. MD.' },
    flow: { type: 'string', description: 'Start in this flow instead of the main menu.' },
    json: {
      type: 'boolean',
      description: 'Print one JSON line per input line: {"turn","input","intent","concepts","country","messages"} (a stable interface; see README).',
    },
    fresh: { type: 'boolean', description: 'With --json: start a new conversation for every input line (for evaluation sets).' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/.' },
  },
  details: () => 'Type /menu, /language, /help, /forget or /start md_ro like in Telegram. Ctrl-D ends.',
  async run(values, _positionals, io) {
    if (values.json) return chatJson(values, io);
    const { built, base } = terminalChat(values, io);
    if (!built) return 1;
    if (values.flow && !built.content.flows.has(values.flow as string)) {
      io.stderr.write(`unknown flow \`${values.flow}\`: flows are ${[...built.content.flows.keys()].join(', ')}\n`);
      return 2;
    }
    const tty = io.stdin.isTTY === true;
    const write = (line: string) => io.stdout.write(`${line}\n`);
    let session: Session | undefined;
    let choices: Choice[] = [];
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

/** `lantern chat --json [--fresh]`: one JSON line per input line, nothing else on stdout. */
async function chatJson(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const { built, base } = terminalChat(values, io);
  if (!built) return 1;
  let session: Session | undefined;
  let choices: Choice[] = [];
  const open = () => {
    const opened = values.flow ? built.engine.begin(base, values.flow as string) : built.engine.step(undefined, { ...base, event: { type: 'start' } });
    session = opened.session ?? undefined;
    choices = lastChoices(opened.reply.messages);
  };
  open();
  let n = 0;
  for await (const line of createInterface({ input: io.stdin, terminal: false })) {
    if (!line.trim()) continue;
    n += 1;
    if (values.fresh && n > 1) open();
    const result = built.engine.step(session, { ...base, event: lineToEvent(line, choices) });
    session = result.session ?? undefined;
    choices = lastChoices(result.reply.messages, choices);
    io.stdout.write(`${JSON.stringify(jsonTurn(n, line, result))}\n`);
  }
  return 0;
}

/** The buttons shown last in a reply (or the previous ones when it shows none). */
function lastChoices(messages: readonly Outbound[], previous: Choice[] = []): Choice[] {
  const shown = messages.filter((m) => m.type === 'choices').at(-1);
  return shown && shown.type === 'choices' ? shown.choices : previous;
}

/** `lantern explain "text" [--lang xx] [--country CC]`: what the bot reads in one message, as JSON. */
export const explainCommand: Command = {
  usage: 'lantern explain "text" [--lang xx] [--country CC] [--dir path]',
  options: {
    lang: { type: 'string', description: 'The conversation language, e.g. ru (default en).' },
    country: { type: 'string', description: 'Where the person is, e.g. MD.' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/.' },
  },
  details: () => 'Prints the JSON line `lantern chat --json --fresh` would print for this message, plus the emergency rule that fired and the places named.',
  async run(values, positionals, io) {
    const text = positionals.join(' ').trim();
    if (!text) throw new UsageError('give the message to explain, e.g. lantern explain "they took my passport" --lang en');
    const { built, base } = terminalChat(values, io);
    if (!built) return 1;
    const opened = built.engine.step(undefined, { ...base, event: { type: 'start' } });
    const result = built.engine.step(opened.session ?? undefined, { ...base, event: { type: 'text', text } });
    const reading = built.engine.read(text, opened.session?.ctx.language ?? 'en');
    io.stdout.write(
      `${JSON.stringify({ ...jsonTurn(1, text, result), emergency: reading.emergency ?? null, places: reading.places, answer: reading.answer ?? null, language: reading.language ?? null }, null, 2)}\n`,
    );
    return 0;
  },
};

/** The engine over the content folder and the terminal's inbound (language and country hints) for one chat. */
function terminalChat(values: Record<string, unknown>, io: CliIo) {
  const language = (values.lang as string | undefined) ?? 'en';
  const country = values.country ? String(values.country).toUpperCase() : undefined;
  const built = loadEngineOrReport(contentPaths(values.dir as string | undefined), { language, ...(country ? { country } : {}) }, io.stderr);
  const base: Omit<Inbound, 'event'> = {
    conversation: 'terminal',
    channel: 'terminal',
    ...(values.lang ? { languageHint: language } : {}),
    ...(country ? { countryHint: country } : {}),
  };
  return { built, base };
}
