/**
 * The fault checks behind `npm run fault` and test/ops/fault.test.ts: Redis stopped under load,
 * SIGHUP with a broken flow and SIGTERM under load on `lantern serve`, and a rejected reload().
 * Each returns what it saw; the caller decides how big a run is and whether timing goals apply.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { numbersOf } from '../src/engine/index.js';
import { startServer } from '../src/server/index.js';
import { createSessionStore } from '../src/store/index.js';
import { startBotApiStub } from '../test/e2e/helpers/bot-api-stub.js';
import {
  copyContent,
  http,
  inBatches,
  openConversation,
  postActivity,
  postUpdate,
  pressUpdate,
  readReplies,
  redisInstalled,
  sessionKey,
  spawnLantern,
  startPrivateRedis,
  tapReplies,
  textUpdate,
  type BotSaid,
  type DirectLineConversation,
  type UserInput,
} from './harness.js';

/** What one check found. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, one sentence each; empty when ok. */
  problems: string[];
  figures: Record<string, number | string | boolean | null>;
}

const HASH_SECRET = 'ops-fault-hash-secret-0123456789';
const WEBHOOK_SECRET = 'ops_fault_webhook_secret_0123456789';
const BOT_TOKEN = '123456:ops-fault-token';
const COUNTRY = 'MD';
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const round = (n: number | undefined) => (n === undefined ? null : Math.round(n));

/** The emergency number of a country as digits, read from the hotline directory the server loads. */
function emergencyDigits(flowsDir: string, country: string): string {
  const file = parse(readFileSync(join(flowsDir, 'hotlines.yaml'), 'utf8')) as { countries: Record<string, { emergency: { number: string } }> };
  const entry = file.countries[country];
  if (!entry) throw new Error(`${country} is not in hotlines.yaml`);
  return entry.emergency.number.replace(/\D/g, '');
}

/** The English apology the core sends when a turn cannot be completed. */
function apologyText(localesDir: string): string {
  const system = JSON.parse(readFileSync(join(localesDir, 'en', 'system.json'), 'utf8')) as { error: string };
  return system.error;
}

/** Waits until `check` holds, polling every 50 ms; false after `timeoutMs`. */
async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

function result(name: string, problems: string[], figures: CheckResult['figures']): CheckResult {
  return { name, ok: problems.length === 0, problems, figures };
}

type Kind = 'sos' | 'menu';
type Answer = 'normal' | 'emergency' | 'apology' | 'other' | 'none';
interface Sample {
  kind: Kind;
  sentAt: number;
  doneAt: number;
  status: number;
  answer: Answer;
}

/**
 * (i) Redis stopped mid-load. A private redis-server, `lantern serve` with STORE=redis on it,
 * Direct Line conversations (country MD) sending `/menu` and `SOS` at a steady rate. Redis is
 * shut down (nosave) and, after `downMs`, started again on the same port. While it is down,
 * SOS must get the emergency number and other turns the apology with the hotline, never a 5xx;
 * /readyz says 503, then 200; the time from Redis answering again to the first normal turn is
 * the recovery time. The process must still be alive and exit 0 on SIGTERM afterwards.
 */
