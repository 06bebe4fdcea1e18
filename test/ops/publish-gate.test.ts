/*
 * One publish gate: whatever `lantern lint` calls an error is never served. `serve` refuses to start
 * on it, naming file:line; SIGHUP reload and `--watch` refuse it and keep the running version. And
 * the engine does not trust the gate: content that loops without waiting ends the turn (apology and
 * hotline), never the process.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEngine, loadChecked, loadPublishable, numbersOf, type Inbound, type Log } from '../../src/engine/index.js';
import { formatProblem } from '../../src/content/index.js';
import { createConversationService, startServer, type RunningServer } from '../../src/server/index.js';
import { createSessionStore } from '../../src/store/index.js';
import { contentCopy, root } from '../helpers/content.js';

const SLOW = 60_000;
const mainFlow = readFileSync(join(root, 'flows/main.flow.yaml'), 'utf8');
const hotlines = readFileSync(join(root, 'flows/hotlines.yaml'), 'utf8');
const roHotlines = readFileSync(join(root, 'locales/ro/hotlines.json'), 'utf8');

const forgetStates = '  forget:\n    action: forgetMe\n    next: done\n  done:\n    end: true\n';
/** The review's 4-line edit: two steps hand over to each other without waiting (pressing "forget" enters them). */
const silentLoop = mainFlow.replace(forgetStates, '  forget:\n    say: menu.privacy\n    next: done\n  done:\n    say: menu.privacy\n    next: forget\n');
/** The same with conditions only: no text, no action, nothing but eventless steps. */
const branchLoop = mainFlow.replace(forgetStates, '  forget:\n    branch:\n      - next: done\n  done:\n    branch:\n      - next: forget\n');
/** A mistyped number (a digit lost and a letter in): lint rejects it as a phone number. */
const brokenNumber = hotlines.replace('          - number: +373 22 23 33 09\n', '          - number: +373 22 23 3O\n');
/** A translator's typo in a placeholder: users would read "Ajutor în :". */
const brokenPlaceholder = roHotlines.replace('"Ajutor în {{country}}:"', '"Ajutor în {{cout}}:"');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function copyWith(files: Record<string, string>) {
  const copy = contentCopy(files);
  cleanups.push(copy.cleanup);
  return copy;
}

