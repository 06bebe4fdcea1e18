import { BotAdapter, TurnContext } from 'botbuilder';
import type { Activity, ConversationReference, ResourceResponse } from 'botbuilder';
import type { ChannelName, Log, TurnHandler } from '../../engine/types.js';
import type { FailureReply } from '../answer-turn.js';
import { LanternBot } from './lantern-bot.js';
import { createTurnErrorHandler } from './turn-error.js';

/** An activity as plain JSON: what crosses from a transport (such as our Direct Line) to the bot. */
export type ActivityJson = Record<string, unknown>;

/** Runs one incoming activity through the bot and resolves with the activities the bot sent. */
export type ActivityProcessor = (activity: ActivityJson) => Promise<ActivityJson[]>;

const OUTBOX = Symbol('lantern.outbox');

/** A BotAdapter with no connector: what the bot sends is collected for the caller to deliver. */
class CaptureAdapter extends BotAdapter {
  private sequence = 0;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const outbox = context.turnState.get(OUTBOX) as Partial<Activity>[];
    return activities.map((activity) => {
      // Traces are for the Emulator's inspector, and delays are a client concern here.
      if (activity.type !== 'trace' && activity.type !== 'delay') outbox.push(activity);
      this.sequence += 1;
      return { id: `out-${this.sequence}` };
    });
  }

  override async updateActivity(): Promise<void> {
    throw new Error('updating a sent activity is not supported on the self-hosted Direct Line');
  }

  override async deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    throw new Error('deleting a sent activity is not supported on the self-hosted Direct Line');
  }

  override async continueConversation(): Promise<void> {
    throw new Error('proactive messages are not supported on the self-hosted Direct Line');
  }

  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const outbox: Partial<Activity>[] = [];
    const context = new TurnContext(this, activity);
    context.turnState.set(OUTBOX, outbox);
    await this.runMiddleware(context, logic);
    return outbox;
  }
}

/** What createActivityProcessor needs. */
export interface ActivityProcessorOptions {
  handler: TurnHandler;
  /** The apology with the hotline, sent when a turn fails (the conversation service's `failure`). */
  failure: FailureReply;
  log: Log;
  /** The channel name the core sees; `webchat` for the self-hosted widget. */
  channel?: ChannelName;
}

/**
 * The same bot as /api/messages, behind a function a transport can call without knowing
 * botbuilder: the server hands this to the web chat as its `runTurn`.
 */
export function createActivityProcessor(options: ActivityProcessorOptions): ActivityProcessor {
  const bot = new LanternBot({ handler: options.handler, failure: options.failure, log: options.log, channel: options.channel ?? 'webchat' });
  const adapter = new CaptureAdapter();
  adapter.onTurnError = createTurnErrorHandler(options.log, bot);
  return async (activity) => {
    const sent = await adapter.processActivity(activity as Partial<Activity>, (context) => bot.run(context));
    return sent.map((item) => ({ ...item }) as ActivityJson);
  };
}
