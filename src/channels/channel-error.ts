/** The error a channel raises when it cannot do its part of a turn, with what to do about it. */

/** HTTP statuses a channel answers a refused request with. */
export type RefusalStatus = 400 | 413;

/**
 * A channel could not do its part: a request it refuses (`status` is the HTTP answer), or a
 * platform call that failed after the reply was computed (`cause` is the platform's error).
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly status: RefusalStatus | undefined;
  constructor(message: string, options: { status?: RefusalStatus; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}

/** The class name of a thrown value, the only part of an error the channels log (messages may carry ids or text). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
