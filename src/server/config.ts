/** Environment configuration, parsed once by zod. The only module that reads `process.env`. */
import { z } from 'zod';

/** "30/10s": a count of at least 1 per a duration, else undefined. */
function perTime(text: string): { count: number; windowMs: number } | undefined {
  const m = /^(\d+)\s*\/\s*(\S+)$/.exec(text.trim());
  const windowMs = m ? parseDuration(m[2]!) : undefined;
  return m && windowMs && Number(m[1]) >= 1 ? { count: Number(m[1]), windowMs } : undefined;
}

/** Parses `24h`, `30m`, `90s`, `2d` or plain milliseconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms'];
  return Math.round(Number(match[1]) * unit);
}

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'use a duration such as 24h, 30m or 90s' });
    return z.NEVER;
  }
  return ms;
});

const origins = z.string().transform((text) =>
  text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean),
);

/** Every variable, its default, and the sentence `lantern serve --help` prints for it. */
export const configSchema = z
  .object({
    PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(3978)
      .describe('HTTP port for the widget, Direct Line, /api/messages, the Telegram webhook and health (0: any free port).'),
    HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, 'an address such as 127.0.0.1, ::1 or 0.0.0.0')
      .optional()
      .describe('Address to listen on, e.g. 127.0.0.1 behind a proxy on the same machine. Unset: every interface.'),
    PUBLIC_URL: z
      .url()
      .optional()
      .describe('The address users and Telegram reach this server at (https://...). With TELEGRAM_WEBHOOK_SECRET it turns on webhook mode.'),
    STORE: z
      .enum(['sqlite', 'memory', 'redis'])
      .default('sqlite')
      .describe('Where sessions live: sqlite (one server), redis (several instances) or memory (tests).'),
    SQLITE_PATH: z.string().min(1).default('./data/lantern.db').describe('SQLite file for STORE=sqlite.'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// address')
      .optional()
      .describe('Redis address for STORE=redis, e.g. redis://127.0.0.1:6379.'),
    SESSION_TTL: duration.default(24 * 3_600_000).describe('How long a quiet conversation is kept, e.g. 24h (default) or 30m.'),
    HASH_SECRET: z
      .string()
      .superRefine((value, ctx) => {
        const weakness = secretWeakness(value);
        if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
      })
      .optional()
      .describe(
        'Secret for hashing user ids into store keys (at least 32 random characters). Required with STORE=redis unless HASH_SECRET_FILE is set; with SQLite one is generated in HASH_SECRET_FILE if unset.',
      ),
    HASH_SECRET_FILE: z
      .string()
      .min(1)
      .optional()
      .describe(
        'File that holds the hash secret (e.g. a mounted secret, kept away from the database backups); generated there (mode 600) if missing. Default with SQLite: hash-secret beside SQLITE_PATH.',
      ),
    DEFAULT_LANGUAGE: z.string().min(2).default('en').describe('Language when the user and platform give none.'),
    DEFAULT_COUNTRY: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'a two-letter ISO country code such as MD')
      .transform((c) => c.toUpperCase())
      .optional()
      .describe("Country to assume before the user picks one (e.g. the NGO's country)."),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log detail. Logs never contain message text or user ids.'),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'a token from @BotFather looks like 123456:ABC-def')
      .optional()
      .describe('Turns on Telegram.'),
    TELEGRAM_API_ROOT: z.url().optional().describe('A self-hosted Telegram Bot API server.'),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 characters of letters, digits, _ and -')
      .optional()
      .describe('Webhook secret token; with PUBLIC_URL, Telegram posts to /telegram/webhook.'),
    MICROSOFT_APP_ID: z
      .string()
      .optional()
      .describe('Bot Framework app id (Azure Bot). Unset: /api/messages answers without auth, in the HTTP response (see BOT_EMULATOR).'),
    BOT_EMULATOR: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe(
        'true: without MICROSOFT_APP_ID, /api/messages posts replies to a loopback serviceUrl (the Bot Framework Emulator, local tests). Refused with NODE_ENV=production. Unset: replies come back in the HTTP response and the server calls no address a caller names.',
      ),
    NODE_ENV: z.string().optional().describe('production refuses settings meant for a developer machine (BOT_EMULATOR).'),
    MICROSOFT_APP_PASSWORD: z.string().optional().describe('Bot Framework app password.'),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional().describe('Bot Framework app type.'),
    MICROSOFT_APP_TENANT_ID: z.string().optional().describe('Tenant for SingleTenant apps.'),
    WEBCHAT_ALLOWED_ORIGINS: origins
      .optional()
      .describe('Comma-separated sites allowed to embed the widget (CORS), e.g. https://ngo.example. Unset: any site.'),
    WEBCHAT_BUFFER_TTL: duration
      .default(10 * 60_000)
      .describe(
        'With STORE=redis: how long a web chat message waits in Redis (encrypted) for the browser to fetch it, e.g. 10m (default). Fetched messages go at once.',
      ),
    RATE_LIMIT: z
      .string()
      .transform((text, ctx) => {
        const rate = perTime(text);
        if (!rate) {
          ctx.addIssue({ code: 'custom', message: 'use turns per time, e.g. 30/10s' });
          return z.NEVER;
        }
        return { turns: rate.count, windowMs: rate.windowMs };
      })
      .default({ turns: 30, windowMs: 10_000 })
      .describe('Most turns one conversation may take per time (e.g. 30/10s); more get a polite "slow down" (emergencies are always answered).'),
    METRICS_TOKEN: z
      .string()
      .min(16, 'use at least 16 characters (e.g. `openssl rand -hex 32`)')
      .optional()
      .describe('When set, GET /metrics needs the header `Authorization: Bearer <METRICS_TOKEN>` (lantern stats sends it). Unset: /metrics is open.'),
    CLIENT_RATE_LIMIT: z
      .string()
      .transform((text, ctx) => {
        // false, not undefined: zod would put the default in place of undefined.
        if (text.trim() === 'off') return false as const;
        const rate = perTime(text);
        if (!rate) {
          ctx.addIssue({ code: 'custom', message: 'use requests per time, e.g. 30/1m, or off' });
          return z.NEVER;
        }
        return { requests: rate.count, windowMs: rate.windowMs };
      })
      .default({ requests: 30, windowMs: 60_000 })
      .describe(
        'Requests one client address may make per time on each door open without an account (web chat start, token refresh, /api/messages without MICROSOFT_APP_ID), e.g. 30/1m; more get 429. Shared on Redis with STORE=redis. `off` for load tests.',
      ),
    TRUST_PROXY: z
      .string()
      .transform((text, ctx) => {
        const value = text.trim().toLowerCase();
        const hops = value === 'true' ? 1 : value === 'false' ? 0 : /^\d{1,2}$/.test(value) ? Number(value) : NaN;
        if (!(hops >= 0 && hops <= 10)) {
          ctx.addIssue({ code: 'custom', message: 'the number of proxies in front (0-10), or true (1) / false (0)' });
          return z.NEVER;
        }
        return hops;
      })
      .default(0)
      .describe(
        'How many proxies or load balancers stand in front (each adding to X-Forwarded-For): 1 behind one load balancer. 0 (default): the socket address is the client, X-Forwarded-For is ignored.',
      ),
    FLOWS_DIR: z.string().optional().describe('Folder of flows (default: flows/ of this project).'),
    LOCALES_DIR: z.string().optional().describe('Folder of locales (default: locales/ of this project).'),
  })
  .superRefine((c, ctx) => {
    for (const problem of crossChecks(c)) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

/** Rules between settings; also run on the raw values when single settings fail, so one message lists everything. */
function crossChecks(c: Record<string, unknown>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (c.STORE === 'redis' && !c.REDIS_URL) out.push({ path: 'REDIS_URL', message: 'STORE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379' });
  if (c.STORE === 'redis' && !c.HASH_SECRET && !c.HASH_SECRET_FILE)
    out.push({ path: 'HASH_SECRET', message: 'STORE=redis (several instances) needs one shared HASH_SECRET (or HASH_SECRET_FILE)' });
  if (c.HASH_SECRET && c.HASH_SECRET_FILE)
    out.push({ path: 'HASH_SECRET_FILE', message: 'set HASH_SECRET or HASH_SECRET_FILE, not both: which one should the store keys use?' });
  if (c.TELEGRAM_WEBHOOK_SECRET && !c.PUBLIC_URL) out.push({ path: 'PUBLIC_URL', message: 'webhook mode (TELEGRAM_WEBHOOK_SECRET) needs PUBLIC_URL' });
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
    out.push({ path: 'MICROSOFT_APP_PASSWORD', message: 'MICROSOFT_APP_ID needs MICROSOFT_APP_PASSWORD' });
  if ((c.BOT_EMULATOR === true || c.BOT_EMULATOR === 'true') && c.NODE_ENV === 'production')
    out.push({
      path: 'BOT_EMULATOR',
      message: 'BOT_EMULATOR lets callers name where replies are posted: never with NODE_ENV=production (set MICROSOFT_APP_ID instead)',
    });
  return out;
}

/** Words that mark a value copied from an example rather than generated. */
const PLACEHOLDER = /change[-_ ]?me|replace[-_ ]?(me|this)|example|placeholder|your[-_ ]?secret/i;

/**
 * Why a secret is too weak to key the store's HMAC, or undefined when it will do: empty, shorter
 * than 32 characters, or obviously guessable (few distinct characters, a repeated block, mostly
 * runs like `aaaa` or `1234`, or an example's placeholder words). Used for HASH_SECRET and the
 * hash-secret file alike.
 */
export function secretWeakness(secret: string): string | undefined {
  const fix = 'use a random value, e.g. `openssl rand -hex 32`';
  if (secret.trim() === '') return `it is empty; ${fix}`;
  if (secret.length < 32) return `use at least 32 characters (got ${secret.length}); ${fix}`;
  if (PLACEHOLDER.test(secret)) return `it looks like an example value, not a secret; ${fix}`;
  if (new Set(secret).size < 10) return `it has fewer than 10 different characters, which is easy to guess; ${fix}`;
  for (let period = 1; period <= secret.length / 2; period++)
    if (secret.slice(period) === secret.slice(0, -period)) return `it repeats a block of ${period} characters, which is easy to guess; ${fix}`;
  let runs = 0;
  for (let i = 1; i < secret.length; i++) if (Math.abs(secret.charCodeAt(i) - secret.charCodeAt(i - 1)) <= 1) runs++;
  if (runs / (secret.length - 1) > 0.5) return `it is mostly runs such as aaaa or 1234, which are easy to guess; ${fix}`;
  return undefined;
}

/** The validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Thrown when the environment is invalid; lists every problem at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Lantern cannot start: ${problems.length} setting(s) to fix:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRun \`lantern serve --help\` for every setting.`,
    );
  }
}

/** Parses an environment (default: this process's). Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const picked = Object.fromEntries(known.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const result = configSchema.safeParse(picked);
  if (result.success) return result.data;
  // zod skips the cross-setting rules when a single setting fails: add them, without repeats.
  const issues = [...result.error.issues.map((i) => ({ path: i.path, message: i.message }))];
  for (const extra of crossChecks({ STORE: 'sqlite', ...picked }))
    if (!issues.some((i) => i.path[0] === extra.path)) issues.push({ path: [extra.path], message: extra.message });
  throw new ConfigError(
    issues.map(
      (i) =>
        `${i.path.join('.') || 'config'}: ${i.message}${picked[String(i.path[0])] !== undefined && !/SECRET|PASSWORD|TOKEN/.test(String(i.path[0])) ? ` (got "${picked[String(i.path[0])]}")` : ''}`,
    ),
  );
}

/** Variable names with their help text and defaults, for `lantern serve --help` and .env.example. */
export function describeConfig(): { name: string; description: string; default?: string }[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => {
    const s = schema as z.ZodType & { description?: string; def?: { defaultValue?: unknown } };
    const d = (s as { _zod?: { def?: { defaultValue?: unknown } } })._zod?.def?.defaultValue;
    const shown =
      name === 'SESSION_TTL' ? '24h' : name === 'WEBCHAT_BUFFER_TTL' ? '10m' : name === 'RATE_LIMIT' ? '30/10s' : name === 'CLIENT_RATE_LIMIT' ? '30/1m' : d;
    return { name, description: s.description ?? '', ...(d !== undefined ? { default: String(shown) } : {}) };
  });
}

/**
 * `lantern studio`'s one setting, kept apart from the server's (serve never reads it): with
 * STUDIO_TOKEN set the studio asks for it on a login page and may listen beyond loopback.
 */
export function loadStudioConfig(env: Record<string, string | undefined> = process.env): { STUDIO_TOKEN?: string } {
  const token = env.STUDIO_TOKEN === '' ? undefined : env.STUDIO_TOKEN;
  if (token === undefined) return {};
  const weakness = secretWeakness(token);
  if (weakness) throw new ConfigError([`STUDIO_TOKEN: ${weakness}`]);
  return { STUDIO_TOKEN: token };
}
