/**
 * Fuzz inputs for the server's public doors (`/telegram/webhook`, `/v3/directline/...`,
 * `/api/messages`) and the harness that sends them to a real server. Shared by
 * `test/ops/fuzz.test.ts` (a few thousand inputs in `npm test`) and `scripts/fuzz.ts` (100,000).
 */
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { startConnectorStub, type ConnectorStub } from '../e2e/drivers/botframework.js';
import { startBotApiStub, type BotApiCall, type BotApiStub } from '../e2e/helpers/bot-api-stub.js';
import { startTestServer, type TestServer } from '../e2e/helpers/test-server.js';

/** What goes in a request body: JSON, raw text, a huge run of one character, or nothing. */
type Body = { json: unknown } | { raw: string } | { huge: number; fill: string } | { none: true };

/** Which Direct Line token a request carries, resolved against live conversations when sent. */
type Auth = 'own' | 'other' | 'tampered' | 'garbage' | 'none' | 'basic' | 'empty-bearer';

/** One fuzz input: a request described symbolically (tokens and conversations are live values). */
export type FuzzInput =
  | { kind: 'telegram'; method: string; secret: 'right' | 'none' | 'wrong' | 'empty'; contentType: string | undefined; body: Body }
  | { kind: 'directline'; method: string; route: string; auth: Auth; contentType: string | undefined; body: Body }
  | { kind: 'messages'; method: string; authorization: string | undefined; contentType: string | undefined; body: Body };

const TELEGRAM_SECRET = 'fuzz_webhook-secret-0123456789';
const TELEGRAM_TOKEN = '999000:lantern-fuzz';
// A small pool, so that turns pile up in the same chats (queues, rate limits, stale buttons).
const CHAT_IDS = Array.from({ length: 24 }, (_, i) => 81_000_000 + i);

// ---- building blocks ----------------------------------------------------------------------

/** Any JSON value, deep enough to surprise a parser but small enough to send fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Text as users and attackers write it: ASCII, any code point, graphemes, RTL, controls. */
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202E\u0627\u0644\u0639\u0631\u0628\u064A\u0629',
    '😀👩‍👩‍👧',
    'ឈ្មោះ',
    '\uD800',
    '<b>x</b>&amp;',
    '${x}',
    '{{x}}',
    '%s%n',
    'null',
  ),
);
/** A "long" string inside an otherwise normal field; the body stays under every size limit. */
const longText = fc
  .record({ size: fc.integer({ min: 4_000, max: 60_000 }), unit: fc.constantFrom('a', 'я ', '😀', 'passport ', 'pay a fee '.padEnd(12, '.')) })
  .map(({ size, unit }) => unit.repeat(Math.ceil(size / unit.length)));
/** Sometimes the right type, sometimes anything at all, sometimes absent (`undefined` drops the key). */
/** Present in `percent` of the inputs, absent otherwise. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: percent, arbitrary }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });
const orJunk = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) });

const messageText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '/start',
      '/start md_ro',
      '/start br_pt-BR',
      '/start _uk',
      '/start ua',
      '/start ../../x',
      '/menu',
      '/help',
      '/sos',
      '/language',
      '/language uk',
      '/forget',
      '/stop',
      'sos',
      'help',
      'SOS',
      'допомога',
      'yes',
      'no',
      '1',
      '2',
      '99',
      'hello',
    ),
  },
  { weight: 3, arbitrary: anyText },
  { weight: 1, arbitrary: anyText.map((t) => `/start ${t}`) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 40 }), anyText).map(([c, t]) => `/${c} ${t}`) },
  { weight: 1, arbitrary: longText },
);

const KNOWN_CHOICES = ['main/menu/check', 'main/menu/ad', 'main/menu/rights', 'main/menu/hotline', 'main/menu/language', 'main/menu/forget'];
/** Callback data: real ids, forged and stale ones, path tricks, and noise. */
const callbackData = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_CHOICES) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'main/menu/../x',
      '../../../etc/passwd',
      'main/menu/',
      'main//check',
      '/main/menu/check',
      'main/menu/check/extra',
      'screening/q1/yes',
      'main/menu/check\u0000',
      'main/menu/%2e%2e',
      '__proto__',
      'constructor/prototype/x',
      'main/__proto__/x',
      'x'.repeat(64),
      'x'.repeat(65),
      '',
      ' ',
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('main', 'screening', 'hotlines', 'language', 'facts', 'job_ad', 'country', 'nope'),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
      )
      .map((parts) => parts.join('/')),
  },
  { weight: 2, arbitrary: anyText },
);

