/** Public face of `src/content`: the hotline directory, its schema and its number checks. */

// Schema of flows/hotlines.yaml (the contract NGO staff edit against)
export { hotlineFileSchema } from './hotline-schema.js';
export type { CountryHotlines, Helpline, HelplineNumber, HotlineFile } from './hotline-schema.js';

// Lookups by country and language
export { createHotlineDirectory } from './hotline-directory.js';
export type { HotlineDirectory } from './hotline-directory.js';

// Number validation and tel: links
export { checkHotlineNumbers, dialString } from './phone-check.js';
export type { PhoneProblem } from './phone-check.js';
