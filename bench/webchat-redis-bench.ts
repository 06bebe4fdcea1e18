/**
 * Direct Line on STORE=redis with two `lantern serve` instances and a round-robin client: each
 * post goes to the other instance than the one before, on a fixed schedule (open loop). The
 * HTTP answer comes once the turn ran and its replies are sealed in Redis, so its latency is the
 * whole web chat turn. A private redis-server, never the shared one.
 *
 *   node bin/run-ts.js bench/webchat-redis-bench.ts [--rate 500] [--seconds 5] [--conversations 200]
 *
 * Prints a table, then `WEBCHAT_REDIS {json}`.
 */
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import {
  inBatches,
  openConversation,
  postActivity,
  readReplies,
  spawnLantern,
  startPrivateRedis,
  type DirectLineConversation,
  type LanternProcess,
  type PrivateRedis,
} from '../scripts/harness.js';
import { percentile, printTable } from './measure.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    conversations: { type: 'string', default: '200' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('node bin/run-ts.js bench/webchat-redis-bench.ts [--rate 500] [--seconds 5] [--warmup 2] [--conversations 200]');
  console.log('Two lantern serve instances on one private Redis; Direct Line posts alternate between them at a fixed rate.');
  process.exit(0);
}
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const count = Number(values.conversations);
const ANOTHER_FACT = 'Another fact';
const HASH_SECRET = 'bench-webchat-redis-0f3a9c1d7e5b2468ace13579bdf02468';

let redis: PrivateRedis | undefined;
const instances: LanternProcess[] = [];
const watchdog = setTimeout(() => {
  console.error('webchat-redis-bench: gave up after 5 minutes');
  process.exit(1);
}, 300_000);
try {
  redis = await startPrivateRedis();
  const env = {
    STORE: 'redis',
    REDIS_URL: redis.url,
    HASH_SECRET,
    LOG_LEVEL: 'warn',
    CLIENT_RATE_LIMIT: 'off',
    RATE_LIMIT: '1000000/1s',
    ...(process.env.LOCALES_DIR ? { LOCALES_DIR: process.env.LOCALES_DIR } : {}),
  };
  instances.push(...(await Promise.all([spawnLantern(env), spawnLantern(env)])));
  const bases = instances.map((i) => i.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  let turn = 0;
  const nextBase = () => bases[turn++ % bases.length]!;

  // Each conversation starts on one instance and is taken to the facts flow through the other.
  const conversations: DirectLineConversation[] = [];
  await inBatches(Array.from({ length: count }), 16, async () => {
    const conversation = await openConversation(nextBase(), agent, { locale: 'en', country: 'MD' });
    for (const choice of ['main/menu/rights', 'facts/pick/rights']) {
      const answer = await postActivity(nextBase(), agent, conversation, { choice });
      if (answer.status !== 200) throw new Error(`set-up failed (HTTP ${answer.status})`);
    }
    conversations.push(conversation);
  });
  const probe = conversations[0]!;
  await readReplies(nextBase(), agent, probe);
  await postActivity(nextBase(), agent, probe, { text: ANOTHER_FACT });
  const said = await readReplies(nextBase(), agent, probe);
  if (!said?.choices.includes('facts/more_rights/another')) throw new Error('"Another fact" was not understood: update this bench');

  const free = [...conversations];
  const run = async (ms: number) => {
    const latencies: number[] = [];
    const lags: number[] = [];
    let errors = 0;
    let skipped = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    const total = Math.round((rate * ms) / 1000);
    for (let i = 0; i < total; i++) {
      const scheduled = start + (i * 1000) / rate;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const conversation = free.shift();
      if (!conversation) {
        skipped += 1;
        continue;
      }
      const base = nextBase();
      pending.push(
        (async () => {
          const sentAt = performance.now();
          lags.push(sentAt - scheduled);
          const answer = await postActivity(base, agent, conversation, { text: ANOTHER_FACT });
          latencies.push(performance.now() - sentAt);
          if (answer.status !== 200) errors += 1;
          // Reads what the turn left, as a polling browser would (on the instance it did not post to).
          await readReplies(nextBase(), agent, conversation);
          free.push(conversation);
        })(),
      );
    }
    await Promise.all(pending);
    return { latencies, lags, errors, skipped, elapsedMs: performance.now() - start };
  };

  await run(warmup * 1000);
  const measured = await run(seconds * 1000);
  const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
  const latencies = sorted(measured.latencies);
  const lags = sorted(measured.lags);
  const figures = {
    instances: 2,
    rate,
    seconds,
    posts: measured.latencies.length,
    donePerSecond: Math.round(measured.latencies.length / (measured.elapsedMs / 1000)),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    clientLagP99Ms: Number(percentile(lags, 99).toFixed(1)),
    errors: measured.errors,
    noFreeConversation: measured.skipped,
  };
  printTable(`Direct Line on Redis, two instances, round robin, ${rate}/s (goal p99 <= 20 ms)`, [
    ['posts answered / per second', `${figures.posts} / ${figures.donePerSecond}`],
    ['post to answer (turn + sealed replies in Redis), p50 / p99 ms', `${figures.p50Ms} / ${figures.p99Ms}`],
    ['client lag p99 ms (high: the machine set the tail)', String(figures.clientLagP99Ms)],
    ['errors / no free conversation', `${figures.errors} / ${figures.noFreeConversation}`],
  ]);
  console.log(`\nWEBCHAT_REDIS ${JSON.stringify(figures)}`);
  agent.destroy();
} finally {
  clearTimeout(watchdog);
  await Promise.all(instances.map((i) => i.stop(5000)));
  await redis?.close();
}
