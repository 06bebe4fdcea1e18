import { benchTelegramWebhook } from './_tgprof.js';
await benchTelegramWebhook(3000, { env: { RATE_LIMIT: '1000000/1s' } });
