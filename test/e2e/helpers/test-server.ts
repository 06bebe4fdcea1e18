/**
 * Starts a real Lantern server for end-to-end tests, on a memory store with captured logs, over a
 * private copy of locales/ that leaves out any locale that does not load (other people may be
 * half-way through writing one).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { FlowError } from '../../../src/flows/index.js';
import { startServer, type RunningServer } from '../../../src/server/index.js';

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
  /** The locales folder the server reads (a temporary copy unless the env named one). */
  localesDir: string;
  /** Everything the server logged so far (pino JSON lines). */
  logs(): string;
  close(): Promise<void>;
}

/**
 * Starts the real server with `env` over test defaults (memory store, any free port, a fixed
 * hash secret, info logs captured). Pass a function to get a free port up front, for settings
 * such as PUBLIC_URL that must name the port before the server starts.
 */
export async function startTestServer(env: Record<string, string> | ((port: number) => Record<string, string>) = {}): Promise<TestServer> {
  const port = typeof env === 'function' ? await freePort() : 0;
  const given = typeof env === 'function' ? env(port) : env;
  const copy = given.LOCALES_DIR ? undefined : mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
  const localesDir = copy ? join(copy, 'locales') : given.LOCALES_DIR!;
  if (copy) cpSync(join(root, 'locales'), localesDir, { recursive: true });
  let log = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (log.length < MAX_LOG_CHARS) log += chunk.toString('utf8');
      done();
    },
  });
  // Each failed round drops the locales that broke it; English alone is the last try.
  for (let round = 0; ; round++) {
    try {
      const server = await startServer({
        env: { STORE: 'memory', HASH_SECRET: 'e2e-hash-secret-0123456789', LOG_LEVEL: 'info', ...given, PORT: String(port), LOCALES_DIR: localesDir },
        log: sink,
      });
      return {
        server,
        url: server.url,
        languages: localeFolders(localesDir),
        localesDir,
        logs: () => log,
        async close() {
          await server.close();
          if (copy) rmSync(copy, { recursive: true, force: true });
        },
      };
    } catch (error) {
      const others = localeFolders(localesDir).filter((l) => l !== 'en');
      if (!copy || !(error instanceof FlowError) || others.length === 0 || round >= 3) {
        if (copy) rmSync(copy, { recursive: true, force: true });
        throw error;
      }
      // Drop the locales the errors name; when they name something else, keep English alone.
      const blamed = blamedLocales(error);
      const drop = blamed && blamed.length > 0 ? blamed : others;
      console.warn(`[e2e] leaving out locale(s) that do not load: ${drop.join(', ')}`);
      for (const language of drop) rmSync(join(localesDir, language), { recursive: true, force: true });
    }
  }
}

/** The locale folders a FlowError blames, or `undefined` when something outside them (or en) is broken. */
function blamedLocales(error: FlowError): string[] | undefined {
  const blamed = new Set<string>();
  for (const problem of error.problems.filter((p) => p.severity === 'error')) {
    const match = /(?:^|[\\/])locales[\\/]([^\\/:]+)/.exec(problem.file);
    if (!match?.[1]) return undefined;
    if (match[1] === 'en') return undefined;
    blamed.add(match[1]);
  }
  return [...blamed];
}

function localeFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Starts a node:http server on a free 127.0.0.1 port and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a node:http server, cutting keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}
