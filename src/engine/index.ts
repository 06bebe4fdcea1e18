/** The channel-free conversation core. */
export type { ChannelName, Inbound, InboundEvent, Outbound, Choice, Reply, TurnHandler, Log, NumberLine, LineNumber, LineChannel } from './types.js';
export { layoutNumbers, numbersAsText, numbersOf, LTR_ISOLATE, type NumberFormat } from './number-layout.js';
export { buildEngine, checkRegistryFor, CODE_KEYS, loadChecked, loadPublishable, type BuiltEngine } from './build-engine.js';
export { MAIN_FLOW, PREVIOUS_VERSIONS, type Engine, type StepResult, type TextReading, type TurnNote } from './engine.js';
export { parseDeepLink } from './deep-link.js';
export { parseSession, serializeSession, type Session } from './session.js';
export type { Registry, ActionDef, GuardDef } from './action-registry.js';
