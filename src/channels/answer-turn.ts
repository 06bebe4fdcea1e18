/** The one error policy of every channel: a failed turn is answered with the engine's apology and hotline. */
import type { Inbound, Log, Reply, TurnHandler } from '../engine/types.js';
import { errorName } from './channel-error.js';

/** The apology with the hotline for a failed turn, in the user's language (the host's `engine.failure`). */
export type FailureReply = (inbound: Inbound) => Promise<Reply>;

/** What every channel gets from the host: the turn, and the apology to send when the turn fails. */
export interface TurnOptions {
  handler: TurnHandler;
  failure: FailureReply;
  log: Log;
}

/**
 * Runs the turn and renders its reply. When either fails, the failure is logged once (class name
 * only) and the apology with the hotline is rendered instead; undefined when even that failed.
 */
export async function answerTurn<T>(inbound: Inbound, options: TurnOptions, render: (reply: Reply) => T): Promise<T | undefined> {
  const { log } = options;
  const fields = { channel: inbound.channel, event: `user.${inbound.event.type}` };
  try {
    return render(await options.handler(inbound));
  } catch (error) {
    try {
      const rendered = render(await options.failure(inbound));
      log.error({ ...fields, error: errorName(error) }, 'turn failed: answered with the apology and hotline');
      return rendered;
    } catch (apologyError) {
      log.error({ ...fields, error: errorName(error), apologyError: errorName(apologyError) }, 'turn failed and the apology could not be built');
      return undefined;
    }
  }
}