export async function checkRedisOutage(options: {
  conversations: number;
  rate: number;
  beforeMs: number;
  downMs: number;
  afterMs: number;
  recoveryGoalMs?: number;
  languages?: string[];
}): Promise<CheckResult> {
  const name = 'Redis stopped mid-load';
  if (!(await redisInstalled())) return result(name, ['redis-server is not installed (apt-get install redis-server)'], {});
  const content = copyContent(options.languages);
  const emergency = emergencyDigits(content.flowsDir, COUNTRY);
  const apology = apologyText(content.localesDir);
  // A conversation may take 30 turns per 10 s before it is slowed down: stay well under.
  const count = Math.max(options.conversations, Math.ceil(options.rate * 0.5));
  const intervalMs = (count * 1000) / options.rate;
  const agent = new Agent({ keepAlive: true, maxSockets: count + 8 });
  const redis = await startPrivateRedis().catch((error: Error) => error);
  if (redis instanceof Error) {
    content.cleanup();
    return result(name, [redis.message], {});
  }
  let lantern: Awaited<ReturnType<typeof spawnLantern>> | undefined;
  try {
    lantern = await spawnLantern({
      STORE: 'redis',
      REDIS_URL: redis.url,
      HASH_SECRET,
      LOG_LEVEL: 'warn',
      FLOWS_DIR: content.flowsDir,
      LOCALES_DIR: content.localesDir,
    });
    const base = lantern.url;
    const conversations: DirectLineConversation[] = [];
    await inBatches(Array.from({ length: count }), 8, async () => void conversations.push(await openConversation(base, agent, { country: COUNTRY })));

    const classify = (kind: Kind, said: BotSaid | undefined): Answer => {
      if (!said) return 'none';
      const apologised = said.texts.some((t) => t.startsWith(apology.slice(0, 40)));
      const dialsEmergency = said.tels.some((tel) => tel.replace(/\D/g, '') === emergency);
      if (apologised) return dialsEmergency ? 'apology' : 'other';
      if (kind === 'sos') return dialsEmergency ? 'emergency' : 'other';
      return said.choices.includes('main/menu/check') ? 'normal' : 'other';
    };

    const t = { stop: Infinity, down: Infinity, restart: Infinity, up: Infinity };
    const samples: Sample[] = [];
    const readiness: { at: number; status: number }[] = [];
    let stopping = false;
    const hardEnd = performance.now() + options.beforeMs + options.downMs + options.afterMs + 60_000;
    const running = () => !stopping && performance.now() < hardEnd;

    const readinessPoller = (async () => {
      while (running()) {
        const at = performance.now();
        readiness.push({ at, status: (await http(`${base}/readyz`, { agent, timeoutMs: 3000 })).status });
        await sleep(100);
      }
    })();
    const workers = conversations.map(async (conversation, index) => {
      // Spread the conversations over one interval so the rate is steady, not in bursts.
      await sleep((index * intervalMs) / count);
      for (let turn = index; running(); turn++) {
        const kind: Kind = turn % 3 === 0 ? 'sos' : 'menu';
        const sentAt = performance.now();
        const answer = await postActivity(base, agent, conversation, { text: kind === 'sos' ? 'SOS' : '/menu' });
        const said = answer.status === 200 ? await readReplies(base, agent, conversation) : undefined;
        samples.push({ kind, sentAt, doneAt: performance.now(), status: answer.status, answer: classify(kind, said) });
        await sleep(Math.max(0, sentAt + intervalMs - performance.now()));
      }
    });

    await sleep(options.beforeMs);
    t.stop = performance.now();
    await redis.shutdown();
    t.down = performance.now();
    await sleep(options.downMs);
    t.restart = performance.now();
    await redis.restart();
    t.up = performance.now();
    const recovered = () =>
      samples.some((s) => s.kind === 'menu' && s.sentAt >= t.up && s.answer === 'normal') && readiness.some((r) => r.at >= t.up && r.status === 200);
    await waitFor(recovered, 30_000);
    await sleep(options.afterMs);
    stopping = true;
    await Promise.all([...workers, readinessPoller]);
    const aliveAfter = !lantern.hasExited();
    const exit = await lantern.stop();

    const problems: string[] = [];
    const before = samples.filter((s) => s.doneAt < t.stop);
    const down = samples.filter((s) => s.sentAt >= t.down && s.doneAt <= t.restart);
    const sosDown = down.filter((s) => s.kind === 'sos');
    const menuDown = down.filter((s) => s.kind === 'menu');
    const firstOk = samples.filter((s) => s.kind === 'menu' && s.sentAt >= t.up && s.answer === 'normal').sort((a, b) => a.doneAt - b.doneAt)[0];
    const afterOk = firstOk ? samples.filter((s) => s.sentAt > firstOk.doneAt) : [];
    const readyAgain = readiness.find((r) => r.at >= t.up && r.status === 200);
    const non2xx = samples.filter((s) => s.status < 200 || s.status > 299);
    const server5xx = samples.filter((s) => s.status >= 500);
    if (!before.some((s) => s.answer === 'normal')) problems.push('no normal turn before Redis stopped: the set-up did not work');
    if (before.some((s) => s.answer !== 'normal' && s.answer !== 'emergency')) problems.push('some turns failed before Redis stopped');
    if (non2xx.length > 0) problems.push(`${non2xx.length} turn(s) got no 2xx answer (statuses ${[...new Set(non2xx.map((s) => s.status))].join(', ')})`);
    if (sosDown.length === 0 || menuDown.length === 0) problems.push('too few turns while Redis was down to judge: lengthen the outage or raise the rate');
    const sosWrong = sosDown.filter((s) => s.answer !== 'emergency');
    if (sosWrong.length > 0)
      problems.push(
        `${sosWrong.length} of ${sosDown.length} SOS while Redis was down did not get the emergency number (${[...new Set(sosWrong.map((s) => s.answer))].join(', ')})`,
      );
    const menuWrong = menuDown.filter((s) => s.answer !== 'apology');
    if (menuWrong.length > 0)
      problems.push(
        `${menuWrong.length} of ${menuDown.length} turns while Redis was down did not get the apology with the hotline (${[...new Set(menuWrong.map((s) => s.answer))].join(', ')})`,
      );
    if (!readiness.some((r) => r.at > t.down && r.at < t.restart && r.status === 503)) problems.push('/readyz never answered 503 while Redis was down');
    if (!firstOk) problems.push('turns did not succeed again within 30 s of Redis answering');
    if (!readyAgain) problems.push('/readyz did not answer 200 again after Redis came back');
    const afterWrong = afterOk.filter((s) => s.answer !== (s.kind === 'sos' ? 'emergency' : 'normal'));
    if (afterWrong.length > 0) problems.push(`${afterWrong.length} turn(s) after recovery still failed`);
    const recoveryMs = firstOk ? firstOk.doneAt - t.up : undefined;
    if (options.recoveryGoalMs !== undefined && recoveryMs !== undefined && recoveryMs >= options.recoveryGoalMs)
      problems.push(`recovery took ${Math.round(recoveryMs)} ms (goal < ${options.recoveryGoalMs} ms)`);
    if (!aliveAfter) problems.push('the server process died');
    if (exit.code !== 0) problems.push(`the server exited with ${exit.code ?? exit.signal} on SIGTERM, not 0`);
    return result(name, problems, {
      turns: samples.length,
      turnsWhileDown: down.length,
      sosWhileDown: sosDown.length,
      emergencyAnswersWhileDown: sosDown.length - sosWrong.length,
      apologiesWhileDown: menuDown.length - menuWrong.length,
      non2xx: non2xx.length,
      http5xx: server5xx.length,
      outageMs: round(t.restart - t.down),
      redisRestartMs: round(t.up - t.restart),
      recoveryMs: round(recoveryMs),
      readyzAgainMs: round(readyAgain ? readyAgain.at - t.up : undefined),
      exitCode: exit.code,
    });
  } catch (error) {
    return result(name, [`the check could not run: ${(error as Error).message}`], {});
  } finally {
    await lantern?.stop(5000);
    agent.destroy();
    await redis.close();
    content.cleanup();
  }
}

