/**
 * The Telegram webhook path end to end, on 127.0.0.1 in one process: updates POSTed to the real
 * server's /telegram/webhook (secret checked, update mapped, turn run, reply rendered) until the
 * reply reaches a local Bot API stub. Compared in the same run with a bare telegraf echo bot
 * served the same way, and measured for latency at a fixed rate. The workload is many chats in
 * the facts flow asking for another fact, half by button and half typed (what users do): that
 * mix gives the headline ratio and the latency; typed only and buttons only are reported too.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import { startServer } from '../src/server/index.js';
import { percentile } from './measure.js';

const TOKEN = '999000:lantern-bench';
const SECRET = 'bench_webhook-secret-0123456789';
const PATH = '/telegram/webhook';
// Concurrent clients in the throughput runs, and distinct chats they take turns with.
const IN_FLIGHT = 32;
const CHATS = 256;
const RATE = 200;
// A reply slower than this counts as lost and ends the run: something is broken, not slow.
const REPLY_TIMEOUT_MS = 10_000;
const ANOTHER_FACT = 'fact_topic/more/another';
const ANOTHER_FACT_LABEL = 'Another fact';
const NOT_UNDERSTOOD = 'did not understand';

type Params = Record<string, unknown>;
interface Waiter {
  done: (params: Params) => boolean;
  resolve: () => void;
}

/** A Bot API stand-in that tells waiters when a chat's reply arrives, and the clients' connection pool. */
interface Harness {
  url: string;
  waiters: Map<string, Waiter>;
  agent: Agent;
  close: () => Promise<void>;
}

async function startHarness(): Promise<Harness> {
  const waiters = new Map<string, Waiter>();
  let nextId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      const params = (chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as Params;
      let result: unknown = true;
      if (method === 'getMe') result = { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' };
      if (method === 'sendMessage') result = { message_id: nextId++, date: 0, chat: { id: Number(params.chat_id), type: 'private' }, text: params.text };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      if (method !== 'sendMessage') return;
      const chat = String(params.chat_id);
      const waiter = waiters.get(chat);
      if (waiter?.done(params)) {
        waiters.delete(chat);
        waiter.resolve();
      }
    });
  });
  const url = await listenLocal(server);
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT * 2 });
  return {
    url,
    waiters,
    agent,
    close: async () => {
      agent.destroy();
      await closeLocal(server);
    },
  };
}

/** One way to reach a bot: where to post, what update to post for a chat, and when its reply is complete. */
interface Target {
  url: string;
  update: (chatId: number, updateId: number) => object;
  /** The same target driven by button presses only, by typed text only, and by both in turn (Lantern only). */
  press?: Target;
  typed?: Target;
  mixed?: Target;
  done: (params: Params) => boolean;
  close: () => Promise<void>;
}

let updateIds = 1;
// Telegram chat ids are never 0: the workload's chat numbers start at 0, so they are shifted.
const CHAT_BASE = 1000;
const textUpdate = (chatId: number, updateId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 0,
    chat: { id: chatId + CHAT_BASE, type: 'private', first_name: 'B' },
    from: { id: chatId + CHAT_BASE, is_bot: false, first_name: 'B', language_code: 'en' },
    text,
    ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
  },
});
const pressUpdate = (chatId: number, updateId: number, data: string) => ({
  update_id: updateId,
  callback_query: {
    id: `q${updateId}`,
    chat_instance: '1',
    data,
    from: { id: chatId + CHAT_BASE, is_bot: false, first_name: 'B', language_code: 'en' },
    message: { message_id: 1, date: 0, chat: { id: chatId + CHAT_BASE, type: 'private', first_name: 'B' }, text: '…' },
  },
});
// Lantern ends every turn of this workload with a keyboard: that message completes the reply.
const hasKeyboard = (params: Params) => params.reply_markup !== undefined;

