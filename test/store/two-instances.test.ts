/**
 * Two server processes on one Redis: thousands of interleaved turns on a hundred conversations,
 * each sent to either process at random, and not one turn lost or counted twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/engine/index.js';
import { createSessionStore, type SessionStore } from '../../src/store/index.js';
import { root, shippedPaths } from '../helpers/content.js';
import { redisReachable, requireService } from '../helpers/requires.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONVERSATIONS = 100;
const TURNS_EACH = 20;

const reachable = await redisReachable(REDIS_URL);

describe.runIf(requireService('Redis', reachable, `no server answers at ${REDIS_URL}`))('two instances on one Redis', () => {
  const secret = `two-instances-${randomBytes(16).toString('hex')}`;
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const replies = new Map<string, number>();
  let connector: Server;
  let connectorUrl: string;
  let store: SessionStore;

  const startInstance = (port: number) =>
    new Promise<void>((ready, fail) => {
      const child = spawn(process.execPath, [join(root, 'bin/lantern.js'), 'serve'], {
        env: {
          ...process.env,
          PORT: String(port),
          STORE: 'redis',
          REDIS_URL,
          HASH_SECRET: secret,
          BOT_EMULATOR: 'true',
          LOG_LEVEL: 'warn',
          CLIENT_RATE_LIMIT: 'off',
          LOCALES_DIR: shippedPaths.localesDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Lantern is running')) ready();
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => fail(new Error(`instance on ${port} exited with ${code}: ${out}`)));
    });

  beforeAll(async () => {
    connector = createServer((req, res) => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      req.resume();
      req.on('end', () => {
        if (match) replies.set(decodeURIComponent(match[1]!), (replies.get(decodeURIComponent(match[1]!)) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomBytes(4).toString('hex') }));
      });
    });
    await new Promise<void>((done) => connector.listen(0, '127.0.0.1', done));
    connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
    for (let i = 0; i < 2; i++) {
      const probe = createServer();
      await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
      ports.push((probe.address() as AddressInfo).port);
      await new Promise((done) => probe.close(done));
    }
    await Promise.all(ports.map(startInstance));
    store = createSessionStore({ kind: 'redis', url: REDIS_URL });
  }, 90_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    connector?.close();
    if (store) {
      for (let c = 0; c < CONVERSATIONS; c++) await store.delete(keyOf(c)).catch(() => {});
      await store.close();
    }
  });

  const keyOf = (c: number) => createHmac('sha256', secret).update(`botframework\u0000emulator:conv-${c}`).digest('base64url');

  it('loses no turn and counts none twice', async () => {
    const jobs: { c: number; port: number; n: number }[] = [];
    for (let n = 0; n < TURNS_EACH; n++) for (let c = 0; c < CONVERSATIONS; c++) jobs.push({ c, n, port: ports[Math.floor(Math.random() * 2)]! });
    // Shuffle so that turns of one conversation interleave across both instances.
    for (let i = jobs.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
    }
    let next = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const res = await fetch(`http://127.0.0.1:${job.port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `a-${job.c}-${job.n}`,
            channelId: 'emulator',
            serviceUrl: connectorUrl,
            from: { id: `user-${job.c}` },
            recipient: { id: 'bot' },
            conversation: { id: `conv-${job.c}` },
            text: '/menu',
            locale: 'en-US',
          }),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 24 }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(`two instances: ${jobs.length} turns in ${seconds.toFixed(1)} s (${Math.round(jobs.length / seconds)} turns/s)`);

    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    let lost = 0;
    let duplicated = 0;
    for (let c = 0; c < CONVERSATIONS; c++) {
      const stored = await store.get(keyOf(c));
      const session = stored ? parseSession(stored.value) : undefined;
      expect(session, `conversation ${c}`).toBeDefined();
      expect(session).toMatchObject({ flow: 'main', state: 'menu' });
      if (session!.turns < TURNS_EACH) lost += TURNS_EACH - session!.turns;
      if (session!.turns > TURNS_EACH) duplicated += session!.turns - TURNS_EACH;
      // Every turn was answered: the menu question at least once per turn.
      expect(replies.get(`conv-${c}`) ?? 0).toBeGreaterThanOrEqual(TURNS_EACH);
    }
    console.log(`two instances: ${lost} lost, ${duplicated} duplicated turns`);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 120_000);
});