/**
 * (ii) and (iii) on the real process: `lantern serve` with STORE=sqlite, the Telegram webhook
 * (replies to a local Bot API stub) and Direct Line. First a flow file is broken and SIGHUP
 * sent: the reload must be rejected with file:line and the old flows keep answering; the file
 * is then repaired and SIGHUP must apply it. Then a stream of turns from many chats, SIGTERM in
 * the middle: the process must exit 0 and every turn that got a 2xx must be in the store (each
 * session's version counts its writes) and, on Telegram, must have had its reply sent.
 */
export async function checkSignals(options: {
  chats: number;
  conversations: number;
  streamMs: number;
  paceMs: number;
  languages?: string[];
}): Promise<CheckResult[]> {
  const content = copyContent(options.languages);
  const sqlitePath = join(content.dir, 'data', 'lantern.db');
  const stub = await startBotApiStub();
  const agent = new Agent({ keepAlive: true, maxSockets: options.chats + options.conversations + 8 });
  let lantern: Awaited<ReturnType<typeof spawnLantern>> | undefined;
  const tap = tapReplies(stub, 300_000);
  let updateId = 1;
  try {
    lantern = await spawnLantern((port) => ({
      STORE: 'sqlite',
      SQLITE_PATH: sqlitePath,
      HASH_SECRET,
      LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: stub.url,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      FLOWS_DIR: content.flowsDir,
      LOCALES_DIR: content.localesDir,
    }));
    const base = lantern.url;
    const proc = lantern;

    // --- SIGHUP with a broken flow, then with the repaired one.
    const hupProblems: string[] = [];
    const file = join(content.flowsDir, 'main.flow.yaml');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const brokenLine = lines.findIndex((line) => line === '    next: menu') + 1;
    if (brokenLine === 0) throw new Error('main.flow.yaml has no `    next: menu` line to break: update the check');
    writeFileSync(file, original.replace('    next: menu\n', '    next: menu_that_does_not_exist\n'));
    const outputBefore = proc.output().length;
    proc.child.kill('SIGHUP');
    const rejected = await waitFor(() => proc.output().slice(outputBefore).includes('reload rejected'), 15_000);
    const told = proc.output().slice(outputBefore);
    const pinned = new RegExp(`main\\.flow\\.yaml:${brokenLine}:\\d+: .*menu_that_does_not_exist`).test(told);
    if (!rejected) hupProblems.push('SIGHUP with a broken flow printed no "reload rejected"');
    if (rejected && !pinned) hupProblems.push(`the rejection did not name main.flow.yaml:${brokenLine}`);
    const probe = await openConversation(base, agent, { country: COUNTRY });
    const menu = await postActivity(base, agent, probe, { text: '/menu' });
    const menuSaid = menu.status === 200 ? await readReplies(base, agent, probe) : undefined;
    if (!menuSaid?.choices.includes('main/menu/check')) hupProblems.push(`after the rejected reload the web chat got no main menu (HTTP ${menu.status})`);
    const probeChat = 9_000_001;
    const replied = tap.next(probeChat, 10_000);
    const started = await postUpdate(base, agent, WEBHOOK_SECRET, textUpdate(probeChat, updateId++, '/start'));
    const telegramAnswered = started.status === 200 && (await replied) !== undefined;
    if (!telegramAnswered) hupProblems.push('after the rejected reload Telegram got no answer to /start');
    writeFileSync(file, original);
    const reloadsBefore = proc.output().split('content reloaded').length;
    proc.child.kill('SIGHUP');
    if (!(await waitFor(() => proc.output().split('content reloaded').length > reloadsBefore, 15_000)))
      hupProblems.push('SIGHUP with the repaired flow did not reload');
    if (proc.hasExited()) hupProblems.push('the process ended on SIGHUP');
    const hup = result('SIGHUP with a broken flow', hupProblems, {
      rejected,
      namesFileAndLine: pinned,
      oldFlowsAnswered: !!menuSaid?.choices.includes('main/menu/check') && telegramAnswered,
    });

    // --- SIGTERM in the middle of a stream of turns.
    const script: UserInput[] = [{ choice: 'main/menu/rights' }, { choice: 'facts/pick/rights' }, { text: 'Another fact' }, { text: '/menu' }];
    const chats = Array.from({ length: options.chats }, (_, i) => 7_000_001 + i);
    const telegramAcked = new Map<number, number>();
    const conversations: DirectLineConversation[] = [];
    const webAcked = new Map<string, number>();
    let setupFailures = 0;
    await inBatches(chats, 16, async (chat) => {
      const reply = tap.next(chat, 10_000);
      const answer = await postUpdate(base, agent, WEBHOOK_SECRET, textUpdate(chat, updateId++, '/start'));
      if (answer.status === 200 && (await reply) !== undefined) telegramAcked.set(chat, 1);
      else setupFailures++;
    });
    await inBatches(Array.from({ length: options.conversations }), 16, async () => {
      const conversation = await openConversation(base, agent, { country: COUNTRY });
      conversations.push(conversation);
      // The start turn ran when the conversation opened; this one waits behind it.
      const answer = await postActivity(base, agent, conversation, { text: '/menu' });
      webAcked.set(conversation.id, answer.status === 200 ? 2 : 1);
      if (answer.status !== 200) setupFailures++;
    });

    // Every client sends on one shared beat, so each beat is a wave of turns in flight at once;
    // SIGTERM lands a few milliseconds into a wave. 400 ms apart keeps each chat under the
    // 30-turns-per-10-s limit, above which turns are answered without being stored.
    const paceMs = Math.max(400, options.paceMs);
    const beats = Math.max(1, Math.round(options.streamMs / paceMs));
    const gridStart = performance.now() + 50;
    const streamEnd = gridStart + beats * paceMs + 20_000;
    let sigtermAt = Infinity;
    const counts = {
      ackedBefore: 0,
      ackedDuringShutdown: 0,
      ackedSentAfterSigterm: 0,
      refusedAfter: 0,
      failedBefore: 0,
      repliesMissing: 0,
      inFlightAtSigterm: 0,
    };
    const ack = (sentAt: number) => {
      if (performance.now() < sigtermAt) counts.ackedBefore++;
      else counts.ackedDuringShutdown++;
      if (sentAt < sigtermAt && performance.now() >= sigtermAt) counts.inFlightAtSigterm++;
      if (sentAt >= sigtermAt) counts.ackedSentAfterSigterm++;
    };
    // After SIGTERM, an answer other than 2xx is the process saying no: the client keeps the turn.
    const refused = (sentAt: number) => {
      if (sentAt >= sigtermAt || performance.now() >= sigtermAt) {
        counts.refusedAfter++;
        if (sentAt < sigtermAt) counts.inFlightAtSigterm++;
        return true;
      }
      counts.failedBefore++;
      return false;
    };
    const nextBeat = async () => {
      const beat = Math.max(0, Math.ceil((performance.now() - gridStart) / paceMs));
      await sleep(Math.max(0, gridStart + beat * paceMs - performance.now()));
    };

    const telegramWorkers = chats.map(async (chat) => {
      if (!telegramAcked.has(chat)) return;
      for (let turn = 0; !proc.hasExited() && performance.now() < streamEnd; turn++) {
        await nextBeat();
        const input = script[turn % script.length]!;
        const id = updateId++;
        const sentAt = performance.now();
        const reply = tap.next(chat, 10_000);
        const answer = await postUpdate(base, agent, WEBHOOK_SECRET, 'text' in input ? textUpdate(chat, id, input.text) : pressUpdate(chat, id, input.choice));
        if (answer.status === 200) {
          telegramAcked.set(chat, telegramAcked.get(chat)! + 1);
          ack(sentAt);
          if ((await reply) === undefined) counts.repliesMissing++;
        } else if (refused(sentAt)) return;
      }
    });
    const webWorkers = conversations.map(async (conversation) => {
      if (webAcked.get(conversation.id) !== 2) return;
      for (let turn = 0; !proc.hasExited() && performance.now() < streamEnd; turn++) {
        await nextBeat();
        const sentAt = performance.now();
        const answer = await postActivity(base, agent, conversation, script[turn % script.length]!);
        if (answer.status >= 200 && answer.status <= 299) {
          webAcked.set(conversation.id, webAcked.get(conversation.id)! + 1);
          ack(sentAt);
        } else if (refused(sentAt)) return;
      }
    });

    await sleep(Math.max(0, gridStart + beats * paceMs + 5 - performance.now()));
    sigtermAt = performance.now();
    proc.child.kill('SIGTERM');
    const killer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
    const exit = await proc.exited;
    clearTimeout(killer);
    const exitMs = performance.now() - sigtermAt;
    await Promise.all([...telegramWorkers, ...webWorkers]);

    const store = createSessionStore({ kind: 'sqlite', path: sqlitePath });
    let lost = 0;
    let extra = 0;
    let sessionsShort = 0;
    const compare = async (key: string, acked: number) => {
      const version = (await store.get(key))?.version ?? 0;
      if (version < acked) sessionsShort++;
      lost += Math.max(0, acked - version);
      extra += Math.max(0, version - acked);
    };
    for (const [chat, acked] of telegramAcked) await compare(sessionKey(HASH_SECRET, 'telegram', String(chat)), acked);
    for (const [id, acked] of webAcked) await compare(sessionKey(HASH_SECRET, 'webchat', `webchat:${id}`), acked);
    await store.close();

    const termProblems: string[] = [];
    if (setupFailures > 0) termProblems.push(`${setupFailures} chat(s) failed to start before the stream`);
    if (counts.ackedBefore === 0) termProblems.push('no turn was acknowledged before SIGTERM: the stream did not run');
    if (counts.inFlightAtSigterm === 0) termProblems.push('no request was in flight when SIGTERM came: the check proved nothing');
    if (counts.failedBefore > 0) termProblems.push(`${counts.failedBefore} request(s) failed before SIGTERM`);
    if (exit.code !== 0) termProblems.push(`the process exited with ${exit.code ?? exit.signal}, not 0`);
    if (lost > 0) termProblems.push(`${lost} acknowledged turn(s) in ${sessionsShort} session(s) are missing from the store`);
    if (counts.repliesMissing > 0) termProblems.push(`${counts.repliesMissing} acknowledged Telegram update(s) never got their reply`);
    const term = result('SIGTERM mid-load', termProblems, {
      turnsAcked: counts.ackedBefore + counts.ackedDuringShutdown,
      inFlightAtSigterm: counts.inFlightAtSigterm,
      ackedDuringShutdown: counts.ackedDuringShutdown,
      ackedSentAfterSigterm: counts.ackedSentAfterSigterm,
      refusedAfterSigterm: counts.refusedAfter,
      lostTurns: lost,
      storedWithoutAck: extra,
      repliesMissing: counts.repliesMissing,
      exitCode: exit.code,
      exitMs: Math.round(exitMs),
    });
    return [hup, term];
  } catch (error) {
    const tail = lantern?.hasExited() ? ` (the process ended; its last words: ${lantern.output().slice(-1500)})` : '';
    return [result('SIGHUP / SIGTERM on lantern serve', [`the check could not run: ${(error as Error).message}${tail}`], {})];
  } finally {
    tap.close();
    await lantern?.stop(5000);
    agent.destroy();
    await stub.close();
    content.cleanup();
  }
}

