/** Public face of `src/content`: every NGO-edited file (flows/ and locales/) loaded and checked, the hotline directory and facts. */

// Loading flows/ and locales/, once, with file:line:column problems
export { loadContent, loadFlowFile, type Content, type ContentPaths, type Sources } from './load-content.js';
export { countryNames, loadUnderstanding, withUnderstandingIndex, type UnderstandingContent } from './load-understanding.js';
export { parseYamlSource, readYamlSource, validateYaml, type YamlSource } from './yaml-source.js';
export { FlowError, formatProblem, didYouMean, type Problem } from './flow-error.js';

// Cross-file checks: `lantern validate` and `lantern lint`
export {
  validateContent,
  lintContent,
  isVerdictKey,
  safeClaims,
  keysOf,
  targetsOf,
  MAX_CALLBACK_BYTES,
  MAX_LABEL_CHARS,
  type CheckRegistry,
} from './check-content.js';

// Schemas of flows/hotlines.yaml and flows/facts.yaml (the contracts NGO staff edit against)
export { hotlineFileSchema } from './hotline-schema.js';
export type { CountryHotlines, Helpline, HelplineNumber, HotlineFile } from './hotline-schema.js';
export { factFileSchema, type FactFile } from './fact-schema.js';

// Lookups by country and language
export { createHotlineDirectory } from './hotline-directory.js';
export type { HotlineDirectory } from './hotline-directory.js';

// Number validation and tel: links
export { checkHotlineNumbers, dialString } from './phone-check.js';
export type { PhoneProblem } from './phone-check.js';
