/** The HMAC secret that keys the store: configured, read from its file, or generated there once. */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, secretWeakness, type Config } from './config.js';

/**
 * HASH_SECRET when set; otherwise the secret in HASH_SECRET_FILE (default with SQLite: `hash-secret`
 * beside the database), generated there (mode 600) when the file is missing. An empty or weak
 * secret, configured or in the file, is a ConfigError: it would key every user's record with a
 * guessable HMAC. With neither (memory or Redis store without a file), a fresh one per process.
 */
export function loadHashSecret(config: Pick<Config, 'HASH_SECRET' | 'HASH_SECRET_FILE' | 'STORE' | 'SQLITE_PATH'>): string {
  if (config.HASH_SECRET) return config.HASH_SECRET;
  const file = config.HASH_SECRET_FILE ?? (config.STORE === 'sqlite' ? join(dirname(resolve(config.SQLITE_PATH)), 'hash-secret') : undefined);
  if (!file) return randomBytes(32).toString('hex');
  const secret = readSecret(file) ?? generate(file);
  const weakness = secretWeakness(secret);
  if (weakness)
    throw new ConfigError([
      `HASH_SECRET_FILE: the hash secret in ${file} is too weak: ${weakness}. Put a strong one there, or delete the file and Lantern generates one (stored sessions are then forgotten).`,
    ]);
  return secret;
}

/** The file's secret (surrounding white space dropped), or undefined when there is no file. */
function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError([
      `HASH_SECRET_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check that the service user may read it.`,
    ]);
  }
}

/**
 * Writes a new secret to `file`, readable by the service user only. The secret is complete before
 * the name appears (written beside it, then linked), so that another process starting at the same
 * moment reads a whole secret or links its own first: then both use the one that won.
 */
function generate(file: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(draft, 0o600);
  try {
    linkSync(draft, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecret(file) ?? secret;
  } finally {
    rmSync(draft, { force: true });
  }
}
