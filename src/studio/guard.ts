/**
 * The studio's locks: who may reach it (Host header against DNS rebinding, a login with
 * STUDIO_TOKEN when it listens beyond loopback), who may write (a per-session CSRF token on every
 * POST plus an Origin check), and where a write may land (inside the content folders only).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, realpathSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A refused request: the HTTP status and a sentence NGO staff can act on. */
export class StudioError extends Error {
  override name = 'StudioError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The Host values the studio answers to: its own port on loopback names, or anything when a token guards it. */
export function hostAllowed(host: string | undefined, port: number, token: string | undefined): boolean {
  if (token) return true;
  return host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/** True when a POST's Origin (or, without one, its Referer) is this studio's own address. */
export function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const from = req.headers.origin ?? req.headers.referer;
  if (!host || !from) return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}

const MAX_SESSIONS = 500;

/** Sessions: a random id in an HttpOnly cookie, each with its own CSRF token. Kept in memory (a restart logs everyone out). */
export function createSessions(token: string | undefined) {
  const sessions = new Map<string, { csrf: string; loggedIn: boolean }>();
  const cookieFor = (id: string) => `lantern_studio=${id}; HttpOnly; SameSite=Strict; Path=/`;
  const idOf = (req: IncomingMessage) => /(?:^|;\s*)lantern_studio=([A-Za-z0-9_-]{20,100})/.exec(req.headers.cookie ?? '')?.[1];
  return {
    /** The request's session, or a new one with the cookie to set. */
    of(req: IncomingMessage): { id: string; csrf: string; loggedIn: boolean; setCookie?: string } {
      const id = idOf(req);
      const known = id ? sessions.get(id) : undefined;
      if (id && known) return { id, ...known };
      const fresh = randomBytes(24).toString('base64url');
      const session = { csrf: randomBytes(24).toString('base64url'), loggedIn: !token };
      // Requests without a cookie each open one: keep the newest, so that no caller can fill the memory.
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      sessions.set(fresh, session);
      return { id: fresh, ...session, setCookie: cookieFor(fresh) };
    },
    /** Logs a session in when the token is right (compared in constant time): a new session id, and the cookie that carries it; else undefined. */
    login(id: string, given: string): { id: string; setCookie: string } | undefined {
      const session = sessions.get(id);
      if (!session || !token) return undefined;
      if (!timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(token).digest())) return undefined;
      // A new id at login: an id someone saw or set before cannot ride into the logged-in session.
      sessions.delete(id);
      const fresh = randomBytes(24).toString('base64url');
      sessions.set(fresh, { csrf: randomBytes(24).toString('base64url'), loggedIn: true });
      return { id: fresh, setCookie: cookieFor(fresh) };
    },
    /** Throws unless the POST carries this session's CSRF token and comes from the studio's own page. */
    checkWrite(req: IncomingMessage, csrf: string): void {
      if (!sameOrigin(req))
        throw new StudioError(403, 'This change did not come from a studio page (wrong or missing Origin): reload the studio and try again.');
      const given = req.headers['x-csrf-token'];
      const a = createHash('sha256')
        .update(typeof given === 'string' ? given : '')
        .digest();
      if (typeof given !== 'string' || !timingSafeEqual(a, createHash('sha256').update(csrf).digest()))
        throw new StudioError(403, 'This change carries no valid form token (CSRF): reload the studio page and try again.');
    },
  };
}

/**
 * Resolves `name` (such as `flows/main.flow.yaml` or `locales/ro/menu.json`) to a real file inside
 * one of `roots`, or throws: no absolute paths, no `..`, no symlink that leads out, only YAML and
 * JSON files. The file may not exist yet (a new locale file): then its folder must.
 */
export function resolveContentFile(base: string, roots: readonly string[], name: string): { path: string; rel: string } {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) throw new StudioError(400, 'Name the file to change, e.g. flows/main.flow.yaml.');
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..'))
    throw new StudioError(403, `\`${name}\` is outside the content folders: the studio only changes files in flows/ and locales/.`);
  if (!/\.(ya?ml|json)$/.test(name)) throw new StudioError(403, `\`${name}\` is not a YAML or JSON content file.`);
  const wanted = resolve(base, name);
  const realRoots = roots.map((r) => realpathSync(r));
  let real: string;
  try {
    if (lstatSync(wanted).isSymbolicLink()) {
      real = realpathSync(wanted);
    } else real = join(realpathSync(dirname(wanted)), wanted.slice(dirname(wanted).length + 1));
  } catch {
    // A new file: its folder must exist and be inside.
    try {
      real = join(realpathSync(dirname(wanted)), wanted.slice(dirname(wanted).length + 1));
    } catch {
      throw new StudioError(404, `\`${name}\`: its folder does not exist.`);
    }
  }
  const root = realRoots.find((r) => real === r || real.startsWith(r + sep));
  if (!root)
    throw new StudioError(403, `\`${name}\` leads outside the content folders (a link to elsewhere?): the studio only changes files in flows/ and locales/.`);
  return { path: real, rel: relative(base, wanted) };
}
