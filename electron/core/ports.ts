// The ports through which core reaches the outside world; main injects Electron adapters, tests inject fakes.

/** A small persistent key/value store (electron-store in the app, conf or a Map in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Every key currently stored, so migrations can see legacy keys. */
  readonly store: Record<string, unknown>;
}

/** Protects small secrets (the vault's master key) with an OS facility: Electron's safeStorage in the app. */
export interface KeyProtector {
  /** Whether the OS offers real protection (not, for example, Linux's basic_text fallback). */
  isStrong(): Promise<boolean>;
  protect(plain: Uint8Array): Promise<Uint8Array>;
  unprotect(sealed: Uint8Array): Promise<Uint8Array>;
}

/** Opens a URL in the system browser, after the caller's allowlist check. */
export interface ExternalOpener {
  open(url: string): Promise<void>;
}

/** Time, injectable so expiry, retention and lead times can be tested. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
