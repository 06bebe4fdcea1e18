/**
 * What the channels share: the error they raise, the body reader, and the error policy of a turn.
 * Each channel lives in its own folder (telegram/, botframework/, webchat/) and imports only this.
 */
export { ChannelError, errorName, type RefusalStatus } from './channel-error.js';
export { readBody, readJsonBody } from './read-body.js';
export { answerTurn, type FailureReply, type TurnOptions } from './answer-turn.js';
