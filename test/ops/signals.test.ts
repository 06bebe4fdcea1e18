import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/helpers/test-server.js';
import { root } from '../helpers/content.js';

/*
 * `lantern serve` as an operator runs it, in a child process on SQLite and on a private copy of
 * flows/ and the English locale: SIGHUP reloads (or rejects a broken edit and keeps serving),
 * SIGTERM drains, and `--watch` reloads on its own. What the bot says is read back through
 * Direct Line, the widget's own protocol.
 */

const SLOW = 60_000;
const welcomeKey = /("welcome":\s*")([^"]*)"/;

interface Child {
  url: string;
  dir: string;
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Every module the child imported so far (with `recordModules`). */
  modules(): string[];
}

const children: Child[] = [];

/** Polls `check` every 50 ms until it returns a value, at most `timeoutMs`. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `lantern serve` on a copy of the content; resolves once it listens. */
async function serve(args: string[] = [], options: { recordModules?: boolean } = {}): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-signals-'));
  const moduleLog = join(dir, 'modules.log');
  writeFileSync(moduleLog, '');
  cpSync(join(root, 'flows'), join(dir, 'flows'), { recursive: true });
  cpSync(join(root, 'locales', 'en'), join(dir, 'locales', 'en'), { recursive: true });
  const port = await freePort();
  const recording = options.recordModules ? ['--import', join(root, 'test/helpers/record-modules.mjs')] : [];
  const child = spawn(process.execPath, [...recording, join(root, 'bin/lantern.js'), 'serve', ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      STORE: 'sqlite',
      SQLITE_PATH: join(dir, 'lantern.db'),
      HASH_SECRET: 'signals-test-secret-7c3e9a1f5b2d8406',
      FLOWS_DIR: join(dir, 'flows'),
      LOCALES_DIR: join(dir, 'locales'),
      LOG_LEVEL: 'warn',
      ...(options.recordModules ? { LANTERN_MODULE_LOG: moduleLog } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running: Child = {
    url: `http://127.0.0.1:${port}`,
    dir,
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    modules: () => readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean),
  };
  children.push(running);
  await eventually(
    () => (out.includes('Lantern is running') ? true : child.exitCode !== null ? Promise.reject(new Error(`serve exited: ${err}`)) : undefined),
    'lantern serve to listen',
    45_000,
  );
  return running;
}

/** Opens a Direct Line conversation and returns the bot's greeting, as the widget shows it. */
async function greeting(url: string): Promise<string> {
  const opened = await fetch(`${url}/v3/directline/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"locale":"en"}',
  });
  expect(opened.status).toBe(201);
  const { conversationId, token } = (await opened.json()) as { conversationId: string; token: string };
  return eventually(async () => {
    const res = await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
    const { activities } = (await res.json()) as { activities: { type: string; from: { role?: string }; text?: string }[] };
    const texts = activities.filter((a) => a.type === 'message' && a.from.role === 'bot' && a.text).map((a) => a.text!);
    return texts.length > 0 ? texts.join('\n') : undefined;
  }, 'the greeting');
}

function editWelcome(dir: string, text: string): void {
  const file = join(dir, 'locales/en/menu.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace(welcomeKey, `$1${text}"`));
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await child.exited;
    rmSync(child.dir, { recursive: true, force: true });
  }
});

afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL');
});

