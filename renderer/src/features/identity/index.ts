// Identity feature, public API: the embeddable verification step (a consent screen's step-up), the header badge,
// and the window's identity session. The route table loads VerifyPage.tsx; the shell's entry is badge.ts (keeps the step out of the first chunk).
export { VerificationStep, type VerificationStepProps } from './VerificationStep.tsx';
export { IdentityBadge } from './IdentityBadge.tsx';
export { methodKey, SessionFacts } from './SessionFacts.tsx';
export { useIdentitySession, refreshSession, signOut, type SessionState } from './session.ts';
export { needFromQuery, type VerificationNeed } from './model.ts';