function post(agent: Agent, url: string, body: object): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'x-telegram-bot-api-secret-token': SECRET },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Posts one update and resolves when its reply reached the stub. */
async function exchange(stub: Harness, target: Target, chatId: number, update: object, done = target.done): Promise<void> {
  const chat = String(chatId + CHAT_BASE);
  if (stub.waiters.has(chat)) throw new Error('one update per chat at a time');
  let timer: NodeJS.Timeout | undefined;
  const replied = new Promise<void>((resolve, reject) => {
    stub.waiters.set(chat, { done, resolve });
    timer = setTimeout(() => {
      stub.waiters.delete(chat);
      reject(new Error(`no reply within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
  });
  try {
    const status = await post(stub.agent, target.url, update);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    await replied;
  } finally {
    clearTimeout(timer);
    stub.waiters.delete(chat);
  }
}

/** The real Lantern server, every chat brought to the facts flow first. */
async function lanternTarget(stubUrl: string, stub: Harness, env: Record<string, string>): Promise<Target> {
  const server = await startServer({
    env: {
      PORT: '0',
      STORE: 'memory',
      HASH_SECRET: 'bench-hash-secret-3a7e1f9c5b2d8640',
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stubUrl,
      PUBLIC_URL: 'http://127.0.0.1:9',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      // Each of the 256 chats takes far more than 30 turns in 10 s here: with the default flood limit a
      // fast machine would measure "slow down" answers (no keyboard, so the run would stop). The limit's
      // counting still runs on every turn.
      RATE_LIMIT: '1000000/10s',
      ...env,
    },
  });
  const url = `${server.url}${PATH}`;
  // Typing the button's label is the same turn as pressing it, with the Bot API cost of the echo bot.
  const target: Target = {
    url,
    update: (chatId, updateId) => textUpdate(chatId, updateId, ANOTHER_FACT_LABEL),
    done: hasKeyboard,
    close: () => server.close(),
  };
  target.press = { url, update: (chatId, updateId) => pressUpdate(chatId, updateId, ANOTHER_FACT), done: hasKeyboard, close: async () => undefined };
  target.typed = { ...target, close: async () => undefined };
  // Every other update is a press: update ids are global, so each chat gets both kinds too.
  target.mixed = {
    url,
    update: (chatId, updateId) => (updateId % 2 === 0 ? target.press! : target.typed!).update(chatId, updateId),
    done: hasKeyboard,
    close: async () => undefined,
  };
  await inBatches(CHATS, async (chatId) => {
    await exchange(stub, target, chatId, textUpdate(chatId, updateIds++, '/start md_en'));
    await exchange(stub, target, chatId, pressUpdate(chatId, updateIds++, 'main/menu/rights'));
    await exchange(stub, target, chatId, pressUpdate(chatId, updateIds++, 'facts/pick/rights'));
  });
  // Make sure the typed label is understood, or the run would measure the "not understood" path.
  let answer = '';
  await exchange(stub, target, 0, target.update(0, updateIds++), (params) => ((answer += String(params.text)), hasKeyboard(params)));
  if (answer.includes(NOT_UNDERSTOOD)) throw new Error(`"${ANOTHER_FACT_LABEL}" was not understood in the facts flow: update the benchmark`);
  return target;
}

/** A bare telegraf bot in webhook mode that echoes text: the floor any telegraf bot pays. */
async function bareTarget(stubUrl: string): Promise<Target> {
  const bot = new Telegraf(TOKEN, { telegram: { apiRoot: stubUrl, webhookReply: false } });
  bot.on(message('text'), (ctx) => ctx.reply(ctx.message.text));
  bot.botInfo = await bot.telegram.getMe();
  const server = createServer(bot.webhookCallback(PATH, { secretToken: SECRET }));
  const url = await listenLocal(server);
  return { url: `${url}${PATH}`, update: (chatId, updateId) => textUpdate(chatId, updateId, 'hi'), done: () => true, close: () => closeLocal(server) };
}

/** Updates per second with IN_FLIGHT clients, each posting its next update once the last was answered. */
async function closedLoop(stub: Harness, target: Target, ms: number): Promise<number> {
  let count = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      // Each worker owns the chats worker, worker + IN_FLIGHT, ...: never two updates of one chat at once.
      for (let round = 0; performance.now() < end; round++) {
        const chatId = worker + IN_FLIGHT * (round % (CHATS / IN_FLIGHT));
        await exchange(stub, target, chatId, target.update(chatId, updateIds++));
        count++;
      }
    }),
  );
  return (count * 1000) / (performance.now() - start);
}

/** Medians of interleaved rounds, so that load from the rest of the machine hits every target alike. */
async function interleaved(stub: Harness, targets: Target[], ms: number): Promise<number[]> {
  const rounds = 4;
  for (const target of targets) await closedLoop(stub, target, Math.min(500, ms / 4));
  const rates: number[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, target] of targets.entries()) rates[index]!.push(await closedLoop(stub, target, ms / rounds));
  }
  return rates.map((r) => r.sort((a, b) => a - b)[Math.floor(rounds / 2)]!);
}

/** Update-in to reply-at-stub latencies at a fixed rate, each update to a chat that is not busy. */
async function fixedRate(stub: Harness, target: Target, ms: number, rate: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.floor((rate * ms) / 1000);
  let next = 0;
  let chat = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; next < due; next++) {
      let chatId = -1;
      for (let tries = 0; tries < CHATS; tries++, chat = (chat + 1) % CHATS) {
        if (!stub.waiters.has(String(chat + CHAT_BASE))) {
          chatId = chat;
          chat = (chat + 1) % CHATS;
          break;
        }
      }
      if (chatId < 0) {
        await Promise.allSettled(pending);
        throw new Error(`all ${CHATS} chats are waiting: the server is not keeping up with ${rate} updates/s`);
      }
      const sent = performance.now();
      pending.push(exchange(stub, target, chatId, target.update(chatId, updateIds++)).then(() => void latencies.push(performance.now() - sent)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return latencies.sort((a, b) => a - b);
}

/** Runs the Telegram webhook benchmark for about `ms` per measurement; returns its figures. */
export async function benchTelegramWebhook(ms: number, options: { env?: Record<string, string> } = {}) {
  const stub = await startHarness();
  const closers: (() => Promise<void>)[] = [stub.close];
  try {
    const lantern = await lanternTarget(stub.url, stub, options.env ?? {});
    closers.unshift(lantern.close);
    const bare = await bareTarget(stub.url);
    closers.unshift(bare.close);
    const [updatesPerSecond = 0, bareEchoUpdatesPerSecond = 0, typedUpdatesPerSecond = 0, pressUpdatesPerSecond = 0] = await interleaved(
      stub,
      [lantern.mixed!, bare, lantern.typed!, lantern.press!],
      ms,
    );
    const latencies = await fixedRate(stub, lantern.mixed!, ms, RATE);
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      /** Half button presses, half typed text. */
      updatesPerSecond: Math.round(updatesPerSecond),
      bareEchoUpdatesPerSecond: Math.round(bareEchoUpdatesPerSecond),
      ratio: round(updatesPerSecond / bareEchoUpdatesPerSecond),
      /** Typed text only: one update in, one message out, like the echo bot. */
      typedUpdatesPerSecond: Math.round(typedUpdatesPerSecond),
      typedRatio: round(typedUpdatesPerSecond / bareEchoUpdatesPerSecond),
      /** Button presses only (answered in the webhook response). */
      pressUpdatesPerSecond: Math.round(pressUpdatesPerSecond),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      rate: RATE,
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

/** Runs `task` for chats 0..count-1, IN_FLIGHT at a time. */
async function inBatches(count: number, task: (chatId: number) => Promise<void>): Promise<void> {
  for (let first = 0; first < count; first += IN_FLIGHT) {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count - first) }, (_, i) => task(first + i)));
  }
}

function listenLocal(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeLocal(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