const chatId = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...CHAT_IDS) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, -1001234567890, 2 ** 53, 1.5, Number.MAX_SAFE_INTEGER, '81000001', 'abc', null, {}, [], true) },
);
const user = (id: unknown) =>
  fc.record(
    {
      id: orJunk(fc.constant(id)),
      is_bot: orJunk(fc.boolean()),
      first_name: orJunk(anyText),
      language_code: orJunk(fc.constantFrom('en', 'uk', 'ru', 'ro', 'pt-br', 'ar', 'km', 'zz', 'EN', 'x'.repeat(40), '../en', '')),
    },
    { requiredKeys: ['id'] },
  );
const chat = (id: unknown) =>
  fc.record(
    {
      id: fc.constant(id),
      type: orJunk(fc.constantFrom('private', 'private', 'private', 'group', 'supergroup', 'channel', 'sender')),
      first_name: fc.constant('Ana'),
    },
    { requiredKeys: ['id'] },
  );
const messageId = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 2 ** 31 - 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 1.5, '12', null, 2 ** 60) },
);

const message = chatId.chain((id) =>
  fc.record(
    {
      message_id: messageId,
      date: orJunk(fc.integer({ min: 0, max: 2 ** 31 })),
      chat: fc.oneof({ weight: 8, arbitrary: chat(id) }, { weight: 1, arbitrary: anyJson }),
      from: user(id),
      text: orJunk(messageText),
      entities: maybe(fc.constant([{ offset: 0, length: 6, type: 'bot_command' }]), 50),
      sticker: maybe(fc.constant({ file_id: 'x', width: 1, height: 1 }), 10),
      photo: maybe(fc.constant([{ file_id: 'p', width: 1, height: 1 }]), 10),
      location: maybe(fc.constant({ latitude: 47, longitude: 28 }), 10),
      voice: maybe(anyJson, 10),
    },
    { requiredKeys: ['chat'] },
  ),
);

const callbackQuery = chatId.chain((id) =>
  fc.record(
    {
      id: orJunk(fc.string({ minLength: 1, maxLength: 20 })),
      from: user(id),
      chat_instance: orJunk(fc.constant('1')),
      data: orJunk(callbackData),
      game_short_name: maybe(fc.constant('game'), 10),
      message: fc.oneof(
        { weight: 8, arbitrary: fc.record({ message_id: messageId, date: fc.constant(0), chat: chat(id), text: fc.constant('…') }) },
        { weight: 1, arbitrary: anyJson },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    },
    { requiredKeys: ['from'] },
  ),
);

const updateId = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 2 ** 31 - 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, '7', null, 2 ** 60) },
);

