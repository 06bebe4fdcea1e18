import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../../src/server/index.js';
import type { RunningServer } from '../../../src/server/index.js';

const LOCALES = fileURLToPath(new URL('../../../locales', import.meta.url));

/** A real Lantern server on a free port, and the temporary folder it reads its locales from. */
export interface E2eServer {
  running: RunningServer;
  url: string;
  /** The SQLite file of the store, when started with `{ sqlite: true }` (a test may read it). */
  sqlitePath?: string;
  /** Closes the server and removes the temporary folder. */
  close(): Promise<void>;
}

/**
 * Starts the real server (content, engine, store, channels) for an end-to-end test. It reads a
 * private copy of `locales/en` only: translations being written in the checkout at the same
 * time must not make content loading fail half-way through an edit.
 */
export async function startE2eServer(options: { env?: Record<string, string>; sqlite?: boolean } = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
  const locales = join(dir, 'locales');
  cpSync(join(LOCALES, 'en'), join(locales, 'en'), { recursive: true });
  const sqlitePath = options.sqlite ? join(dir, 'data', 'lantern.db') : undefined;
  try {
    const running = await startServer({
      env: {
        STORE: sqlitePath ? 'sqlite' : 'memory',
        ...(sqlitePath ? { SQLITE_PATH: sqlitePath } : {}),
        PORT: '0',
        HASH_SECRET: 'e2e-secret-0123456789abcdef',
        LOG_LEVEL: 'silent',
        LOCALES_DIR: locales,
        ...options.env,
      },
    });
    return {
      running,
      url: running.url,
      ...(sqlitePath ? { sqlitePath } : {}),
      async close() {
        try {
          await running.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
