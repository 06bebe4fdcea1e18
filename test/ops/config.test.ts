import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/index.js';

describe('configuration', () => {
  it('has working defaults for a machine with nothing else', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3978,
      STORE: 'sqlite',
      SQLITE_PATH: './data/lantern.db',
      SESSION_TTL: 86_400_000,
      DEFAULT_LANGUAGE: 'en',
      RATE_LIMIT: { turns: 30, windowMs: 10_000 },
    });
  });

  it('reads durations, lists and codes', () => {
    expect(
      loadConfig({ SESSION_TTL: '30m', WEBCHAT_ALLOWED_ORIGINS: 'https://a.org, https://b.org', DEFAULT_COUNTRY: 'md', RATE_LIMIT: '5/1s' }),
    ).toMatchObject({
      SESSION_TTL: 1_800_000,
      WEBCHAT_ALLOWED_ORIGINS: ['https://a.org', 'https://b.org'],
      DEFAULT_COUNTRY: 'MD',
      RATE_LIMIT: { turns: 5, windowMs: 1000 },
    });
  });

  it('reads the client rate limit and the proxies in front', () => {
    expect(loadConfig({})).toMatchObject({ CLIENT_RATE_LIMIT: { requests: 30, windowMs: 60_000 }, TRUST_PROXY: 0 });
    expect(loadConfig({ CLIENT_RATE_LIMIT: '100/10m', TRUST_PROXY: '2' })).toMatchObject({
      CLIENT_RATE_LIMIT: { requests: 100, windowMs: 600_000 },
      TRUST_PROXY: 2,
    });
    expect(loadConfig({ CLIENT_RATE_LIMIT: 'off', TRUST_PROXY: 'true' })).toMatchObject({ CLIENT_RATE_LIMIT: false, TRUST_PROXY: 1 });
    expect(() => loadConfig({ CLIENT_RATE_LIMIT: 'lots', TRUST_PROXY: 'yes' })).toThrow(
      /CLIENT_RATE_LIMIT: use requests per time[\s\S]*TRUST_PROXY: the number of proxies/,
    );
  });

  it('stops with one message listing every problem, cross-setting rules included, and never echoes secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', STORE: 'redis', SESSION_TTL: 'soon', TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_WEBHOOK_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'SESSION_TTL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'REDIS_URL', 'HASH_SECRET', 'PUBLIC_URL'])
      expect(message).toContain(`${name}:`);
    expect(message).toContain('(got "eighty")');
    expect(message).not.toContain('not-a-token');
    expect(message).toContain('lantern serve --help');
  });
});