/** Valid-shaped updates of every kind, with random values; and updates of kinds the bot never asked for. */
const telegramUpdate: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ update_id: updateId, message }) },
  { weight: 4, arbitrary: fc.record({ update_id: updateId, callback_query: callbackQuery }) },
  { weight: 1, arbitrary: fc.record({ update_id: updateId, edited_message: message }) },
  { weight: 1, arbitrary: fc.record({ update_id: updateId, channel_post: message }) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        update_id: updateId,
        kind: fc.constantFrom(
          'inline_query',
          'my_chat_member',
          'chat_member',
          'poll',
          'poll_answer',
          'chat_join_request',
          'shipping_query',
          'message_reaction',
          'business_message',
          'zz_unknown',
        ),
        value: anyJson,
      })
      .map(({ update_id, kind, value }) => ({ update_id, [kind]: value })),
  },
  { weight: 1, arbitrary: fc.record({ update_id: updateId, message: anyJson, callback_query: maybe(anyJson, 50) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { update_id: 5, __proto__: { message: 1 } },
      JSON.parse('{"update_id":6,"__proto__":{"message":{"chat":{"id":1,"type":"private"}}}}') as unknown,
      { update_id: 7, constructor: { prototype: { x: 1 } } },
    ),
  },
);

/** Bodies that are not what the endpoint wants. */
const junkBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: anyJson.map((json) => ({ json })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '{"a":', '[1,2', 'null', '""', '\u0000', '{"update_id":1e400}', '\uFEFF{}', '{"a":1}{"b":2}'))
      .map((raw) => ({ raw })),
  },
  { weight: 1, arbitrary: fc.constant({ none: true as const }) },
  { weight: 1, arbitrary: fc.record({ huge: fc.constantFrom(70_000, 300_000, 1_100_000), fill: fc.constantFrom('a', '[', '{"a":"') }) },
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'image/png',
      '',
    ),
  },
);

const telegramInput: fc.Arbitrary<FuzzInput> = fc.record({
  kind: fc.constant('telegram' as const),
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD') }),
  secret: fc.oneof(
    { weight: 12, arbitrary: fc.constant('right' as const) },
    { weight: 1, arbitrary: fc.constantFrom('none' as const, 'wrong' as const, 'empty' as const) },
  ),
  contentType,
  body: fc.oneof({ weight: 6, arbitrary: telegramUpdate.map((json) => ({ json })) }, { weight: 1, arbitrary: junkBody }),
});

const activity = fc.record(
  {
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('message', 'event') },
      { weight: 1, arbitrary: fc.constantFrom('conversationUpdate', 'typing', 'invoke', 'MESSAGE', '') },
      { weight: 1, arbitrary: anyJson },
    ),
    text: orJunk(messageText),
    value: maybe(
      fc.oneof(
        callbackData,
        callbackData.map((choice) => ({ choice })),
        anyJson,
      ),
      30,
    ),
    name: maybe(fc.oneof(fc.constantFrom('quickExit', 'setLanguage', 'webchat/join'), anyText), 30),
    locale: orJunk(fc.constantFrom('en', 'en-US', 'uk', 'ar', 'pt-BR', 'xx-YY', '../../en', 'e'.repeat(300))),
    attachments: maybe(
      fc.oneof(fc.array(fc.record({ contentType: orJunk(fc.constantFrom('image/png', 'application/pdf', 'audio/ogg')) }), { maxLength: 12 }), anyJson),
      25,
    ),
    channelData: maybe(
      fc.oneof(
        fc.record({ clientActivityID: orJunk(fc.string({ maxLength: 200 })) }),
        fc.record({ lantern: fc.record({ country: orJunk(fc.constantFrom('MD', 'UA', 'md', 'ZZ')) }) }),
        anyJson,
      ),
      30,
    ),
    from: maybe(anyJson, 20),
    conversation: maybe(anyJson, 20),
  },
  { requiredKeys: [] },
);

