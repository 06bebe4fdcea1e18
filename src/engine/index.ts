/** The channel-free conversation core. */
export type { ChannelName, Inbound, InboundEvent, Outbound, Choice, Reply, TurnHandler, Log } from './types.js';
export { buildEngine, registryFor, type BuiltEngine } from './build-engine.js';
export { MAIN_FLOW, parseDeepLink, type Engine, type StepResult, type TurnNote } from './engine.js';
export { parseSession, serializeSession, type Session } from './session.js';
export type { Registry, ActionDef, GuardDef } from './action-registry.js';

/** Text keys the code renders itself (never "unused" for the linter). */
export const CODE_KEYS: readonly string[] = ['system.', 'hotlines.', 'emergency.', 'intents.', 'facts.source', 'facts.myth_label', 'language.changed', 'screening.', 'commands.', 'check.ad_found', 'check.ad_none', 'check.ad_level.', 'widget.'];
export { createConversationService, type ConversationService, type ConversationServiceOptions, type TurnReport } from './conversation-service.js';
