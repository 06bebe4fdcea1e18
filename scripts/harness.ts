/**
 * What the load and fault scripts share: Lantern as a child process (`lantern serve`, the way
 * an operator runs it), a private redis-server, small HTTP clients for the Telegram webhook and
 * Direct Line, and a tap on the Bot API stub that tells when a chat's reply arrived. Everything
 * listens on 127.0.0.1, and every wait has a deadline.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BotApiStub } from '../test/e2e/helpers/bot-api-stub.js';
import { freePort } from '../test/e2e/helpers/test-server.js';

/** The project folder. */
export const root = resolve(import.meta.dirname, '..');

const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
// The last part of a child's output is what explains a failure; more is noise and memory.
const MAX_OUTPUT_CHARS = 200_000;

// Children still running when this process ends (a watchdog, a crash) are ended with it.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** One HTTP answer; status 0 means no answer at all (refused, reset, timed out). */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** One request on 127.0.0.1 that never rejects and never waits longer than `timeoutMs`. */
export function http(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; agent?: Agent; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const data = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolveAnswer) => {
    let settled = false;
    const settle = (answer: HttpAnswer) => {
      if (settled) return;
      settled = true;
      resolveAnswer(answer);
    };
    const req = request(
      url,
      {
        method: options.method ?? (data === undefined ? 'GET' : 'POST'),
        ...(options.agent ? { agent: options.agent } : {}),
        headers: {
          ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) }),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => settle({ status: res.statusCode ?? 0, body }));
        res.on('error', () => settle({ status: 0, body: 'response error' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => settle({ status: 0, body: error.code ?? error.message }));
    req.end(data);
  });
}

