/** Actions and guards that flows name and code implements (`action: showHotlines`). */
import type { z } from 'zod';
import type { Outbound } from './types.js';
import type { FlowContext } from './flow-context.js';

/** What an action sees when it runs. */
export interface ActionArgs<P = Record<string, unknown>> {
  context: FlowContext;
  params: P;
  /** The user's text, for actions on a free-text question; never stored. */
  text?: string;
  /** The countries that text names, distinct (the understanding module's place reading). */
  places?: readonly string[];
  /**
   * The text's event: one object for an action's update, show and note in one turn, so work done on
   * the text once (a pasted ad's analysis) can be kept on it and goes with the turn.
   */
  textEvent?: object;
}

/** A named action: it may update the conversation's data, show messages, or both. */
export interface ActionDef<P = Record<string, unknown>> {
  /** One line for `lantern lint` and flows/README.md. */
  description: string;
  /** The parameters it accepts; checked by `lantern validate`. */
  params?: z.ZodType<P>;
  /** Pure data update, applied inside the state machine. */
  update?: (args: ActionArgs<P>) => Partial<FlowContext>;
  /** Messages to show; runs after the transition with the updated context. */
  show?: (args: ActionArgs<P>) => Outbound[];
  /** Needs a free-text question (`input: text`). */
  needsText?: boolean;
  /** An anonymous figure for metrics (e.g. the risk level), never text. */
  note?: (args: ActionArgs<P>) => string | undefined;
}

/** A named condition for `branch` states. */
export interface GuardDef<P = Record<string, unknown>> {
  description: string;
  params?: z.ZodType<P>;
  check: (context: FlowContext, params: P) => boolean;
}

/** Every action and guard flows may name. */
export interface Registry {
  actions: Record<string, ActionDef<any>>;
  guards: Record<string, GuardDef<any>>;
}