/** Direct Line routes: `{c}` is the request's conversation, `{x}` another live one. */
const directLineRoute = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST /conversations/{c}/activities') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'GET /conversations/{c}/activities',
      'GET /conversations/{c}/activities?watermark=-1',
      'GET /conversations/{c}/activities?watermark=99999999999999999999',
      'GET /conversations/{c}/activities?watermark=abc',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'POST /conversations',
      'POST /tokens/generate',
      'POST /tokens/refresh',
      'GET /conversations/{c}',
      'POST /conversations/{x}/activities',
      'GET /conversations/{x}/activities',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'DELETE /conversations/{c}',
      'OPTIONS /conversations/{c}/activities',
      'PUT /conversations/{c}',
      'GET /conversations/{c}/stream',
      'POST /conversations/{c}/upload',
      'GET /',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'),
        fc.array(
          fc.oneof(fc.constantFrom('conversations', '..', '.', '%2e%2e', '', 'activities', '%00', '%ZZ'), fc.string({ maxLength: 20 }).map(encodeURIComponent)),
          { maxLength: 5 },
        ),
      )
      .map(([method, parts]) => `${method} /${parts.join('/')}`),
  },
);

const directLineInput: fc.Arbitrary<FuzzInput> = fc.record({
  kind: fc.constant('directline' as const),
  route: directLineRoute,
  method: fc.constant(''),
  auth: fc.oneof(
    { weight: 10, arbitrary: fc.constant('own' as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('other' as const, 'tampered' as const, 'garbage' as const, 'none' as const, 'basic' as const, 'empty-bearer' as const),
    },
  ),
  contentType,
  body: fc.oneof(
    { weight: 6, arbitrary: activity.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.record({ locale: orJunk(anyText), country: orJunk(anyText) }).map((json) => ({ json })) },
    { weight: 2, arbitrary: junkBody },
  ),
});

const botFrameworkActivity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'event', 'invoke', 'typing'), anyJson),
    id: orJunk(fc.string({ maxLength: 20 })),
    channelId: orJunk(fc.constantFrom('emulator', 'msteams', 'webchat', 'directline')),
    // Not a loopback port where nothing listens: botbuilder retries that send for ~10 s (a slow 200, not a fault).
    serviceUrl: fc.constantFrom(
      '{connector}',
      '{connector}',
      'https://smba.trafficmanager.net/x/',
      'http://169.254.169.254/',
      'http://127.0.0.1.example/',
      'not a url',
      '',
    ),
    conversation: orJunk(fc.record({ id: orJunk(fc.string({ minLength: 1, maxLength: 30 })) })),
    from: orJunk(fc.record({ id: orJunk(fc.string({ maxLength: 30 })), name: orJunk(anyText) })),
    recipient: orJunk(fc.record({ id: orJunk(fc.string({ maxLength: 30 })) })),
    text: orJunk(messageText),
    value: maybe(
      fc.oneof(
        callbackData,
        callbackData.map((choice) => ({ choice })),
        anyJson,
      ),
      30,
    ),
    name: maybe(fc.oneof(fc.constantFrom('quickExit', 'setLanguage'), anyText), 25),
    locale: orJunk(fc.constantFrom('en', 'uk', 'ar', 'zz')),
    membersAdded: maybe(fc.oneof(fc.array(fc.record({ id: fc.string({ maxLength: 10 }) }), { maxLength: 3 }), anyJson), 30),
    attachments: maybe(anyJson, 20),
  },
  { requiredKeys: ['serviceUrl'] },
);

const messagesInput: fc.Arbitrary<FuzzInput> = fc.record({
  kind: fc.constant('messages' as const),
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE') }),
  authorization: maybe(fc.constantFrom('Bearer x', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic Zm9vOmJhcg==', ''), 25),
  contentType,
  body: fc.oneof({ weight: 4, arbitrary: botFrameworkActivity.map((json) => ({ json })) }, { weight: 2, arbitrary: junkBody }),
});

/** Every fuzz input: mostly Telegram and Direct Line, where users are; some Bot Framework. */
export const fuzzInput: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 5, arbitrary: telegramInput },
  { weight: 4, arbitrary: directLineInput },
  { weight: 2, arbitrary: messagesInput },
);

/**
 * Whether a status is a server fault. The one 5xx allowed is botbuilder's 501 to an `invoke`
 * activity the bot does not implement: the Bot Framework protocol's answer, not a failure.
 */
