/**
 * Moved to src/shared (the distributed queue's messages use it in Electron main too); kept here for the engine's
 * imports.
 */
export { fromExactJson, toExactJson } from '../../../shared/exact-json';