/** A private copy of flows/ and locales/ (all languages, or only some) that a check may edit. */
export function copyContent(languages?: string[]): { flowsDir: string; localesDir: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-ops-'));
  const flowsDir = join(dir, 'flows');
  const localesDir = join(dir, 'locales');
  cpSync(join(root, 'flows'), flowsDir, { recursive: true });
  if (languages) for (const language of languages) cpSync(join(root, 'locales', language), join(localesDir, language), { recursive: true });
  else cpSync(join(root, 'locales'), localesDir, { recursive: true });
  return { flowsDir, localesDir, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The store key of a conversation, computed the way the conversation service does (HMAC, base64url). */
export function sessionKey(secret: string, channel: string, conversation: string): string {
  return createHmac('sha256', secret).update(`${channel}\u0000${conversation}`).digest('base64url');
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `lantern serve` running as a child process. */
export interface LanternProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr, the last 200 kB). */
  output(): string;
  /** Settles when the process has ended. */
  exited: Promise<Exit>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
}

/**
 * Starts `node bin/lantern.js serve` with only the given settings (not this shell's), on a
 * free port, and waits until it says it is running and /readyz answers 200.
 */
export async function spawnLantern(
  env: Record<string, string> | ((port: number) => Record<string, string>),
  options: { readyTimeoutMs?: number } = {},
): Promise<LanternProcess> {
  const port = await freePort();
  const settings = typeof env === 'function' ? env(port) : env;
  const child = spawn(process.execPath, [join(root, 'bin/lantern.js'), 'serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...settings, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS / 2);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let ended: Exit | undefined;
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done((ended = { code, signal }))));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 15_000): Promise<Exit> => {
    if (ended) return ended;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (!ended && Date.now() < deadline) {
    // /readyz answers while Telegram is still starting; the signal handlers exist once this line is out.
    if (output.includes('Lantern is running') && (await http(`${url}/readyz`, { timeoutMs: 1000 })).status === 200) {
      return { url, port, pid: child.pid!, child, output: () => output, exited, hasExited: () => ended !== undefined, stop };
    }
    await sleep(100);
  }
  await stop(2000);
  throw new Error(`lantern serve did not become ready (${ended ? `exited with ${ended.code ?? ended.signal}` : 'timed out'}):\n${output.slice(-3000)}`);
}

// A system program, not an npm package: knip would otherwise ask for it in package.json.
const REDIS_SERVER = 'redis-server';

/** True when `redis-server` and `redis-cli` can be run here. */
export async function redisInstalled(): Promise<boolean> {
  try {
    await run(REDIS_SERVER, ['--version'], { timeout: 5000 });
    await run('redis-cli', ['--version'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** A redis-server of our own on a free port (never the shared one on 6379), without persistence. */
export interface PrivateRedis {
  port: number;
  url: string;
  /** `redis-cli shutdown nosave`, then waits until the process is gone. */
  shutdown(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  restart(): Promise<void>;
  /** Shuts it down if running and removes its folder. */
  close(): Promise<void>;
}

async function redisAnswers(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { timeout: 1000 });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

/** Starts a private redis-server; throws when it does not answer within 10 s. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  if (port === 6379) throw new Error('refusing to use port 6379: that Redis belongs to everyone');
  const dir = mkdtempSync(join(tmpdir(), 'lantern-ops-redis-'));
  let child: ChildProcess | undefined;
  let gone: Promise<void> = Promise.resolve();

  const start = async () => {
    mkdirSync(dir, { recursive: true });
    const proc = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    track(proc);
    child = proc;
    gone = new Promise<void>((done) => proc.once('exit', () => done()));
    for (let tries = 0; tries < 100; tries++) {
      if (await redisAnswers(port)) return;
      await sleep(100);
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer within 10 s`);
  };
  const shutdown = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'shutdown', 'nosave'], { timeout: 2000 }).catch(() => undefined);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    shutdown,
    restart: start,
    async close() {
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Direct Line conversation as a client holds it. */
export interface DirectLineConversation {
  id: string;
  token: string;
  watermark: number;
}

/** Opens a conversation (which runs the start turn) and returns its id and token. */
export async function openConversation(base: string, agent: Agent, options: { locale?: string; country?: string } = {}): Promise<DirectLineConversation> {
  const answer = await http(`${base}/v3/directline/conversations`, {
    body: { locale: options.locale ?? 'en', ...(options.country ? { country: options.country } : {}) },
    agent,
  });
  if (answer.status !== 201) throw new Error(`opening a Direct Line conversation answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const { conversationId, token } = JSON.parse(answer.body) as { conversationId: string; token: string };
  return { id: conversationId, token, watermark: 0 };
}

/** What the user sends: a text, or a press on a button the bot issued. */
export type UserInput = { text: string } | { choice: string };

/** Posts one message activity; the answer comes once the bot's turn is done. */
export function postActivity(base: string, agent: Agent, conversation: DirectLineConversation, input: UserInput, timeoutMs = 10_000): Promise<HttpAnswer> {
  const activity = 'text' in input ? { type: 'message', text: input.text } : { type: 'message', value: { choice: input.choice } };
  return http(`${base}/v3/directline/conversations/${conversation.id}/activities`, {
    body: { ...activity, from: { id: 'user' } },
    headers: { authorization: `Bearer ${conversation.token}` },
    agent,
    timeoutMs,
  });
}

/** A bot activity reduced to what the checks read: its text and the `tel:` links of its cards. */
export interface BotSaid {
  texts: string[];
  tels: string[];
  choices: string[];
}

/** The bot's activities since the client's watermark, which it then moves on. */
export async function readReplies(base: string, agent: Agent, conversation: DirectLineConversation): Promise<BotSaid | undefined> {
  const answer = await http(`${base}/v3/directline/conversations/${conversation.id}/activities?watermark=${conversation.watermark}`, {
    headers: { authorization: `Bearer ${conversation.token}` },
    agent,
  });
  if (answer.status !== 200) return undefined;
  const { activities, watermark } = JSON.parse(answer.body) as { activities: Record<string, unknown>[]; watermark: string };
  conversation.watermark = Number(watermark);
  const said: BotSaid = { texts: [], tels: [], choices: [] };
  for (const activity of activities) {
    if ((activity.from as { role?: string } | undefined)?.role !== 'bot') continue;
    if (typeof activity.text === 'string') said.texts.push(activity.text);
    const attachments = (activity.attachments ?? []) as { content?: { buttons?: { value?: unknown }[] } }[];
    for (const button of attachments.flatMap((a) => a.content?.buttons ?? []))
      if (typeof button.value === 'string' && button.value.startsWith('tel:')) said.tels.push(button.value);
    const actions = ((activity.suggestedActions as { actions?: { value?: { choice?: string } }[] } | undefined)?.actions ?? []) as {
      value?: { choice?: string };
    }[];
    for (const action of actions) if (action.value?.choice) said.choices.push(action.value.choice);
  }
  return said;
}

/** A Telegram update carrying a typed text (commands get their entity, as Telegram sends them). */
export function textUpdate(chatId: number, updateId: number, text: string): object {
  const from = { id: chatId, is_bot: false, first_name: 'Load', language_code: 'en' };
  const entities = text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {};
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Load' }, from, text, ...entities },
  };
}

/** A Telegram update for a press on an inline button. */
export function pressUpdate(chatId: number, updateId: number, data: string): object {
  const from = { id: chatId, is_bot: false, first_name: 'Load', language_code: 'en' };
  return {
    update_id: updateId,
    callback_query: {
      id: `q${updateId}`,
      chat_instance: '1',
      data,
      from,
      message: { message_id: 1, date: 0, chat: { id: chatId, type: 'private', first_name: 'Load' }, text: '…' },
    },
  };
}

/** Posts an update to the webhook with the secret header. */
export function postUpdate(base: string, agent: Agent, secret: string, update: object, timeoutMs = 10_000): Promise<HttpAnswer> {
  return http(`${base}/telegram/webhook`, { body: update, headers: { 'x-telegram-bot-api-secret-token': secret }, agent, timeoutMs });
}

/** Tells when a chat's reply is complete at the Bot API stub (its last message carries the keyboard). */
export interface ReplyTap {
  /**
   * Resolves with the arrival time (performance.now()) of the chat's next complete reply, or
   * undefined after `timeoutMs`. Call it before sending, so a fast reply is not missed; a
   * chat's earlier wait, if any, ends with undefined.
   */
  next(chatId: number, timeoutMs?: number): Promise<number | undefined>;
  close(): void;
}

/**
 * One watcher over the stub's calls for all chats: each new call is looked at once, so
 * hundreds of waiting chats cost no more than one. Bounded by `maxMs` in all.
 */
export function tapReplies(stub: BotApiStub, maxMs: number): ReplyTap {
  const waiters = new Map<string, (at: number | undefined) => void>();
  let cursor = stub.calls.length;
  let closed = false;
  const check = () => {
    for (; cursor < stub.calls.length; cursor++) {
      const call = stub.calls[cursor]!;
      if (call.method !== 'sendMessage' || call.params.reply_markup === undefined) continue;
      const chat = String(call.params.chat_id);
      const waiter = waiters.get(chat);
      if (waiter) {
        waiters.delete(chat);
        waiter(performance.now());
      }
    }
    return closed;
  };
  void stub.until(check, 'the end of the run', maxMs).catch(() => undefined);
  return {
    next(chatId, timeoutMs = 10_000) {
      const chat = String(chatId);
      waiters.get(chat)?.(undefined);
      return new Promise((done) => {
        const timer = setTimeout(() => {
          waiters.delete(chat);
          done(undefined);
        }, timeoutMs);
        waiters.set(chat, (at) => {
          clearTimeout(timer);
          done(at);
        });
      });
    },
    close() {
      closed = true;
      for (const [chat, waiter] of waiters) {
        waiters.delete(chat);
        waiter(undefined);
      }
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the whole line; the split drops the first two.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Prints rows under a header with aligned columns. */
export function printGrid(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (/^[\d.,/ -]+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(`  ${line(header)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}