export function isFault(input: FuzzInput, status: number): boolean {
  if (status === 501 && input.kind === 'messages' && 'json' in input.body && (input.body.json as { type?: unknown } | null)?.type === 'invoke') return false;
  return status < 200 || status >= 500;
}

/** The property: any input gets an answer that is not a server fault. */
export function noServerFault(target: Pick<FuzzTarget, 'send'>): fc.IAsyncPropertyWithHooks<[FuzzInput]> {
  return fc.asyncProperty(fuzzInput, async (input) => {
    const status = await target.send(input);
    if (isFault(input, status)) throw new Error(`status ${status === 599 ? 'none (connection cut)' : status} for ${JSON.stringify(input).slice(0, 400)}`);
  });
}

// ---- the harness ---------------------------------------------------------------------------

/** The figures of a fuzz run so far. */
export interface FuzzTally {
  runs: number;
  byStatus: Record<string, number>;
  /** Requests the server cut off before answering (allowed only for bodies over a limit). */
  cutOff: number;
  /** Answers that are server faults (see `isFault`). */
  faults: number;
}

/** A real server with Telegram in webhook mode against a Bot API stub, ready to take fuzz inputs. */
export interface FuzzTarget {
  /** Sends one input and returns the status (0: the server closed the connection first). */
  send(input: FuzzInput): Promise<number>;
  tally: FuzzTally;
  /** Bot API calls that a real Telegram would refuse as malformed, each with the reason. */
  malformedCalls(): string[];
  /** Waits until the server stops calling the Bot API (turns accepted by the webhook finish in the background). */
  settle(): Promise<void>;
  healthStatus(): Promise<number>;
  /** The server's log lines at error level, without their details. */
  errorLogs(): string[];
  botApi: BotApiStub;
  connector: ConnectorStub;
  close(): Promise<void>;
}

