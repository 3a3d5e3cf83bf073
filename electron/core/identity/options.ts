// What IdentityService is given (its options and network port) and what a verification in progress offers.
import type { AppFailure } from '../../contract/errors.ts';
import type { Bilingual, IdentitySession } from '../../contract/identity.ts';
import type { Clock } from '../ports.ts';

export type NetworkFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface IdentityServiceOptions {
  /** The platform whose metadata names the accredited IdPs (the sandbox's URL in the sandbox profile). */
  platformUrl: string;
  /** Opens the authorization URL in the system browser; main passes shell.openExternal after its origin check. */
  openBrowser: (url: string) => Promise<void>;
  /** The network port; main passes nothing (global fetch). Tests wrap it to play a network attacker. */
  fetch?: NetworkFetch;
  clock?: Clock;
  loopbackTimeoutMs?: number;
  /** 0 (default) = ephemeral. Fixed only in tests. */
  loopbackPort?: number;
  maxAgeSeconds?: number;
  clientId?: string;
  /** Told when a session starts, is replaced, or ends (sign-out); main forwards it as `identity:changed`. */
  onSessionChange?: (session: IdentitySession | null) => void;
  /** Told about each verification's outcome; main forwards it as `identity:result`. */
  onResult?: (transactionId: string, outcome: { ok: true; session: IdentitySession } | { ok: false; failure: AppFailure }) => void;
}

export interface VerificationTransaction {
  readonly id: string;
  readonly issuer: string;
  readonly deadline: Date;
  readonly reason: Bilingual | null;
  /** Resolves with the verified session, or rejects with an AppFailure carrying an IDENTITY_* code. */
  readonly session: Promise<IdentitySession>;
  cancel(): void;
  /** Opens the same authorization URL again (the person closed the tab); the PAR request_uri stays valid for its lifetime. */
  reopenBrowser(): Promise<void>;
}
