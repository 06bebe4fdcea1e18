/**
 * One conversation driven through a real channel against a real Lantern server, seen the way a
 * user sees it. Every channel driver implements this, so that one script can run on all of them
 * and their transcripts can be compared (see test/e2e/same-dialogue.test.ts).
 */

/** What the user saw after one action: the bot's texts (in order) and the buttons offered last. */
export interface Seen {
  /** Every text the bot sent for this action, trimmed, in order (phone numbers included as text). */
  texts: string[];
  /** Labels of the buttons (inline keyboard / suggested actions / card buttons) offered last. */
  buttons: string[];
}

/** A user action: type text, or tap the button with this label (from the last `Seen.buttons`). */
export type UserAction = { type: string } | { tap: string } | { start: string | null };

/** A running conversation on one channel. */
export interface ChannelDriver {
  name: 'telegram' | 'botframework' | 'webchat';
  /** Performs the action and returns everything the bot answered to it (waits until the bot is quiet). */
  act(action: UserAction): Promise<Seen>;
  close(): Promise<void>;
}