/** Starts a Bot API stub, a Bot Connector stub and a real server (memory store, webhook mode). */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const botApi = await startBotApiStub();
  const connector = await startConnectorStub();
  let server: TestServer;
  try {
    server = await startTestServer((port) => ({
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: botApi.url,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      // Activities name the loopback connector stub as their serviceUrl.
      BOT_EMULATOR: 'true',
      LOG_LEVEL: 'warn',
      // Thousands of inputs from one address: the per-address limit is tested in test/server/client-limits.test.ts.
      CLIENT_RATE_LIMIT: 'off',
    }));
  } catch (error) {
    await botApi.close();
    await connector.close();
    throw error;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const base = new URL(server.url);
  const tally: FuzzTally = { runs: 0, byStatus: {}, cutOff: 0, faults: 0 };
  // Live Direct Line conversations; a slot is refilled once its conversation has ended.
  const slots: ({ id: string; token: string } | undefined)[] = [undefined, undefined, undefined, undefined];
  let turn = 0;

  function call(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          agent,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0, text: '' }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in 30 s: ${method} ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function conversation(index: number): Promise<{ id: string; token: string }> {
    const slot = slots[index];
    if (slot) return slot;
    const created = await call('POST', '/v3/directline/conversations', { 'content-type': 'application/json' }, Buffer.from('{"locale":"en","country":"MD"}'));
    if (created.status !== 201) throw new Error(`could not open a Direct Line conversation: ${created.status}`);
    const { conversationId, token } = JSON.parse(created.text) as { conversationId: string; token: string };
    return (slots[index] = { id: conversationId, token });
  }

  function bodyBytes(body: Body): Buffer | undefined {
    if ('none' in body) return undefined;
    if ('huge' in body) return Buffer.from(body.fill.repeat(body.huge), 'utf8');
    if ('raw' in body) return Buffer.from(body.raw, 'utf8');
    // `undefined` (an absent field) stays absent, as in any JSON a client sends.
    return Buffer.from(JSON.stringify(body.json) ?? 'null', 'utf8');
  }

  async function send(input: FuzzInput): Promise<number> {
    const headers: Record<string, string> = input.contentType === undefined ? {} : { 'content-type': input.contentType };
    const body = bodyBytes(input.body);
    let method = input.method;
    let path: string;
    let ends: ((status: number) => void) | undefined;
    if (input.kind === 'telegram') {
      path = '/telegram/webhook';
      if (input.secret === 'right') headers['x-telegram-bot-api-secret-token'] = TELEGRAM_SECRET;
      else if (input.secret === 'wrong') headers['x-telegram-bot-api-secret-token'] = 'not-the-secret';
      else if (input.secret === 'empty') headers['x-telegram-bot-api-secret-token'] = '';
    } else if (input.kind === 'messages') {
      path = '/api/messages';
      if (input.authorization !== undefined) headers.authorization = input.authorization;
      if (
        'json' in input.body &&
        typeof input.body.json === 'object' &&
        input.body.json !== null &&
        (input.body.json as { serviceUrl?: unknown }).serviceUrl === '{connector}'
      ) {
        const json = { ...(input.body.json as Record<string, unknown>), serviceUrl: connector.url };
        return record(input, (await call(method, path, headers, Buffer.from(JSON.stringify(json)))).status, body);
      }
    } else {
      const index = turn++ % slots.length;
      const own = await conversation(index);
      const other = await conversation((index + 1) % slots.length);
      const [verb = 'GET', route = '/'] = input.route.split(' ');
      method = verb;
      path = `/v3/directline${route.replace('{c}', own.id).replace('{x}', other.id)}`;
      const token = { own: own.token, other: other.token, tampered: `${own.token.slice(0, -2)}${own.token.endsWith('A') ? 'B' : 'A'}A`, garbage: 'x.y.z' }[
        input.auth as 'own'
      ];
      if (token) headers.authorization = `Bearer ${token}`;
      else if (input.auth === 'basic') headers.authorization = 'Basic Zm9vOmJhcg==';
      else if (input.auth === 'empty-bearer') headers.authorization = 'Bearer ';
      const quickExit = 'json' in input.body && (input.body.json as { name?: unknown } | null)?.name === 'quickExit';
      // A conversation that may have ended gets a fresh slot; the next input opens a new one.
      ends = (status) => {
        if (status === 204 || status === 404 || (quickExit && status === 200)) slots[index] = undefined;
      };
    }
    const status = await record(
      input,
      await call(method, path, headers, body).then(
        (r) => r.status,
        () => 0,
      ),
      body,
    );
    ends?.(status);
    return status;
  }

  function record(input: FuzzInput, status: number, body: Buffer | undefined): number {
    tally.runs++;
    const key = status === 0 ? 'cut off' : String(status);
    tally.byStatus[key] = (tally.byStatus[key] ?? 0) + 1;
    if (status === 0) {
      tally.cutOff++;
      // Only an oversize upload may be cut off; for anything else a dropped connection is a failure.
      if (!(body && body.length > 60_000 && 'huge' in input.body)) status = 599;
    }
    if (isFault(input, status)) tally.faults++;
    return status;
  }

  return {
    send,
    tally,
    malformedCalls: () => botApi.calls.flatMap((c) => malformed(c) ?? []),
    async settle() {
      // Until no Bot API call came for 300 ms (at most 60 s): background turns are done.
      let count = -1;
      for (let round = 0; round < 200 && count !== botApi.calls.length; round++) {
        count = botApi.calls.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    },
    healthStatus: async () => (await call('GET', '/healthz', {}, undefined)).status,
    errorLogs: () =>
      server
        .logs()
        .split('\n')
        .filter((line) => line.includes('"level":50') || line.includes('"level":60'))
        .map((line) => {
          const { msg, err, error, channelId, activityType } = JSON.parse(line) as Record<string, unknown>;
          return [msg, err, error, channelId, activityType]
            .filter((v) => v !== undefined)
            .map(String)
            .join(' ');
        }),
    botApi,
    connector,
    async close() {
      agent.destroy();
      await server.close();
      await botApi.close();
      await connector.close();
    },
  };
}

const CHAT_ID = /^-?[1-9]\d{0,15}$/;
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote']);

/** Why a real Bot API would refuse this call, or undefined when it is well formed. */
function malformed(call: BotApiCall): string | undefined {
  const p = call.params;
  const isChatId = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v !== 0) || (typeof v === 'string' && CHAT_ID.test(v));
  const isMessageId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v < 2 ** 31;
  switch (call.method) {
    case 'getMe':
    case 'setMyCommands':
    case 'setWebhook':
      return undefined;
    case 'answerCallbackQuery':
      return typeof p.callback_query_id === 'string' && p.callback_query_id !== ''
        ? undefined
        : `answerCallbackQuery with callback_query_id ${JSON.stringify(p.callback_query_id)}`;
    case 'deleteMessage':
      if (!isChatId(p.chat_id)) return `deleteMessage with chat_id ${JSON.stringify(p.chat_id)}`;
      return isMessageId(p.message_id) ? undefined : `deleteMessage with message_id ${JSON.stringify(p.message_id)}`;
    case 'sendMessage': {
      if (!isChatId(p.chat_id)) return `sendMessage with chat_id ${JSON.stringify(p.chat_id)}`;
      if (p.parse_mode !== 'HTML') return `sendMessage with parse_mode ${JSON.stringify(p.parse_mode)}`;
      if (typeof p.text !== 'string' || p.text.trim() === '' || [...p.text].length > 4096)
        return `sendMessage with a text of ${typeof p.text === 'string' ? [...p.text].length : typeof p.text} characters`;
      const html = htmlProblem(p.text);
      if (html) return `sendMessage with ${html}`;
      if (p.reply_markup !== undefined) return keyboardProblem(p.reply_markup);
      return undefined;
    }
    default:
      return `unexpected method ${call.method}`;
  }
}

