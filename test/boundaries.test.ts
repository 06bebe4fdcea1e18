/** The folder boundaries are enforced by ESLint (npm test runs it); these cases prove it bites. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/content.js';

const eslint = new ESLint({ cwd: root });
const errorsFor = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath: `${root}/${filePath}` }))[0]!.messages.map((m) => m.message);

describe('folder boundaries', () => {
  it.each([
    ["import { Telegraf } from 'telegraf';", 'src/engine/x.ts', 'only src/channels/telegram/'],
    ["import { setup } from 'xstate';", 'src/screening/x.ts', 'only src/engine/ and src/flows/'],
    ["import { createServer } from 'node:http';", 'src/i18n/x.ts', 'the core does no network'],
    ["import { CloudAdapter } from 'botbuilder';", 'src/channels/telegram/x.ts', 'only src/channels/botframework/'],
    ["import { setup } from 'xstate';", 'src/server/x.ts', 'only src/engine/ and src/flows/'],
    ["import i18next from 'i18next';", 'src/engine/x.ts', 'only src/i18n/'],
    ["import { render } from '../telegram/render.js';", 'src/channels/webchat/x.ts', 'channels never import each other'],
    ["import { createServer } from 'node:http';", 'src/engine/x.ts', 'the core does no network or storage I/O'],
    ["import { createRedisStore } from '../store/redis-store.js';", 'src/engine/x.ts', 'only the store interface'],
    ["import { startServer } from '../server/index.js';", 'src/engine/x.ts', 'arrows point inwards'],
    ['const port = process.env.PORT;', 'src/channels/telegram/x.ts', 'src/server/config.ts'],
  ])('%s in %s is an error', async (code, file, message) => {
    const errors = await errorsFor(code, file);
    expect(errors.join('\n')).toContain(message);
  });

  it.each([
    ["import { Telegraf } from 'telegraf';", 'src/channels/telegram/x.ts'],
    ["import type { SessionStore } from '../store/index.js';", 'src/engine/x.ts'],
    ["import { setup } from 'xstate';", 'src/engine/x.ts'],
  ])('%s in %s is allowed', async (code, file) => {
    expect(await errorsFor(code, file)).toEqual([]);
  });
});
