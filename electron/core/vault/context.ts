// What the parts of an open vault share (store, read, export, delete): its folder and fs layer, the master key, the index, and the checks every operation makes first.
import { join } from 'node:path';
import type { Clock } from '../ports.ts';
import { VaultError } from './errors.ts';
import type { VaultFs } from './fsio.ts';
import type { VaultIndex } from './index-file.ts';

/** The blobs' folder inside the vault folder. */
export const BLOB_DIR_NAME = 'blobs';

export interface OpenedVault {
  readonly fs: VaultFs;
  readonly blobDir: string;
  readonly master: Buffer;
  readonly clock: Clock;
  /** Plaintext bytes per chunk for new blobs. */
  readonly chunkSize: number;
  readonly index: VaultIndex;
  /** Throws VAULT_CLOSED once the vault was closed. */
  live(): void;
}

export function blobPath(vault: OpenedVault, blobId: string): string {
  return join(vault.blobDir, `${blobId}.blob`);
}

export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw VaultError.cancelled();
}
