/** Screening: indicator and job-ad concept schemas, deterministic scoring and the job-ad analyser. */

// Schemas of the NGO-edited files (the loader in src/content parses with these).
export { indicatorFileSchema } from './indicator-schema.js';
export type { AnswerId, Indicator, IndicatorFile, RedFlagCategory, RedFlagIndicator, Strength } from './indicator-schema.js';
export { adCommonFileSchema, adConceptFileSchema } from './ad-concept-schema.js';
export type { AdCommonFile, AdConceptFile } from './ad-concept-schema.js';

// Screening questionnaire.
export { questionsFor, scoreScreening } from './score.js';
export type { ScreeningAnswers, ScreeningFlag, ScreeningResult } from './score.js';
export type { RiskLevel } from './risk-level.js';

// Job-ad analyser.
export { analyseAd, looksLikeJobAd, resolveAdLanguage } from './ad-analyser.js';
export type { AdAnalysis, AdFlag } from './ad-analyser.js';
export { compileAdConcepts } from './compile-ad-concepts.js';
export type { CompiledAdConcepts } from './compile-ad-concepts.js';
export { adConceptProblems } from './check-ad-concepts.js';
export { detectLanguage } from './detect-language.js';
