/** Screening: indicator and pattern schemas, deterministic scoring and the job-ad analyser. */

// Schemas of the NGO-edited files (the loader in src/content parses with these).
export { indicatorFileSchema } from './indicator-schema.js';
export type { AnswerId, Indicator, IndicatorFile, RedFlagCategory, RedFlagIndicator, Strength } from './indicator-schema.js';
export { patternFileSchema } from './pattern-schema.js';
export type { PatternFile } from './pattern-schema.js';

// Screening questionnaire.
export { questionsFor, scoreScreening } from './score.js';
export type { ScreeningAnswers, ScreeningFlag, ScreeningResult } from './score.js';
export type { RiskLevel } from './risk-level.js';

// Job-ad analyser.
export { analyseAd } from './ad-analyser.js';
export type { AdAnalysis, AdFlag } from './ad-analyser.js';
export { detectLanguage } from './detect-language.js';