/** Telegram's HTML parse mode: known tags only, balanced, and every other `<` and `&` escaped. */
function htmlProblem(text: string): string | undefined {
  const open: string[] = [];
  for (const match of text.matchAll(/<(\/?)([a-z-]+)(?:\s[^<>]*)?>|<|&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});|&/gi)) {
    const [whole, closing, tag] = match;
    if (whole === '<') return 'an unescaped <';
    if (whole === '&') return 'an unescaped &';
    if (tag === undefined) continue;
    const name = tag.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) return `a <${name}> tag`;
    if (closing === '') open.push(name);
    else if (open.pop() !== name) return `an unbalanced </${name}>`;
  }
  return open.length === 0 ? undefined : `an unclosed <${open.at(-1)}>`;
}

function keyboardProblem(markup: unknown): string | undefined {
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || rows.length === 0) return 'a reply_markup without inline_keyboard rows';
  for (const row of rows) {
    if (!Array.isArray(row) || row.length === 0) return 'an empty keyboard row';
    for (const button of row as Record<string, unknown>[]) {
      if (typeof button.text !== 'string' || button.text.trim() === '') return 'a button without text';
      const data = button.callback_data;
      const url = button.url;
      if ((data === undefined) === (url === undefined)) return 'a button with neither or both of callback_data and url';
      if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64))
        return `a button with callback_data ${JSON.stringify(data)}`;
      if (url !== undefined && (typeof url !== 'string' || !/^(https?|tg):\/\//.test(url))) return `a button with url ${JSON.stringify(url)}`;
    }
  }
  return undefined;
}

/** Records unhandled rejections and uncaught exceptions while a fuzz run lasts. */
export function recordProcessFailures(): { failures: string[]; dispose(): void } {
  const failures: string[] = [];
  const onRejection = (reason: unknown) =>
    failures.push(`unhandledRejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
  const onException = (error: Error) => failures.push(`uncaughtException: ${error.name}: ${error.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    failures,
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
