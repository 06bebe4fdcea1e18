/** Flow definitions: the zod schemas of `flows/*.flow.yaml` and their types. Loading is in src/content; xstate machines are compiled from these in src/engine. */
export { flowFileSchema, sayStateSchema, stateKinds, editorFlowSchema, refParts, type FlowDef, type StateDef, type Target, type ActionRef, type GuardRef, type ChoiceDef } from './flow-schema.js';
