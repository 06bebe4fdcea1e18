/** `lantern studio`: a local browser workbench for NGO staff over flows/ and locales/ (see README.md). */
export { startStudio, type RunningStudio, type StudioOptions } from './studio-server.js';
export { StudioError } from './guard.js';