describe('lantern serve: what a start loads', () => {
  it(
    'on the default settings the web chat answers without loading botbuilder or telegraf; /api/messages loads botbuilder when first called',
    async () => {
      const child = await serve([], { recordModules: true });
      expect(await greeting(child.url)).toMatch(/\w/);
      const sdk = (name: string) => child.modules().filter((m) => m.includes(`/node_modules/${name}/`));
      expect(sdk('botbuilder')).toEqual([]);
      expect(sdk('telegraf')).toEqual([]);

      // An activity without a conversation is refused, by the Bot Framework channel now loaded.
      const refused = await fetch(`${child.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
      expect(refused.status).toBe(400);
      expect(sdk('botbuilder').length).toBeGreaterThan(0);
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    },
    SLOW,
  );
});

describe('lantern serve: signals', () => {
  it(
    'SIGHUP with a broken flow is rejected with file:line:column and the old content is served; after the fix SIGHUP serves the new text',
    async () => {
      const child = await serve();
      const old = welcomeKey.exec(readFileSync(join(child.dir, 'locales/en/menu.json'), 'utf8'))![2]!;
      expect(await greeting(child.url)).toContain(old);

      // A new text and a broken flow in one edit: the whole reload is refused, the new text too.
      editWelcome(child.dir, 'Welcome text after the reload.');
      const flow = join(child.dir, 'flows/main.flow.yaml');
      const good = readFileSync(flow, 'utf8');
      expect(good).toMatch(/^ {4}next: menu$/m);
      writeFileSync(flow, good.replace(/^ {4}next: menu$/m, '    next: nowhere'));
      child.process.kill('SIGHUP');
      const rejected = await eventually(() => (child.stderr().includes('reload rejected') ? child.stderr() : undefined), 'the rejection');
      expect(rejected).toMatch(/main\.flow\.yaml:9:5: unknown state `nowhere`/);
      const served = await greeting(child.url);
      expect(served).toContain(old);
      expect(served).not.toContain('Welcome text after the reload.');

      writeFileSync(flow, good);
      child.process.kill('SIGHUP');
      await eventually(() => (child.stdout().includes('reloaded') ? true : undefined), 'the reload');
      expect(await greeting(child.url)).toContain('Welcome text after the reload.');
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    },
    SLOW,
  );

  it(
    'SIGTERM while requests are in flight: exits 0, and every request answered 2xx got its whole answer',
    async () => {
      const child = await serve();
      // One whole turn first, so that SIGTERM finds the requests below in its hands.
      await greeting(child.url);
      // Conversations first, so that the messages below each run a turn.
      const conversations = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await fetch(`${child.url}/v3/directline/conversations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"locale":"en"}',
          });
          return (await res.json()) as { conversationId: string; token: string };
        }),
      );
      type Outcome = { status: number; body: string; complete: boolean; afterSignal: boolean } | { error: string };
      let signalled = false;
      let flushed = 0;
      const post = (c: { conversationId: string; token: string }, text: string) =>
        new Promise<Outcome>((resolve) => {
          const body = JSON.stringify({ type: 'message', text, from: { id: 'u' } });
          const req = request(
            `${child.url}/v3/directline/conversations/${c.conversationId}/activities`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
              agent: false,
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, complete: res.complete, afterSignal: signalled }));
              res.on('error', (error) => resolve({ error: error.message }));
            },
          );
          req.on('error', (error) => resolve({ error: error.message }));
          req.on('finish', () => flushed++);
          req.end(body);
        });
      // Several turns per conversation queue behind each other, so that some are still in flight at the signal
      // (a web chat turn takes about a millisecond now that it runs without botbuilder).
      const texts = Array.from({ length: 6 }, () => ['hello', 'sos', '/menu', 'help', 'is this job safe?']).flat();
      const pending = conversations.flatMap((c) => texts.map((text) => post(c, text)));
      await eventually(() => (flushed === pending.length ? true : undefined), 'every request to be sent');
      child.process.kill('SIGTERM');
      signalled = true;
      const outcomes = await Promise.all(pending);
      expect(await child.exited).toBe(0);

      const answered = outcomes.filter((o): o is Extract<Outcome, { status: number }> => 'status' in o && o.status >= 200 && o.status < 300);
      // Some answers came after the signal: those requests were in flight when it arrived.
      expect(answered.filter((o) => o.afterSignal).length).toBeGreaterThan(0);
      for (const outcome of answered) {
        expect(outcome.complete).toBe(true);
        expect((JSON.parse(outcome.body) as { id?: unknown }).id).toEqual(expect.any(String));
      }
      // Whatever was not answered 2xx was refused or cut off cleanly, never half-answered with an error.
      for (const outcome of outcomes)
        if ('status' in outcome) expect(outcome.status === 429 || outcome.status === 503 || outcome.status < 300, JSON.stringify(outcome)).toBe(true);
      expect(child.stderr()).not.toMatch(/"level":(50|60)/);
    },
    SLOW,
  );
});

describe('lantern serve --watch', () => {
  it(
    'reloads when a locale text changes: the new text is served within seconds, and a broken edit is reported',
    async () => {
      const child = await serve(['--watch']);
      await eventually(() => (child.stdout().includes('Watching') ? true : undefined), 'the watcher');
      expect(await greeting(child.url)).not.toContain('Edited while watching.');

      editWelcome(child.dir, 'Edited while watching.');
      await eventually(async () => ((await greeting(child.url)).includes('Edited while watching.') ? true : undefined), 'the edited text to be served');
      expect(child.stdout()).toContain('reloaded');

      const flow = join(child.dir, 'flows/main.flow.yaml');
      writeFileSync(flow, readFileSync(flow, 'utf8').replace(/^ {4}next: menu$/m, '    next: nowhere'));
      const rejected = await eventually(() => (child.stderr().includes('reload rejected') ? child.stderr() : undefined), 'the rejection');
      expect(rejected).toMatch(/main\.flow\.yaml:9:5: unknown state `nowhere`/);
      expect(await greeting(child.url)).toContain('Edited while watching.');
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    },
    SLOW,
  );
});
