/** Understanding: typed text -> concepts, emergency, intent, answer, places. Pure, synchronous, linear-time. */

// Reading messages.
export { buildUnderstandingIndex, createUnderstanding } from './create-understanding.js';
export type { CountryNames, Reading, Understanding, UnderstandingIndex } from './create-understanding.js';
export { EXAMPLES_ID, trainExampleModel } from './emergency-examples.js';
export type { ExampleModel } from './emergency-examples.js';

// Schemas of the NGO-edited files (the loader in src/flows parses with these).
export {
  answerIds,
  conceptIds,
  entryProblem,
  entrySchema,
  exampleFileSchema,
  intentIds,
  rulesFileSchema,
  stemmerLanguages,
  wordListFileSchema,
} from './schema.js';
export type { AnswerId, ConceptId, EmergencyRule, ExampleFile, IntentId, RulesFile, StemmerLanguage, WordListFile } from './schema.js';

// Normalisation, for callers that show or compare words the same way.
export { tokenize } from './normalise.js';
export type { Script, Token } from './normalise.js';

// Stemmers, for other modules that match words the same way (the job-ad analyser).
export { stemmerFor } from './stemmers.js';
export type { Stem } from './stemmers.js';
