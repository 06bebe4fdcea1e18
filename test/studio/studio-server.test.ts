/**
 * The studio over HTTP: a forged Host is refused before anything runs, a write without the
 * session's CSRF token or from another origin is refused, a path that leads out of the content
 * folders is refused, it never listens beyond loopback without STUDIO_TOKEN, and with it asks to log in.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishable } from '../../src/engine/index.js';
import type { Content } from '../../src/content/index.js';
import { startStudio, type RunningStudio } from '../../src/studio/index.js';
import { contentCopy } from '../helpers/content.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so that the Host header can be forged). */
function call(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let content: Content;
const copy = contentCopy({});
beforeAll(() => {
  content = loadPublishable(copy.paths, copy.dir).content!;
});
afterAll(() => copy.cleanup());
// The checks are tested in workspace.test.ts; here the gate passes everything.
const gate = () => ({ content, problems: [] });

describe('the studio on loopback', () => {
  let studio: RunningStudio;
  let host: string;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    studio = await startStudio({ dir: copy.dir, port: 0, gate });
    host = `127.0.0.1:${studio.port}`;
    const state = await call(studio.port, '/api/state', { headers: { host } });
    cookie = String(state.headers['set-cookie']).split(';')[0]!;
    csrf = (JSON.parse(state.body) as { csrf: string }).csrf;
  });
  afterAll(() => studio.close());

  const write = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(studio.port, path, {
      method: 'POST',
      headers: { host, cookie, origin: `http://${host}`, 'x-csrf-token': csrf, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('prints its address the way the command does', () => {
    expect(studio.url).toBe(`http://127.0.0.1:${studio.port}/`);
  });

  it('serves its pages with a strict policy', async () => {
    const page = await call(studio.port, '/flows', { headers: { host } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it.each([['evil.example'], [`evil.example:${0}`], ['127.0.0.1:1']])('refuses a forged Host header (%s) on every door', async (forged) => {
    for (const path of ['/api/state', '/flows', '/widget/frame', '/v3/directline/conversations']) {
      const answer = await call(studio.port, path, { headers: { host: forged } });
      expect(answer.status, path).toBe(403);
      expect(answer.body).not.toContain('csrf');
    }
  });

  it('refuses a write without the CSRF token, with a wrong one, or from another origin, and changes nothing', async () => {
    const file = join(copy.dir, 'flows', 'main.flow.yaml');
    const before = readFileSync(file, 'utf8');
    const hash = (JSON.parse((await call(studio.port, '/api/flow?id=main', { headers: { host, cookie } })).body) as { hash: string }).hash;
    const body = { flow: 'main', state: 'welcome', hash, targets: { next: 'done' } };
    const missing = await write('/api/step', body, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body).error).toMatch(/form token/);
    expect((await write('/api/step', body, { 'x-csrf-token': 'x'.repeat(32) })).status).toBe(403);
    const foreign = await write('/api/step', body, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/did not come from a studio page/);
    // Another visitor's token does not work with this cookie either.
    const other = await call(studio.port, '/api/state', { headers: { host } });
    expect((await write('/api/step', body, { 'x-csrf-token': (JSON.parse(other.body) as { csrf: string }).csrf })).status).toBe(403);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // And the same request with the token goes through.
    const ok = await write('/api/step', body);
    expect(ok.status).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace('  welcome:\n    say: [menu.welcome, menu.privacy]\n    next: menu', '  welcome:\n    say: [menu.welcome, menu.privacy]\n    next: done'),
    );
  });

  it('refuses a rollback whose version names a file outside the content folders', async () => {
    const planted = join(copy.dir, '.lantern-versions', '9999-planted');
    mkdirSync(join(planted, 'before'), { recursive: true });
    writeFileSync(
      join(planted, 'version.json'),
      JSON.stringify({ when: '2026-01-01T00:00:00Z', who: 'x', message: 'x', files: [{ file: '../outside.yaml', existed: true }] }),
    );
    writeFileSync(join(copy.dir, '.lantern-versions', 'outside.yaml'), 'x: 1\n');
    const answer = await write('/api/rollback', { id: '9999-planted' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/outside the content folders/);
  });

  it('tells the second of two editors that the file changed under them', async () => {
    const hash = (JSON.parse((await call(studio.port, '/api/flow?id=main', { headers: { host, cookie } })).body) as { hash: string }).hash;
    expect((await write('/api/step', { flow: 'main', state: 'welcome', hash, targets: { next: 'menu' } })).status).toBe(200);
    const late = await write('/api/step', { flow: 'main', state: 'welcome', hash, targets: { next: 'done' }, who: 'Ana\nSigned-off-by: <x>' });
    expect(late.status).toBe(409);
    expect(JSON.parse(late.body).error).toMatch(/Someone else saved flows\/main\.flow\.yaml/);
  });

  it('exports a language as PO and imports it back (and CSV), marking what changed as not reviewed', async () => {
    const exported = await call(studio.port, '/api/translations/export?lang=ro&format=po', { headers: { host, cookie } });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="lantern-ro.po"');
    expect(exported.body).toContain('msgctxt "menu.rights"');
    const hashes = (JSON.parse((await call(studio.port, '/api/translations', { headers: { host, cookie } })).body) as { hashes: Record<string, string> })
      .hashes;
    const edited = exported.body.replace(/(msgctxt "menu\.rights"\nmsgid "[^"]*"\nmsgstr ")[^"]*"/, '$1Drepturile mele (PO)"');
    expect(edited).not.toBe(exported.body);
    const unreviewedBefore = (JSON.parse(readFileSync(join(copy.dir, 'locales', 'ro', '_meta.json'), 'utf8')) as { unreviewed: string[] }).unreviewed;
    const imported = await write('/api/translations/import', { lang: 'ro', format: 'po', text: edited, name: 'ro.po', hashes });
    expect(imported.status).toBe(200);
    // The file holds every Romanian text; only the one the translator changed is saved and marked not reviewed.
    expect(JSON.parse(imported.body)).toMatchObject({ imported: 1, unchanged: expect.any(Number) });
    expect(JSON.parse(imported.body).unchanged).toBeGreaterThan(100);
    const ro = () => JSON.parse(readFileSync(join(copy.dir, 'locales', 'ro', 'menu.json'), 'utf8')) as Record<string, string>;
    expect(ro().rights).toBe('Drepturile mele (PO)');
    const meta = JSON.parse(readFileSync(join(copy.dir, 'locales', 'ro', '_meta.json'), 'utf8')) as { unreviewed: string[] };
    expect(meta.unreviewed.filter((k) => !unreviewedBefore.includes(k))).toEqual(['menu.rights']);
    // The same file again changes nothing: refused, nothing written.
    const again = await write('/api/translations/import', { lang: 'ro', format: 'po', text: exported.body, name: 'ro.po', hashes });
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body).error).toMatch(/^Nothing to import/);

    const csvHashes = (JSON.parse((await call(studio.port, '/api/translations', { headers: { host, cookie } })).body) as { hashes: Record<string, string> })
      .hashes;
    const csv = 'key,english,translation,where\nmenu.rights,My rights,"Drepturile mele, CSV",\n';
    expect((await write('/api/translations/import', { lang: 'ro', format: 'csv', text: csv, name: 'ro.csv', hashes: csvHashes })).status).toBe(200);
    expect(ro().rights).toBe('Drepturile mele, CSV');

    // A native speaker read it: the key leaves `unreviewed`, and nothing else in _meta.json changes.
    const before = JSON.parse(readFileSync(join(copy.dir, 'locales', 'ro', '_meta.json'), 'utf8')) as { unreviewed: string[] };
    const metaHash = (JSON.parse((await call(studio.port, '/api/translations', { headers: { host, cookie } })).body) as { hashes: Record<string, string> })
      .hashes['locales/ro/_meta.json']!;
    expect((await write('/api/translations/reviewed', { lang: 'ro', keys: ['menu.rights'], hash: metaHash })).status).toBe(200);
    const after = JSON.parse(readFileSync(join(copy.dir, 'locales', 'ro', '_meta.json'), 'utf8')) as { unreviewed: string[] };
    expect(after).toEqual({ ...before, unreviewed: before.unreviewed.filter((k) => k !== 'menu.rights') });
  });

  it('records who saved as one plain line (the name goes into version messages)', async () => {
    const hash = (JSON.parse((await call(studio.port, '/api/flow?id=main', { headers: { host, cookie } })).body) as { hash: string }).hash;
    expect((await write('/api/step', { flow: 'main', state: 'welcome', hash, targets: { next: 'done' }, who: 'Ana\nSigned-off-by: <x>' })).status).toBe(200);
    const { versions } = JSON.parse((await call(studio.port, '/api/versions', { headers: { host, cookie } })).body) as {
      versions: { who: string; message: string }[];
    };
    expect(versions.find((v) => v.who.startsWith('Ana'))).toMatchObject({
      who: 'Ana Signed-off-by: x',
      message: 'Ana Signed-off-by: x changed the step "welcome" of the flow main',
    });
  });

  it('checks a phone number as it is typed', async () => {
    const good = JSON.parse((await write('/api/phone-check', { country: 'MD', number: '+373 22 23 33 09' })).body);
    const bad = JSON.parse((await write('/api/phone-check', { country: 'MD', number: '+373 22' })).body);
    expect(good).toEqual({ ok: true, fix: null });
    expect(bad.ok).toBe(false);
    expect(bad.fix).toMatch(/\w/);
  });
});

describe('figures from a running server (--server)', () => {
  it('shows how often people passed each step, from its /metrics', async () => {
    const metrics = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('lantern_flow_visits_total{flow="main",state="menu"} 7\n');
    });
    await new Promise<void>((ok) => metrics.listen(0, '127.0.0.1', ok));
    const studio = await startStudio({ dir: copy.dir, port: 0, gate, serverUrl: `http://127.0.0.1:${(metrics.address() as AddressInfo).port}` });
    try {
      const host = `127.0.0.1:${studio.port}`;
      const flow = JSON.parse((await call(studio.port, '/api/flow?id=main', { headers: { host } })).body) as { visits: Record<string, number> };
      expect(flow.visits).toMatchObject({ menu: 7, welcome: 0 });
      const step = JSON.parse((await call(studio.port, '/api/step?flow=main&state=menu', { headers: { host } })).body) as { visits: number };
      expect(step.visits).toBe(7);
    } finally {
      await studio.close();
      metrics.close();
    }
  });
});

describe('listening and logging in', () => {
  it('never listens beyond loopback without STUDIO_TOKEN', async () => {
    await expect(startStudio({ dir: copy.dir, port: 0, host: '0.0.0.0', gate })).rejects.toThrow(/unless STUDIO_TOKEN is set/);
  });

  it('with STUDIO_TOKEN asks to log in, then lets the session in', async () => {
    const token = 'k3J9-studio-token-for-this-test-x7Qp2';
    const studio = await startStudio({ dir: copy.dir, port: 0, token, gate });
    try {
      const host = `studio.example:${studio.port}`;
      const first = await call(studio.port, '/flows', { headers: { host } });
      expect(first.status).toBe(401);
      expect(first.body).toContain('name="token"');
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      expect((await call(studio.port, '/api/state', { headers: { host, cookie } })).status).toBe(401);
      const form = (t: string) =>
        call(studio.port, '/login', {
          method: 'POST',
          headers: { host, cookie, origin: `http://${host}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${t}`,
        });
      expect((await form('wrong')).status).toBe(401);
      const loggedIn = await form(token);
      expect(loggedIn.status).toBe(303);
      const session = String(loggedIn.headers['set-cookie']).split(';')[0]!;
      expect((await call(studio.port, '/api/state', { headers: { host, cookie: session } })).status).toBe(200);
      expect((await call(studio.port, '/api/state', { headers: { host, cookie } })).status).toBe(401);
    } finally {
      await studio.close();
    }
  });
});
