/** `lantern qr`: a t.me deep link and its QR code, for posters and leaflets that open the bot in one country and language. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { hotlineFileSchema } from '../../content/index.js';
import { readYamlSource, validateYaml } from '../../content/index.js';
import { ConfigError, loadConfig } from '../../server/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths, printProblems } from '../project.js';

// Telegram usernames: 5-32 letters, digits and underscores, starting with a letter; a bot's ends in "bot".
const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,30}[Bb][Oo][Tt]$/;
const GET_ME_TIMEOUT_MS = 10_000;
// Big enough to print sharp on an A4 poster; M recovers from a smudge or a fold.
const QR_OPTIONS = { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 768 } as const;

/** A failure outside the user's command line (content, network, file): printed as is, exit code 1. */
class QrError extends Error {
  override name = 'QrError';
}

/** The deep link payload `<country>_<language>`; either part may be left out (`md`, `_uk`), both: no payload. */
function deepLinkPayload(country: string, language: string): string {
  if (!language) return country.toLowerCase();
  return `${country.toLowerCase()}_${language}`;
}

/** The bot's username from --bot, or from Telegram (getMe) when only TELEGRAM_BOT_TOKEN is set. */
async function botUsername(given: string | undefined): Promise<string> {
  if (given !== undefined) {
    const name = given
      .trim()
      .replace(/^@/, '')
      .replace(/^https:\/\/t\.me\//, '');
    if (!BOT_USERNAME.test(name))
      throw new UsageError(
        `--bot "${given}" is not a Telegram bot username: use the bot's @name from @BotFather (5-32 letters, digits or _, ending in "bot"), e.g. --bot lantern_help_bot`,
      );
    return name;
  }
  let token: string | undefined;
  let apiRoot: string | undefined;
  try {
    ({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot } = loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw new QrError(`${error.message}\nOr pass the bot's username with --bot.`);
    throw error;
  }
  if (!token)
    throw new UsageError(
      'which bot? Pass its username with --bot (the @name from @BotFather, e.g. --bot lantern_help_bot), or set TELEGRAM_BOT_TOKEN and lantern asks Telegram for it.',
    );
  const root = (apiRoot ?? 'https://api.telegram.org').replace(/\/$/, '');
  let answer: { ok?: boolean; result?: { username?: string }; description?: string };
  try {
    const res = await fetch(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(GET_ME_TIMEOUT_MS) });
    answer = (await res.json()) as typeof answer;
  } catch (error) {
    // The URL holds the token: say what failed, never where.
    throw new QrError(`could not ask Telegram for the bot's username (${(error as Error).name}): check the network, or pass --bot <username>`);
  }
  const name = answer.result?.username;
  if (!answer.ok || !name || !BOT_USERNAME.test(name))
    throw new QrError(
      `Telegram did not give the bot's username${answer.description ? ` (${answer.description})` : ''}: check TELEGRAM_BOT_TOKEN, or pass --bot <username>`,
    );
  return name;
}

/** The locale folders (each with its _meta.json), English first, without reading every text. */
function shippedLanguages(localesDir: string): string[] {
  if (!existsSync(localesDir)) return [];
  return readdirSync(localesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(localesDir, entry.name, '_meta.json')))
    .map((entry) => entry.name)
    .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
}

/** `lantern qr [--country CC] [--lang xx] [--bot username] [--out file.png]` */
export const qrCommand: Command = {
  usage: 'lantern qr [--country CC] [--lang xx] [--bot username] [--out file.png]',
  options: {
    country: { type: 'string', description: 'Country the bot assumes (ISO code listed in flows/hotlines.yaml, e.g. md).' },
    lang: { type: 'string', description: 'Language the bot speaks (a folder in locales/, e.g. ro or pt-BR).' },
    bot: { type: 'string', description: "The bot's Telegram username (default: asked from Telegram with TELEGRAM_BOT_TOKEN)." },
    out: { type: 'string', description: 'PNG file to write (default: lantern-qr-<country>_<lang>.png here).' },
  },
  details: () =>
    [
      'The link is https://t.me/<bot>?start=<country>_<language>; either part may be left out',
      '(`md` for the country only, `_uk` for the language only). Scanning the code opens the bot,',
      "which greets the person in that language and shows that country's hotlines.",
      '',
      'Examples:',
      '  lantern qr --country md --lang ro --bot lantern_help_bot',
      '  lantern qr --lang uk --bot lantern_help_bot --out posters/uk.png',
      '  TELEGRAM_BOT_TOKEN=123456:ABC-def lantern qr --country ua',
    ].join('\n'),
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}": give the country and language with --country and --lang`);
    const paths = contentPaths();
    const source = readYamlSource(join(paths.flowsDir, 'hotlines.yaml'));
    const hotlines = validateYaml(source, hotlineFileSchema);
    if (!hotlines.value) {
      printProblems(
        hotlines.problems.filter((p) => p.severity === 'error'),
        io.stderr,
      );
      io.stderr.write('\nflows/hotlines.yaml has errors: fix them, then run `lantern qr` again.\n');
      return 1;
    }
    const countries = Object.keys(hotlines.value.countries).sort();
    const languages = shippedLanguages(paths.localesDir);

    const countryGiven = String(values.country ?? '').trim();
    const country = countryGiven.toUpperCase();
    if (country && !countries.includes(country)) {
      throw new UsageError(
        `unknown country "${countryGiven}": the bot has hotlines for ${countries.map((c) => c.toLowerCase()).join(' ')} (add one to flows/hotlines.yaml first)`,
      );
    }
    const languageGiven = String(values.lang ?? '').trim();
    const language = languages.find((l) => l.toLowerCase() === languageGiven.toLowerCase()) ?? '';
    if (languageGiven && !language) {
      throw new UsageError(`unknown language "${languageGiven}": the bot speaks ${languages.join(' ')} (the folders in locales/)`);
    }
    const out = resolve(String(values.out ?? `lantern-qr-${deepLinkPayload(country, language) || 'bot'}.png`));
    if (!out.toLowerCase().endsWith('.png')) throw new UsageError(`--out "${String(values.out)}" must name a .png file`);

    let link: string;
    try {
      const bot = await botUsername(values.bot === undefined ? undefined : String(values.bot));
      const payload = deepLinkPayload(country, language);
      link = payload ? `https://t.me/${bot}?start=${payload}` : `https://t.me/${bot}`;
    } catch (error) {
      if (!(error instanceof QrError)) throw error;
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    const png = await QRCode.toBuffer(link, QR_OPTIONS);
    try {
      writeFileSync(out, png);
    } catch (error) {
      io.stderr.write(
        `could not write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (does the folder exist, and may you write there?)\n`,
      );
      return 1;
    }
    io.stdout.write(`${link}\n`);
    io.stderr.write(`QR code written to ${out}\n`);
    return 0;
  },
};
