/** HTTP composition, config, logging, metrics. */
export { startServer, loadEngine, type RunningServer } from './server.js';
export { loadConfig, loadStudioConfig, describeConfig, ConfigError, type Config } from './config.js';
export { createConversationService, type ConversationService, type ConversationServiceOptions, type TurnReport } from './conversation-service.js';
