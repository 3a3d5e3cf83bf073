// Identity feature, public API: the embeddable verification step (a consent screen's step-up), the header badge,
// and the window's identity session. The route table loads VerifyPage.tsx; the shell's entry is badge.ts (keeps the step out of the first chunk).
export { VerificationStep } from './VerificationStep.tsx';
export { methodKey } from './SessionFacts.tsx';
export { useIdentitySession } from './session.ts';
