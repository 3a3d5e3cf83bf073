// Identity verification (ARCHITECTURE §7): the public surface main composes and tests use.
export { IdentityService,    } from './service.ts';
export type { IdentityServiceOptions,  NetworkFetch } from './service.ts';
export { PlatformClient } from './platform-client.ts';
;
;
;
;
;
;
