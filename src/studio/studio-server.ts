/** `lantern studio`'s HTTP face: pages, a JSON API over the workspace, and the simulator's widget, on node:http. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { userInfo } from 'node:os';
import { parseDocument } from 'yaml';
import { readBody, parseJsonBody } from '../channels/read-body.js';
import { ChannelError } from '../channels/channel-error.js';
import { checkHotlineNumbers, type HotlineFile } from '../content/index.js';
import { createRouter, pathOf, send } from '../server/http-router.js';
import { editYaml, yamlAt, type FieldEdit } from './file-edits.js';
import { layoutFlow, parseTarget, parseVisits, stepDetail } from './flow-view.js';
import { createSessions, hostAllowed, sameOrigin, StudioError } from './guard.js';
import { loginPage, studioPage, STUDIO_CSS, STUDIO_SCRIPT, PAGES } from './pages.js';
import { createSimulator } from './simulator.js';
import { changedTexts, exportTranslations, readTranslationFile, reviewChange, translationChanges, translationTable } from './translations.js';
import { openWorkspace, type Gate, type PublishResult } from './workspace.js';

/** What startStudio needs. */
export interface StudioOptions {
  /** The folder holding flows/ and locales/. */
  dir: string;
  port?: number;
  /** Where to listen: loopback unless `token` is set. */
  host?: string;
  /** STUDIO_TOKEN: a login page and a session cookie; allows listening beyond loopback. */
  token?: string;
  /** A running server (`lantern serve`) whose /metrics says how often people pass each step. */
  serverUrl?: string;
  /** The content checks (tests may count them); default every `lantern lint` check. */
  gate?: Gate;
}

