/** Environment configuration, parsed once by zod. The only module that reads `process.env`. */
import { z } from 'zod';

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
      .min(16, 'use at least 16 characters (e.g. `openssl rand -hex 32`)')
      .optional()
      .describe('Secret for hashing user ids into store keys. Required with STORE=redis; with SQLite one is generated next to the database if unset.'),
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
      .describe('Bot Framework app id (Azure Bot). Unset: /api/messages serves the Emulator and local tests without auth.'),
    MICROSOFT_APP_PASSWORD: z.string().optional().describe('Bot Framework app password.'),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional().describe('Bot Framework app type.'),
    MICROSOFT_APP_TENANT_ID: z.string().optional().describe('Tenant for SingleTenant apps.'),
    WEBCHAT_ALLOWED_ORIGINS: origins
      .optional()
      .describe('Comma-separated sites allowed to embed the widget (CORS), e.g. https://ngo.example. Unset: any site.'),
    RATE_LIMIT: z
      .string()
      .transform((text, ctx) => {
        const m = /^(\d+)\s*\/\s*(\S+)$/.exec(text.trim());
        const windowMs = m ? parseDuration(m[2]!) : undefined;
        if (!m || !windowMs || Number(m[1]) < 1) {
          ctx.addIssue({ code: 'custom', message: 'use turns per time, e.g. 30/10s' });
          return z.NEVER;
        }
        return { turns: Number(m[1]), windowMs };
      })
      .default({ turns: 30, windowMs: 10_000 })
      .describe('Most turns one conversation may take per time (e.g. 30/10s); more get a polite "slow down" (emergencies are always answered).'),
    CLIENT_RATE_LIMIT: z
      .string()
      .transform((text, ctx) => {
        // false, not undefined: zod would put the default in place of undefined.
        if (text.trim() === 'off') return false as const;
        const m = /^(\d+)\s*\/\s*(\S+)$/.exec(text.trim());
        const windowMs = m ? parseDuration(m[2]!) : undefined;
        if (!m || !windowMs || Number(m[1]) < 1) {
          ctx.addIssue({ code: 'custom', message: 'use requests per time, e.g. 30/1m, or off' });
          return z.NEVER;
        }
        return { requests: Number(m[1]), windowMs };
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
  if (c.STORE === 'redis' && !c.HASH_SECRET) out.push({ path: 'HASH_SECRET', message: 'STORE=redis (several instances) needs one shared HASH_SECRET' });
  if (c.TELEGRAM_WEBHOOK_SECRET && !c.PUBLIC_URL) out.push({ path: 'PUBLIC_URL', message: 'webhook mode (TELEGRAM_WEBHOOK_SECRET) needs PUBLIC_URL' });
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
    out.push({ path: 'MICROSOFT_APP_PASSWORD', message: 'MICROSOFT_APP_ID needs MICROSOFT_APP_PASSWORD' });
  return out;
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
    const shown = name === 'SESSION_TTL' ? '24h' : name === 'RATE_LIMIT' ? '30/10s' : name === 'CLIENT_RATE_LIMIT' ? '30/1m' : d;
    return { name, description: s.description ?? '', ...(d !== undefined ? { default: String(shown) } : {}) };
  });
}
