/** Turns per second through the conversation service on each session store, and the stored session size. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEngine, type Inbound } from '../src/engine/index.js';
import { createConversationService } from '../src/server/index.js';
import { loadContent } from '../src/content/index.js';
import { createSessionStore, type SessionStore } from '../src/store/index.js';
import { opsPerSecond } from './measure.js';

const CONVERSATIONS = 100;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Measures each store; Redis only when a server answers (the figure is then marked missing). */
export async function benchStores(paths: { flowsDir: string; localesDir: string }, ms: number, redisUrl: string | undefined) {
  const { content } = loadContent(paths);
  if (!content) throw new Error('content did not load');
  const { engine } = buildEngine(content, { language: 'en' });
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const results: Record<string, number | string> = {};
  const stores: [string, () => SessionStore][] = [
    ['memory', () => createSessionStore({ kind: 'memory' })],
    ['sqlite', () => createSessionStore({ kind: 'sqlite', path: join(dir, 'bench.db') })],
    ...(redisUrl
      ? ([['redis', () => createSessionStore({ kind: 'redis', url: redisUrl, prefix: `lantern-bench:${process.pid}:` })]] as [string, () => SessionStore][])
      : []),
  ];
  let typicalSessionBytes = 0;
  for (const [name, make] of stores) {
    const store = make();
    try {
      await store.ping();
    } catch {
      results[`${name}TurnsPerSecond`] = 'unavailable';
      await store.close();
      continue;
    }
    const service = createConversationService({
      engine: () => engine,
      store,
      hashSecret: 'bench-secret-0123456789',
      ttlMs: 3_600_000,
      log: silent,
      rateLimit: { turns: 1e9, windowMs: 1000 },
    });
    const inbound = (i: number, event: Inbound['event']): Inbound => ({ conversation: `c${i}`, channel: 'test', event, countryHint: 'MD' });
    for (let c = 0; c < CONVERSATIONS; c++) {
      await service.handle(inbound(c, { type: 'start' }));
      await service.handle(inbound(c, { type: 'choice', id: 'main/menu/rights' }));
      await service.handle(inbound(c, { type: 'choice', id: 'facts/pick/rights' }));
    }
    results[`${name}TurnsPerSecond`] = Math.round(
      await opsPerSecond((i) => service.handle(inbound(i % CONVERSATIONS, { type: 'choice', id: 'fact_topic/more/another' })), ms),
    );
    if (name === 'memory') {
      // A typical session at its largest: mid-screening, with answers kept for the result.
      const c = inbound(CONVERSATIONS, { type: 'start' });
      await service.handle(c);
      await service.handle({ ...c, event: { type: 'choice', id: 'main/menu/check' } });
      for (let q = 0; q < 8; q++) await service.handle({ ...c, event: { type: 'text', text: q % 2 ? 'no' : 'yes' } });
      typicalSessionBytes = Buffer.byteLength((await store.get(service.keyOf(c)))!.value);
    }
    for (let c = 0; c <= CONVERSATIONS; c++) await store.delete(service.keyOf(inbound(c, { type: 'start' })));
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return { ...results, typicalSessionBytes } as Record<string, number | string> & { typicalSessionBytes: number };
}
