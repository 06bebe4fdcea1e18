/** Starts a real Lantern server for end-to-end tests, on a memory store with captured logs. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../../src/server/index.js';
import { closeServer, freePort, listen } from '../../helpers/net.js';

const root = resolve(import.meta.dirname, '../../..');
// Enough for every log line of a test run; a runaway logger must not eat the memory.
const MAX_LOG_CHARS = 4_000_000;

/** A running test server; `close()` stops it and removes its temporary files. */
export interface TestServer {
  server: RunningServer;
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** The locales the server loaded (always includes `en`). */
  languages: string[];
  /** The locales folder the server reads. */
  localesDir: string;
  /** Everything the server logged so far (pino JSON lines). */
  logs(): string;
  close(): Promise<void>;
}

/**
 * Starts the real server with `env` over test defaults (memory store, any free port, a fixed
 * hash secret, info logs captured, a per-address limit that a test's own turns never reach). Pass a function to get a free port up front, for settings
 * such as PUBLIC_URL that must name the port before the server starts.
 */
export async function startTestServer(env: Record<string, string> | ((port: number) => Record<string, string>) = {}): Promise<TestServer> {
  const port = typeof env === 'function' ? await freePort() : 0;
  const given = typeof env === 'function' ? env(port) : env;
  // The shipped locales as they are: a broken one must fail the test, not be left out.
  const localesDir = given.LOCALES_DIR ?? join(root, 'locales');
  let log = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (log.length < MAX_LOG_CHARS) log += chunk.toString('utf8');
      done();
    },
  });
  const server = await startServer({
    env: {
      STORE: 'memory',
      HASH_SECRET: 'e2e-hash-secret-4b8f2c6a9e1d7305',
      LOG_LEVEL: 'info',
      CLIENT_RATE_LIMIT: '1000/1m',
      ...given,
      PORT: String(port),
      LOCALES_DIR: localesDir,
    },
    log: sink,
  });
  return { server, url: server.url, languages: localeFolders(localesDir), localesDir, logs: () => log, close: () => server.close() };
}

function localeFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

export { closeServer, freePort, listen };
