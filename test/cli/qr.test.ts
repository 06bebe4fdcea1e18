import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lantern } from '../helpers/cli.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// What Telegram accepts after ?start= (Bot API deep linking).
const TELEGRAM_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lantern-qr-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Runs `lantern qr <argv>` in this process, as bin/lantern.js would. */
const lanternQr = (argv: string[]) => lantern(['qr', ...argv]);

const png = (name: string) => join(dir, name);

describe('lantern qr: the deep link and its QR code', () => {
  it('prints https://t.me/<bot>?start=md_ro and writes a PNG', async () => {
    const file = png('md_ro.png');
    const result = await lanternQr(['--country', 'md', '--lang', 'ro', '--bot', 'lantern_help_bot', '--out', file]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('https://t.me/lantern_help_bot?start=md_ro\n');
    expect(result.err).toContain(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: a square image, large enough to print.
    expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
    const width = bytes.readUInt32BE(16);
    expect(bytes.readUInt32BE(20)).toBe(width);
    expect(width).toBeGreaterThanOrEqual(256);
  });

  it.each([
    { args: ['--country', 'MD'], link: 'https://t.me/lantern_help_bot?start=md' },
    { args: ['--lang', 'uk'], link: 'https://t.me/lantern_help_bot?start=_uk' },
    { args: ['--country', 'br', '--lang', 'pt-br'], link: 'https://t.me/lantern_help_bot?start=br_pt-BR' },
    { args: ['--country', '', '--lang', ''], link: 'https://t.me/lantern_help_bot' },
    { args: [], link: 'https://t.me/lantern_help_bot' },
  ])('leaves out what is not given: $args', async ({ args, link }) => {
    const file = png(`variant-${args.join('-') || 'none'}.png`);
    const result = await lanternQr([...args, '--bot', '@lantern_help_bot', '--out', file]);
    expect(result.code, result.err).toBe(0);
    expect(result.out.trim()).toBe(link);
    const payload = new URL(link).searchParams.get('start');
    if (payload !== null) expect(payload).toMatch(TELEGRAM_PAYLOAD);
    expect(readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('encodes a different link in a different picture', async () => {
    await lanternQr(['--country', 'md', '--lang', 'ro', '--bot', 'lantern_help_bot', '--out', png('a.png')]);
    await lanternQr(['--country', 'md', '--lang', 'ru', '--bot', 'lantern_help_bot', '--out', png('b.png')]);
    expect(readFileSync(png('a.png')).equals(readFileSync(png('b.png')))).toBe(false);
  });
});

describe('lantern qr: mistakes are explained, with exit code 2', () => {
  it('refuses a country without hotlines and names the ones there are', async () => {
    const file = png('bad-country.png');
    const result = await lanternQr(['--country', 'xx', '--lang', 'ro', '--bot', 'lantern_help_bot', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown country "xx"');
    expect(result.err).toMatch(/hotlines for .*\bmd\b.*\bua\b/);
    expect(result.out).toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a language that is not shipped and names the ones that are', async () => {
    const file = png('bad-language.png');
    const result = await lanternQr(['--country', 'md', '--lang', 'zz', '--bot', 'lantern_help_bot', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown language "zz"');
    expect(result.err).toMatch(/speaks en .*\bro\b/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a bot name Telegram would not have, a file that is not .png, and a stray argument', async () => {
    const notBot = await lanternQr(['--country', 'md', '--bot', 'not a bot', '--out', png('x.png')]);
    expect(notBot.code).toBe(2);
    expect(notBot.err).toContain('is not a Telegram bot username');
    const notPng = await lanternQr(['--country', 'md', '--bot', 'lantern_help_bot', '--out', png('x.svg')]);
    expect(notPng.code).toBe(2);
    expect(notPng.err).toContain('must name a .png file');
    const stray = await lanternQr(['md_ro', '--bot', 'lantern_help_bot']);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('--country and --lang');
  });

  it('without --bot or TELEGRAM_BOT_TOKEN, says how to pass the bot', async () => {
    vi.stubEnv('TELEGRAM_BOT_TOKEN', '');
    const result = await lanternQr(['--country', 'md', '--out', png('no-bot.png')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--bot');
    expect(result.err).toContain('TELEGRAM_BOT_TOKEN');
    expect(existsSync(png('no-bot.png'))).toBe(false);
  });

  it('cannot write into a folder that does not exist: exit 1, said plainly', async () => {
    const result = await lanternQr(['--country', 'md', '--bot', 'lantern_help_bot', '--out', join(dir, 'missing', 'x.png')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('could not write');
    expect(result.out).toBe('');
  });

  it('has help with an example', async () => {
    const { code, out: help } = await lanternQr(['--help']);
    expect(code).toBe(0);
    expect(help).toContain('Usage: lantern qr');
    expect(help).toContain('lantern qr --country md --lang ro --bot');
  });
});

describe('lantern qr: the bot username from TELEGRAM_BOT_TOKEN', () => {
  const TOKEN = '123456:qr-test-token_abc';
  let server: Server;
  let root: string;
  let answer: { status: number; body: object } = { status: 200, body: {} };
  const asked: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('asks getMe and uses the username it answers', async () => {
    answer = { status: 200, body: { ok: true, result: { id: 123456, is_bot: true, first_name: 'Lantern', username: 'lantern_md_bot' } } };
    vi.stubEnv('TELEGRAM_BOT_TOKEN', TOKEN);
    vi.stubEnv('TELEGRAM_API_ROOT', root);
    const result = await lanternQr(['--country', 'md', '--lang', 'ro', '--out', png('getme.png')]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('https://t.me/lantern_md_bot?start=md_ro\n');
    expect(asked.at(-1)).toBe(`/bot${TOKEN}/getMe`);
  });

  it('a refused token: exit 1, the reason, never the token', async () => {
    answer = { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    vi.stubEnv('TELEGRAM_BOT_TOKEN', TOKEN);
    vi.stubEnv('TELEGRAM_API_ROOT', root);
    const result = await lanternQr(['--country', 'md', '--out', png('refused.png')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('Unauthorized');
    expect(result.err).toContain('--bot');
    expect(result.err).not.toContain(TOKEN);
    expect(existsSync(png('refused.png'))).toBe(false);
  });

  it('a malformed token: exit 1, which setting to fix, never its value', async () => {
    vi.stubEnv('TELEGRAM_BOT_TOKEN', 'garbage-token-value');
    const result = await lanternQr(['--country', 'md', '--out', png('malformed.png')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('TELEGRAM_BOT_TOKEN');
    expect(result.err).toContain('--bot');
    expect(result.err).not.toContain('garbage-token-value');
  });

  it('--bot wins over the token: Telegram is not asked', async () => {
    const before = asked.length;
    vi.stubEnv('TELEGRAM_BOT_TOKEN', TOKEN);
    vi.stubEnv('TELEGRAM_API_ROOT', root);
    const result = await lanternQr(['--lang', 'uk', '--bot', 'other_bot', '--out', png('wins.png')]);
    expect(result.out).toBe('https://t.me/other_bot?start=_uk\n');
    expect(asked.length).toBe(before);
  });
});
