/** The channel-free conversation core. */
export type { ChannelName, Inbound, InboundEvent, Outbound, Choice, Reply, TurnHandler, Log } from './types.js';
export { buildEngine, checkRegistryFor, CODE_KEYS, loadChecked, type BuiltEngine } from './build-engine.js';
export { MAIN_FLOW, parseDeepLink, type Engine, type StepResult, type TurnNote } from './engine.js';
export { parseSession, serializeSession, type Session } from './session.js';
export type { Registry, ActionDef, GuardDef } from './action-registry.js';

export { createConversationService, type ConversationService, type ConversationServiceOptions, type TurnReport } from './conversation-service.js';