/** A running studio. */
export interface RunningStudio {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Starts the studio; refuses to listen beyond loopback without a token. */
export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.token)
    throw new StudioError(
      400,
      `The studio listens only on this computer (127.0.0.1) unless STUDIO_TOKEN is set: set it to a long random value to use --host ${host}.`,
    );
  const workspace = openWorkspace(options.dir, options.gate ? { gate: options.gate } : {});
  const sessions = createSessions(options.token);
  let port = options.port ?? 0;
  // Where a browser on this computer opens it (every interface includes loopback).
  const shown = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  const origin = () => `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  const simulator = createSimulator(workspace.current().content);
  workspace.onPublish((content) => simulator.rebuild(content));
  const defaultWho = (() => {
    try {
      return userInfo().username;
    } catch {
      return 'studio';
    }
  })();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(text);
  };
  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const value = parseJsonBody(await readBody(req, MAX_BODY));
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new StudioError(400, 'Send a JSON object.');
    return value as Record<string, unknown>;
  };
  const str = (body: Record<string, unknown>, name: string): string => {
    const v = body[name];
    if (typeof v !== 'string' || !v) throw new StudioError(400, `\`${name}\` is missing.`);
    return v;
  };
  // The name goes into version messages and git authors: one plain line.
  const whoOf = (body: Record<string, unknown>) => {
    const name =
      typeof body.who === 'string'
        ? body.who
            .replace(/[\u0000-\u001f\u007f<>]+/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 60)
        : '';
    return name || defaultWho;
  };
  const published = (result: PublishResult) => ({ ok: true, ...result });

  async function visits(): Promise<Map<string, number> | undefined> {
    if (!options.serverUrl) return undefined;
    try {
      const answer = await fetch(new URL('/metrics', options.serverUrl), { signal: AbortSignal.timeout(3000) });
      return answer.ok ? parseVisits(await answer.text()) : undefined;
    } catch {
      return undefined;
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, session: { csrf: string }): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://studio');
    const { content, problems } = workspace.current();
    if (req.method === 'GET') {
      if (path === '/api/state') {
        json(res, 200, {
          csrf: session.csrf,
          who: defaultWho,
          flows: [...content.flows.keys()],
          languages: content.locales.languages,
          countries: Object.keys(content.hotlines.countries).sort(),
          versions: workspace.versions.kind,
          server: options.serverUrl ?? null,
          problems: problems.length,
        });
      } else if (path === '/api/flow') {
        const flow = content.flows.get(url.searchParams.get('id') ?? '');
        if (!flow) throw new StudioError(404, 'Unknown flow.');
        const counts = await visits();
        json(res, 200, {
          layout: layoutFlow(flow, problems),
          hash: workspace.read(flow.file).hash,
          visits: counts ? Object.fromEntries(Object.keys(flow.states).map((s) => [s, counts.get(`${flow.id}/${s}`) ?? 0])) : null,
        });
      } else if (path === '/api/step') {
        const detail = stepDetail(content, problems, url.searchParams.get('flow') ?? '', url.searchParams.get('state') ?? '');
        if (!detail) throw new StudioError(404, 'Unknown step.');
        const { text, hash } = workspace.read(detail.file);
        const counts = await visits();
        json(res, 200, {
          ...detail,
          hash,
          yaml: yamlAt(text ?? '', ['states', detail.state]) ?? '',
          visits: counts ? (counts.get(`${detail.flow}/${detail.state}`) ?? 0) : null,
        });
      } else if (path === '/api/translations') {
        const hashes: Record<string, string> = {};
        for (const l of content.locales.languages)
          for (const file of [...Object.keys(content.locales.resources[l] ?? {}).map((ns) => `locales/${l}/${ns}.json`), `locales/${l}/_meta.json`])
            hashes[file] = workspace.read(file).hash;
        json(res, 200, { ...translationTable(content), hashes });
      } else if (path === '/api/translations/export') {
        const lng = url.searchParams.get('lang') ?? '';
        const format = url.searchParams.get('format') === 'csv' ? 'csv' : 'po';
        if (!content.locales.languages.includes(lng) || lng === 'en') throw new StudioError(400, 'Pick a translated language.');
        res.writeHead(200, {
          'content-type': format === 'po' ? 'text/x-gettext-translation; charset=utf-8' : 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="lantern-${lng}.${format}"`,
          'x-content-type-options': 'nosniff',
        });
        res.end(exportTranslations(content, lng, format));
      } else if (path === '/api/hotlines') {
        const country = url.searchParams.get('country') ?? '';
        const entry = content.hotlines.countries[country];
        if (!entry) throw new StudioError(404, 'Unknown country.');
        const { text, hash } = workspace.read('flows/hotlines.yaml');
        const raw = parseDocument(text ?? '').getIn(['countries', country]) as unknown;
        json(res, 200, { country, entry: (raw as { toJSON?: () => unknown })?.toJSON?.() ?? entry, hash });
      } else if (path === '/api/versions') {
        json(res, 200, { kind: workspace.versions.kind, versions: workspace.listVersions() });
      } else if (path === '/api/sim/trace') {
        json(res, 200, { turns: simulator.trace(Number(url.searchParams.get('since') ?? 0) || 0) });
      } else return false;
      return true;
    }
    if (req.method !== 'POST') return false;
    sessions.checkWrite(req, session.csrf);
    const body = await readJson(req);
    const who = whoOf(body);
    if (path === '/api/step') {
      const flowId = str(body, 'flow');
      const state = str(body, 'state');
      const flow = content.flows.get(flowId);
      if (!flow) throw new StudioError(404, 'Unknown flow.');
      const isNew = body.create === true;
      if (isNew && !/^[a-z][a-z0-9_]*$/.test(state)) throw new StudioError(400, 'Name the new step with small letters, digits and _ (e.g. ask_salary).');
      if (isNew && flow.states[state]) throw new StudioError(409, `The step \`${state}\` already exists in ${flowId}.`);
      if (!isNew && !flow.states[state]) throw new StudioError(404, 'Unknown step.');
      const edits: FieldEdit[] = [];
      if (typeof body.yaml === 'string') {
        const doc = parseDocument(body.yaml);
        if (doc.errors.length)
          throw new StudioError(422, 'Not saved: the step is not valid YAML.', [
            { file: flow.file, line: 1, column: 1, path: `states.${state}`, message: doc.errors[0]!.message.split('\n')[0], severity: 'error' },
          ]);
        edits.push({ path: ['states', state], value: doc.toJS(), raw: body.yaml });
      }
      if (body.targets && typeof body.targets === 'object')
        for (const [where, text] of Object.entries(body.targets as Record<string, unknown>)) {
          if (typeof text !== 'string' || !/^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$/.test(where)) throw new StudioError(400, `Cannot change \`${where}\`.`);
          const parts = where
            .split(/\.|\[(\d+)\]/)
            .filter((p) => p !== undefined && p !== '')
            .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
          edits.push({ path: ['states', state, ...parts], value: parseTarget(text) });
        }
      const what = isNew ? `added the step "${state}" to the flow ${flowId}` : `changed the step "${state}" of the flow ${flowId}`;
      json(
        res,
        200,
        published(workspace.publish([{ file: flow.file, baseHash: str(body, 'hash'), next: (text) => editYaml(text ?? '', edits) }], who, `${who} ${what}`)),
      );
    } else if (path === '/api/translations') {
      const lng = str(body, 'lang');
      const texts = new Map(Object.entries((body.texts ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const changes = translationChanges(content, lng, texts, (body.hashes ?? {}) as Record<string, string>);
      const keys = [...texts.keys()];
      const name = content.locales.meta[lng]?.name ?? lng;
      const what = keys.length === 1 ? `the ${name} text of ${keys[0]}` : `${keys.length} ${name} texts`;
      json(res, 200, published(workspace.publish(changes, who, `${who} changed ${what}`)));
    } else if (path === '/api/translations/reviewed') {
      const lng = str(body, 'lang');
      const keys = Array.isArray(body.keys) ? body.keys.filter((k): k is string => typeof k === 'string') : [];
      const name = content.locales.meta[lng]?.name ?? lng;
      const change = reviewChange(content, lng, keys, str(body, 'hash'));
      json(
        res,
        200,
        published(
          workspace.publish(
            [change],
            who,
            `${who} marked ${keys.length === 1 ? `the ${name} text of ${keys[0]}` : `${keys.length} ${name} texts`} as reviewed`,
          ),
        ),
      );
    } else if (path === '/api/translations/import') {
      const lng = str(body, 'lang');
      const format = body.format === 'csv' ? 'csv' : 'po';
      const read = readTranslationFile(str(body, 'text'), format, typeof body.name === 'string' ? body.name : `the ${format.toUpperCase()} file`);
      const known = new Set(translationTable(content).rows.map((r) => r.key));
      const texts = new Map([...read.texts].filter(([k, v]) => (known.has(k) || /_(zero|one|two|few|many|other)$/.test(k)) && v.trim()));
      // Texts the file leaves as they are keep their marks: only the changed ones are saved (and marked not reviewed).
      const changed = changedTexts(content, lng, texts);
      if (!changed.size) throw new StudioError(400, `Nothing to import: every text of the file is already the same in locales/${lng}/.`);
      const changes = translationChanges(content, lng, changed, (body.hashes ?? {}) as Record<string, string>);
      const name = content.locales.meta[lng]?.name ?? lng;
      const result = workspace.publish(changes, who, `${who} imported ${changed.size} ${name} texts from a ${format.toUpperCase()} file`);
      json(res, 200, {
        ...published(result),
        imported: changed.size,
        unchanged: texts.size - changed.size,
        ignored: read.texts.size - texts.size,
        notes: read.warnings,
      });
    } else if (path === '/api/hotlines') {
      const country = str(body, 'country');
      if (!content.hotlines.countries[country]) throw new StudioError(404, 'Unknown country.');
      const edits = ((body.edits ?? []) as FieldEdit[]).map((e) => {
        if (!Array.isArray(e.path) || !e.path.every((p) => typeof p === 'number' || (typeof p === 'string' && /^[A-Za-z]+$/.test(p))))
          throw new StudioError(400, 'Bad field.');
        return { path: ['countries', country, ...e.path], value: e.value };
      });
      json(
        res,
        200,
        published(
          workspace.publish(
            [{ file: 'flows/hotlines.yaml', baseHash: str(body, 'hash'), next: (text) => editYaml(text ?? '', edits) }],
            who,
            `${who} changed the hotlines of ${country}`,
          ),
        ),
      );
    } else if (path === '/api/phone-check') {
      const country = str(body, 'country').toUpperCase();
      const number = {
        number: str(body, 'number'),
        from: (['inside', 'abroad', 'anywhere'].includes(body.from as string) ? body.from : 'inside') as 'inside',
        shortCode: body.shortCode === true,
      };
      const file = {
        countries: {
          [country]: { emergency: { number: '112', sources: [], checked: '', confidence: 'unverified' }, helplines: [{ numbers: [number] }], languages: [] },
        },
      } as unknown as HotlineFile;
      const problem = checkHotlineNumbers(file).find((p) => p.path.includes('helplines'));
      json(res, 200, { ok: !problem, fix: problem?.fix ?? null });
    } else if (path === '/api/rollback') {
      json(res, 200, published(workspace.rollback(str(body, 'id'), who)));
    } else if (path === '/api/sim/settings') {
      const startAt =
        body.startAt && typeof body.startAt === 'object' ? (body.startAt as { flow: string; state: string }) : body.startAt === null ? null : undefined;
      json(
        res,
        200,
        simulator.settings({ ...(typeof body.channel === 'string' ? { channel: body.channel } : {}), ...(startAt !== undefined ? { startAt } : {}) }),
      );
    } else if (path === '/api/sim/reset') {
      simulator.reset();
      json(res, 200, { ok: true });
    } else return false;
    return true;
  }

  const router = createRouter(
    [
      async (req, res) => {
        try {
          return await route(req, res);
        } catch (error) {
          if (error instanceof StudioError) json(res, error.status, { error: error.message, problems: error.details ?? [] });
          else if (error instanceof ChannelError) json(res, error.status ?? 400, { error: error.message });
          else throw error;
          return true;
        }
      },
    ],
    () => undefined,
  );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = pathOf(req);
    // DNS rebinding: a page on another name that resolves here must not reach the studio.
    if (!hostAllowed(req.headers.host, port, options.token)) {
      send(res, 403, 'text/plain; charset=utf-8', 'This studio answers only at its own address (http://127.0.0.1:PORT/ or http://localhost:PORT/).\n');
      return true;
    }
    const session = sessions.of(req);
    if (session.setCookie) res.setHeader('set-cookie', session.setCookie);
    if (options.token && !session.loggedIn) {
      if (path === '/login' && req.method === 'POST') {
        if (!sameOrigin(req)) throw new StudioError(403, 'Log in from the studio page.');
        const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
        const loggedIn = sessions.login(session.id, form.get('token') ?? '');
        if (loggedIn) {
          res.writeHead(303, { location: '/flows', 'set-cookie': loggedIn.setCookie }).end();
          return true;
        }
        html(res, 401, loginPage('That token is not right.'));
        return true;
      }
      if (path.startsWith('/api/') || path.startsWith('/v3/')) throw new StudioError(401, 'Log in first.');
      html(res, path === '/login' ? 200 : 401, loginPage());
      return true;
    }
    if (path.startsWith('/api/')) return await api(req, res, path, session);
    if (path === '/' || path === '/login') {
      res.writeHead(303, { location: '/flows' }).end();
      return true;
    }
    if (req.method === 'GET' && PAGES.some((p) => `/${p.id}` === path)) {
      html(res, 200, studioPage(path.slice(1)));
      return true;
    }
    if (path === '/studio.js') return sendAsset(res, 'text/javascript; charset=utf-8', STUDIO_SCRIPT);
    if (path === '/studio.css') return sendAsset(res, 'text/css; charset=utf-8', STUDIO_CSS);
    return simulator.handle(req, res);
  }

  const server: Server = createServer((req, res) => {
    router(req, res).catch(() => undefined);
  });
  server.on('upgrade', (req, socket, head) => {
    const allowed = hostAllowed(req.headers.host, port, options.token) && (!options.token || sessions.of(req).loggedIn);
    if (!allowed || !simulator.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;
  return {
    url: `${origin()}/`,
    port,
    close: () =>
      new Promise<void>((done) => {
        simulator.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendAsset(res: ServerResponse, type: string, body: string): true {
  send(res, 200, type, body);
  return true;
}