describe('lantern lint finds what must never be served', () => {
  it('the edits below are real edits (the shipped text they change is still there)', () => {
    expect(silentLoop).not.toBe(mainFlow);
    expect(branchLoop).not.toBe(mainFlow);
    expect(brokenNumber).not.toBe(hotlines);
    expect(brokenPlaceholder).not.toBe(roHotlines);
  });

  it.each([
    ['a silent loop', 'flows/main.flow.yaml', silentLoop, 'flows/main.flow.yaml:', /loop without asking anything: forget -> done -> forget/],
    [
      'an invalid phone number',
      'flows/hotlines.yaml',
      brokenNumber,
      `flows/hotlines.yaml:${lineOf(brokenNumber, '+373 22 23 3O')}:`,
      /phone number "\+373 22 23 3O"/,
    ],
    [
      'a placeholder English does not have',
      'locales/ro/hotlines.json',
      brokenPlaceholder,
      `locales/ro/hotlines.json:${lineOf(brokenPlaceholder, '{{cout}}')}:`,
      /placeholder `\{\{cout\}\}` in ro `hotlines.title` is not in the English text \(\{\{country\}\}\)/,
    ],
  ])('%s is an error naming file:line', (_what, file, text, where, message) => {
    const copy = copyWith({ [file]: text });
    const errors = loadPublishable(copy.paths, copy.dir)
      .problems.filter((p) => p.severity === 'error')
      .map(formatProblem);
    expect(
      errors.some((e) => e.startsWith(where) && message.test(e)),
      errors.join('\n'),
    ).toBe(true);
    // Only what was broken: the shipped content itself passes the gate.
    expect(errors).toHaveLength(1);
  });

  it('the shipped content passes the gate', () => {
    const { content, problems } = loadPublishable({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') }, root);
    expect(content).toBeDefined();
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  });
});

describe('the engine bounds every turn', () => {
  const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
  const press = (id: string): Inbound => ({ conversation: 'c1', channel: 'test', countryHint: 'MD', event: { type: 'choice', id } });

  it.each([
    ['say steps', silentLoop],
    ['conditions only', branchLoop],
  ])('a loop of %s ends the turn with the apology and the hotline; the process keeps answering', async (_what, flow) => {
    // `validate` lets a loop through (only lint refuses it): this is content the gate would have stopped.
    const copy = copyWith({ 'flows/main.flow.yaml': flow });
    const { content, problems } = loadChecked(copy.paths, copy.dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const { engine } = buildEngine(content!, { language: 'en' });
    const store = createSessionStore({ kind: 'memory' });
    const service = createConversationService({
      engine: () => engine,
      store,
      hashSecret: 'gate-test-7f3a9c2e4b8d1f6a0e5c9b3d7a2f8e41',
      ttlMs: 60_000,
      log: silent,
    });

    await service.handle({ ...press(''), event: { type: 'start' } });
    const started = Date.now();
    const reply = await service.handle(press('main/menu/forget'));
    expect(Date.now() - started).toBeLessThan(2_000);
    const texts = reply.messages.map((m) => ('text' in m ? m.text : '')).join('\n');
    expect(texts).toContain('Sorry, something went wrong');
    expect(numbersOf(reply.messages).some((n) => n.dial === '112')).toBe(true);
    // Bounded: the apology, not thousands of texts.
    expect(reply.messages.length).toBeLessThan(20);

    // The same conversation still gets an emergency answer, and another one the menu.
    const sos = await service.handle({ ...press(''), event: { type: 'command', command: 'sos' } });
    expect(numbersOf(sos.messages).some((n) => n.dial === '112')).toBe(true);
    const other = await service.handle({ conversation: 'c2', channel: 'test', event: { type: 'start' } });
    expect(other.messages.some((m) => m.type === 'choices')).toBe(true);
  });
});

describe('serve refuses what lint refuses', () => {
  /** Runs `lantern serve` on a copy of the content with `files` replaced; resolves with its exit code and output. */
  async function serveOn(files: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-gate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(root, 'flows'), join(dir, 'flows'), { recursive: true });
    for (const l of ['en', 'ro']) cpSync(join(root, 'locales', l), join(dir, 'locales', l), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    const child = spawn(process.execPath, [join(root, 'bin/lantern.js'), 'serve'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        STORE: 'sqlite',
        SQLITE_PATH: join(dir, 'data/lantern.db'),
        HASH_SECRET: 'gate-test-7f3a9c2e4b8d1f6a0e5c9b3d7a2f8e41',
        FLOWS_DIR: join(dir, 'flows'),
        LOCALES_DIR: join(dir, 'locales'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      // Listening means the gate let it through: stop it, the assertion below fails.
      if (stdout.includes('Lantern is running')) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    return { code, stderr, stdout };
  }

  it(
    'on a silent loop: exits 1, naming the file and line',
    async () => {
      const { code, stderr, stdout } = await serveOn({ 'flows/main.flow.yaml': silentLoop });
      expect(stdout).not.toContain('Lantern is running');
      expect(code).toBe(1);
      expect(stderr).toMatch(/main\.flow\.yaml:\d+:\d+: these states loop without asking anything: forget -> done -> forget/);
    },
    SLOW,
  );

  it(
    'on a broken hotline number: exits 1, naming the file and line',
    async () => {
      const { code, stderr, stdout } = await serveOn({ 'flows/hotlines.yaml': brokenNumber });
      expect(stdout).not.toContain('Lantern is running');
      expect(code).toBe(1);
      expect(stderr).toContain(`hotlines.yaml:${lineOf(brokenNumber, '+373 22 23 3O')}:`);
      expect(stderr).toContain('phone number "+373 22 23 3O"');
    },
    SLOW,
  );
});

describe('reload refuses what lint refuses and keeps the running version', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it(
    'a silent loop, a broken number and a placeholder typo are each refused; the old content keeps answering',
    async () => {
      const copy = copyWith({});
      server = await startServer({
        env: {
          STORE: 'memory',
          PORT: '0',
          HASH_SECRET: 'gate-test-7f3a9c2e4b8d1f6a0e5c9b3d7a2f8e41',
          LOG_LEVEL: 'fatal',
          FLOWS_DIR: copy.paths.flowsDir,
          LOCALES_DIR: copy.paths.localesDir,
        },
      });
      const running = server;
      const pressForget = async (conversation: string) => {
        await running.service.handle({ conversation, channel: 'test', event: { type: 'start' } });
        return running.service.handle({ conversation, channel: 'test', event: { type: 'choice', id: 'main/menu/forget' } });
      };
      for (const [file, text, where] of [
        ['flows/main.flow.yaml', silentLoop, 'flows/main.flow.yaml:'],
        ['flows/hotlines.yaml', brokenNumber, `flows/hotlines.yaml:${lineOf(brokenNumber, '+373 22 23 3O')}:`],
        ['locales/ro/hotlines.json', brokenPlaceholder, `locales/ro/hotlines.json:${lineOf(brokenPlaceholder, '{{cout}}')}:`],
      ] as const) {
        const good = readFileSync(join(copy.dir, file), 'utf8');
        writeFileSync(join(copy.dir, file), text);
        const result = running.reload();
        expect(result.ok, file).toBe(false);
        if (!result.ok)
          expect(
            result.error.problems.map(formatProblem).some((p) => p.includes(where)),
            file,
          ).toBe(true);
        // Still the old version: "forget" forgets (the loop was not published).
        const reply = await pressForget(`after-${file}`);
        expect(reply.messages.some((m) => m.type === 'forget')).toBe(true);
        writeFileSync(join(copy.dir, file), good);
      }
      expect(running.reload().ok).toBe(true);
    },
    SLOW,
  );
});
