/** The studio's locks, one by one: Host header, CSRF token and Origin, writes only inside the content folders. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSessions, hostAllowed, resolveContentFile, StudioError } from '../../src/studio/guard.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('Host header (DNS rebinding)', () => {
  it('answers only to the studio own loopback address and port', () => {
    expect(hostAllowed('127.0.0.1:4000', 4000, undefined)).toBe(true);
    expect(hostAllowed('localhost:4000', 4000, undefined)).toBe(true);
    expect(hostAllowed('evil.example:4000', 4000, undefined)).toBe(false);
    expect(hostAllowed('127.0.0.1:4001', 4000, undefined)).toBe(false);
    expect(hostAllowed(undefined, 4000, undefined)).toBe(false);
  });

  it('leaves names to the login when a token guards the studio', () => {
    expect(hostAllowed('studio.ngo.example', 4000, 'a-token')).toBe(true);
  });
});

describe('CSRF token and Origin on every write', () => {
  const sessions = createSessions(undefined);
  const { csrf } = sessions.of(request({}));
  const host = '127.0.0.1:4000';

  it('accepts a POST from the studio page with its token', () => {
    expect(() => sessions.checkWrite(request({ host, origin: `http://${host}`, 'x-csrf-token': csrf }), csrf)).not.toThrow();
  });

  it.each([
    ['a missing token', { host, origin: `http://${host}` }, /form token/],
    ['a wrong token', { host, origin: `http://${host}`, 'x-csrf-token': 'x'.repeat(32) }, /form token/],
    ['another origin', { host, origin: 'http://evil.example', 'x-csrf-token': csrf }, /did not come from a studio page/],
    ['no origin at all', { host, 'x-csrf-token': csrf }, /did not come from a studio page/],
  ])('refuses %s with 403', (_name, headers, message) => {
    const attempt = () => sessions.checkWrite(request(headers), csrf);
    expect(attempt).toThrow(StudioError);
    expect(attempt).toThrow(message);
  });

  it('logs in only with the right token', () => {
    const guarded = createSessions('the-studio-token-of-this-test-1234567');
    const session = guarded.of(request({}));
    expect(session.loggedIn).toBe(false);
    expect(guarded.login(session.id, 'wrong')).toBeUndefined();
    const loggedIn = guarded.login(session.id, 'the-studio-token-of-this-test-1234567')!;
    expect(loggedIn.setCookie).toMatch(/^lantern_studio=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(guarded.of(request({ cookie: `lantern_studio=${loggedIn.id}` })).loggedIn).toBe(true);
    // The id from before the login is not the logged-in session.
    expect(loggedIn.id).not.toBe(session.id);
    expect(guarded.of(request({ cookie: `lantern_studio=${session.id}` })).loggedIn).toBe(false);
  });
});

describe('writes only inside the content folders', () => {
  const base = mkdtempSync(join(tmpdir(), 'lantern-guard-'));
  const outside = mkdtempSync(join(tmpdir(), 'lantern-outside-'));
  mkdirSync(join(base, 'flows'));
  mkdirSync(join(base, 'locales', 'ro'), { recursive: true });
  writeFileSync(join(base, 'flows', 'main.flow.yaml'), 'id: main\n');
  writeFileSync(join(outside, 'secret.yaml'), 'x: 1\n');
  symlinkSync(join(outside, 'secret.yaml'), join(base, 'flows', 'link.flow.yaml'));
  symlinkSync(outside, join(base, 'locales', 'away'));
  const roots = [join(base, 'flows'), join(base, 'locales')];
  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('resolves a content file and a new locale file', () => {
    expect(resolveContentFile(base, roots, 'flows/main.flow.yaml').rel).toBe('flows/main.flow.yaml');
    expect(resolveContentFile(base, roots, 'locales/ro/menu.json').rel).toBe('locales/ro/menu.json');
  });

  it.each([
    ['a `..` path', 'flows/../../etc/passwd.yaml', /outside the content folders/],
    ['an absolute path', join(outside, 'secret.yaml'), /outside the content folders/],
    ['a symlinked file that leads out', 'flows/link.flow.yaml', /leads outside/],
    ['a symlinked folder that leads out', 'locales/away/secret.yaml', /leads outside/],
    ['a file beside the content folders', 'package.json', /not a YAML or JSON content file|leads outside/],
    ['a YAML file beside them', 'docker-compose.yaml', /leads outside/],
    ['a script', 'flows/run.sh', /not a YAML or JSON/],
  ])('refuses %s', (_name, name, message) => {
    expect(() => resolveContentFile(base, roots, name)).toThrow(message);
  });
});
