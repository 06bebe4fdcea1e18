/** pino logging. Fields are chosen by callers; message text and user ids are never passed in. */
import pino from 'pino';
import type { Log } from '../engine/index.js';

/** A JSON logger to stdout (or a given stream, for tests). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): pino.Logger & Log {
  return pino(
    { level, base: { app: 'lantern' }, redact: { paths: ['text', '*.text', 'conversation', '*.conversation', 'userId', 'chatId'], censor: '[hidden]' } },
    destination as pino.DestinationStream | undefined,
  ) as pino.Logger & Log;
}
