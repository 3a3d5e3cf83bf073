// Consent (ARCHITECTURE §5, §8): the public surface main composes and tests use.
export { ConsentService } from './service.ts';
export * from './rules.ts';
export { consentView } from './view.ts';
