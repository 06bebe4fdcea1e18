/**
 * The hash secret keys every stored record: empty or weak values are refused with a config
 * error, configured or in the file; HASH_SECRET_FILE puts the file anywhere (generated there,
 * mode 600); the default stays beside the SQLite file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHashSecret } from '../../src/server/hash-secret.js';
import { ConfigError, loadConfig, startServer } from '../../src/server/index.js';

const tempRoot = mkdtempSync(join(tmpdir(), 'lantern-hash-secret-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(tempRoot, `case-${++n}`);

/** Values an operator might paste, each guessable: none may key the store. */
const WEAK = {
  empty: '   ',
  'under 32 characters': 'k9#Lq2!vX7@pR4$wZ1^m',
  'one character repeated': 'a'.repeat(64),
  'a repeated block': '0123456789abcdef'.repeat(2),
  'a run of the alphabet': 'abcdefghijklmnopqrstuvwxyz0123456789',
  'an example placeholder': 'change-me-to-a-long-random-secret-value',
  'few different characters': 'aB3$'.repeat(10),
};

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('HASH_SECRET must be strong', () => {
  it.each(Object.entries(WEAK).filter(([name]) => name !== 'empty'))('refuses %s, never echoing it', (_name, value) => {
    const error = configError(() => loadConfig({ HASH_SECRET: value }));
    expect(error.message).toMatch(/HASH_SECRET: .*openssl rand -hex 32/);
    expect(error.message).not.toContain(value);
  });

  it('accepts random values and a long passphrase', () => {
    for (const value of [randomBytes(32).toString('hex'), randomBytes(24).toString('base64'), 'correct horse battery staple lantern'])
      expect(loadConfig({ HASH_SECRET: value }).HASH_SECRET).toBe(value);
  });

  it('Redis may take the secret from HASH_SECRET_FILE; both settings at once are refused', () => {
    expect(loadConfig({ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', HASH_SECRET_FILE: '/run/secrets/lantern' }).HASH_SECRET_FILE).toBe(
      '/run/secrets/lantern',
    );
    expect(configError(() => loadConfig({ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' })).message).toContain('HASH_SECRET');
    expect(configError(() => loadConfig({ HASH_SECRET: randomBytes(32).toString('hex'), HASH_SECRET_FILE: '/x' })).message).toContain('not both');
  });
});

describe('the hash-secret file', () => {
  it('defaults to hash-secret beside the SQLite file: generated once (mode 600, 64 hex digits), then reused', () => {
    const dir = freshDir();
    const config = loadConfig({ SQLITE_PATH: join(dir, 'data', 'lantern.db') });
    const first = loadHashSecret(config);
    const file = join(dir, 'data', 'hash-secret');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(loadHashSecret(config)).toBe(first);
  });

  it('HASH_SECRET_FILE keeps it elsewhere: generated there, nothing beside the database', () => {
    const dir = freshDir();
    const file = join(dir, 'secrets', 'lantern-hash');
    const config = loadConfig({ SQLITE_PATH: join(dir, 'data', 'lantern.db'), HASH_SECRET_FILE: file });
    const secret = loadHashSecret(config);
    expect(readFileSync(file, 'utf8')).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'data', 'hash-secret'))).toBe(false);
    // A secret the operator put there (with a newline, as editors save it) is used as it is.
    const own = randomBytes(32).toString('base64');
    writeFileSync(file, `${own}\n`);
    expect(loadHashSecret(config)).toBe(own);
    // Also for the memory store, which otherwise draws a new secret per process.
    expect(loadHashSecret(loadConfig({ STORE: 'memory', HASH_SECRET_FILE: file }))).toBe(own);
  });

  it.each(Object.entries(WEAK))('refuses a file holding %s, naming the file', (_name, value) => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'hash-secret');
    writeFileSync(file, value, { mode: 0o600 });
    const error = configError(() => loadHashSecret(loadConfig({ SQLITE_PATH: join(dir, 'lantern.db') })));
    expect(error.message).toContain(`HASH_SECRET_FILE: the hash secret in ${file} is too weak`);
    if (value.trim()) expect(error.message).not.toContain(value);
    // Left as it was: the operator decides.
    expect(readFileSync(file, 'utf8')).toBe(value);
  });

  it('the server refuses to start on an empty hash-secret file, before it opens the store', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hash-secret'), '');
    await expect(startServer({ env: { PORT: '0', STORE: 'sqlite', SQLITE_PATH: join(dir, 'lantern.db'), LOG_LEVEL: 'silent' } })).rejects.toThrow(
      /hash-secret is too weak: it is empty/,
    );
    expect(existsSync(join(dir, 'lantern.db'))).toBe(false);
  });
});
