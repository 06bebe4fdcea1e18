/** The real server for the Bot Framework and web chat end-to-end tests, optionally on SQLite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../../src/server/index.js';
import { startTestServer } from '../helpers/test-server.js';

/** A real Lantern server on a free port. */
export interface E2eServer {
  running: RunningServer;
  url: string;
  /** The SQLite file of the store, when started with `{ sqlite: true }` (a test may read it). */
  sqlitePath?: string;
  /** Closes the server and removes its temporary folder. */
  close(): Promise<void>;
}

/** Starts the real server (content, engine, store, channels) with quiet logs. */
export async function startE2eServer(options: { env?: Record<string, string>; sqlite?: boolean } = {}): Promise<E2eServer> {
  const dir = options.sqlite ? mkdtempSync(join(tmpdir(), 'lantern-e2e-')) : undefined;
  const sqlitePath = dir ? join(dir, 'data', 'lantern.db') : undefined;
  try {
    const test = await startTestServer({ LOG_LEVEL: 'silent', ...(sqlitePath ? { STORE: 'sqlite', SQLITE_PATH: sqlitePath } : {}), ...options.env });
    return {
      running: test.server,
      url: test.url,
      ...(sqlitePath ? { sqlitePath } : {}),
      async close() {
        try {
          await test.close();
        } finally {
          if (dir) rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
