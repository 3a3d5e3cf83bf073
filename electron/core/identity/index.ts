// Identity verification (ARCHITECTURE §7): the public surface main composes and tests use.
export { IdentityService, NATIVE_CLIENT_ID, DEFAULT_MAX_AGE_S, classifyTokenError } from './service.ts';
export type { IdentityServiceOptions, VerificationTransaction, NetworkFetch } from './service.ts';
export { PlatformClient } from './platform-client.ts';
export type { PlatformRequest } from './platform-client.ts';
export { loadDirectory, findAccredited, isAllowedTransport, PLATFORM_METADATA_PATH } from './directory.ts';
export type { AccreditedDirectory } from './directory.ts';
export { LoopbackReceiver, callbackPage, CALLBACK_PATH, DEFAULT_LOOPBACK_TIMEOUT_MS } from './loopback.ts';
export { identityFailure, identityMessage, isIdentityFailure } from './errors.ts';
export {
  methodById, levelMeets, strongerLevel, requiredLevelFor, methodDisqualification, methodQualifies,
  qualifyingMethods, methodChoices, stepUpReason, sessionFit,
} from './levels.ts';
