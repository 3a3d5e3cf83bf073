// Identity verification (ARCHITECTURE §7): the public surface main composes and tests use.
export { IdentityService } from './service.ts';
export type { IdentityServiceOptions, NetworkFetch } from './options.ts';
export { PlatformClient } from './platform-client.ts';