/**
 * (iii) reload() with a broken flow, in process: a dangling reference and a tab in the YAML are
 * each rejected with the file and line, while new and mid-flow conversations keep the running
 * flows; once the file is repaired, reload() succeeds.
 */
export async function checkBadReload(options: { languages?: string[] } = {}): Promise<CheckResult> {
  const name = 'reload() with a broken flow';
  const content = copyContent(options.languages);
  const emergency = emergencyDigits(content.flowsDir, COUNTRY);
  const server = await startServer({
    env: { PORT: '0', STORE: 'memory', HASH_SECRET, LOG_LEVEL: 'silent', FLOWS_DIR: content.flowsDir, LOCALES_DIR: content.localesDir },
  });
  try {
    const say = async (conversation: string, event: Parameters<typeof server.service.handle>[0]['event']) => {
      const reply = await server.service.handle({ conversation, channel: 'test', event, countryHint: COUNTRY, languageHint: 'en' });
      return {
        choices: reply.messages.flatMap((m) => (m.type === 'choices' ? m.choices.map((c) => c.id) : [])),
        dials: numbersOf(reply.messages).map((n) => n.dial.replace(/\D/g, '')),
      };
    };
    const problems: string[] = [];
    const facts = await say('mid-flow', { type: 'start' }).then(() => say('mid-flow', { type: 'choice', id: 'main/menu/rights' }));
    if (!facts.choices.includes('facts/pick/rights')) problems.push('set-up: the facts menu did not open');

    const edits = [
      {
        file: 'main.flow.yaml',
        mark: 'menu_that_does_not_exist',
        edit: (text: string) => text.replace('    next: menu\n', '    next: menu_that_does_not_exist\n'),
      },
      {
        file: 'facts.flow.yaml',
        mark: 'Tabs',
        edit: (text: string) => text.replace(/^states:\n/m, 'states:\n  \tbroken: tab\n'),
      },
    ];
    let rejected = 0;
    let pinned = 0;
    let firstProblem = '';
    for (const [index, { file, mark, edit }] of edits.entries()) {
      const path = join(content.flowsDir, file);
      const original = readFileSync(path, 'utf8');
      const changed = edit(original);
      if (changed === original) throw new Error(`${file} no longer has the text this check breaks: update the check`);
      const line = changed.split('\n').findIndex((l, i) => l !== original.split('\n')[i]) + 1;
      writeFileSync(path, changed);
      const outcome = server.reload();
      if (outcome.ok) problems.push(`reload() accepted a broken ${file}`);
      else {
        rejected++;
        const hit = outcome.error.problems.find((p) => p.file.endsWith(file) && p.line === line && p.message.includes(mark));
        if (hit) pinned++;
        else
          problems.push(
            `the rejection of ${file} did not name line ${line}: ${outcome.error.problems
              .map((p) => `${p.file}:${p.line}`)
              .join(', ')
              .slice(0, 300)}`,
          );
        firstProblem ||= hit ? `${file}:${hit.line}:${hit.column}: ${hit.message}` : '';
      }
      const fresh = await say(`new-${index}`, { type: 'start' });
      if (!fresh.choices.includes('main/menu/check')) problems.push(`after rejecting ${file}, a new conversation got no main menu`);
      const next = await say('mid-flow', index === 0 ? { type: 'choice', id: 'facts/pick/rights' } : { type: 'choice', id: 'fact_topic/more/another' });
      if (!next.choices.includes('fact_topic/more/another'))
        problems.push(`after rejecting ${file}, a conversation in the middle of the facts flow did not continue`);
      const sos = await say(`sos-${index}`, { type: 'text', text: 'SOS' });
      if (!sos.dials.includes(emergency)) problems.push(`after rejecting ${file}, SOS got no emergency number`);
      writeFileSync(path, original);
    }
    const repaired = server.reload();
    if (!repaired.ok) problems.push(`reload() of the repaired flows failed: ${repaired.error.message.slice(0, 300)}`);
    return result(name, problems, {
      brokenEdits: edits.length,
      rejected,
      namedFileAndLine: pinned,
      repairedReloadOk: repaired.ok,
      example: firstProblem.replace(content.dir, '…'),
    });
  } catch (error) {
    return result(name, [`the check could not run: ${(error as Error).message}`], {});
  } finally {
    await server.close();
    content.cleanup();
  }
}
