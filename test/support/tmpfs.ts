// Tiny tmpfs mounts for tests of a really full disk: mounted only where the platform and the user allow it (Linux, root), and always released.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

/** Mounts a tmpfs of `size` (mount's syntax: 64k, 1m) at each path, in order; false as soon as one cannot be mounted. */
export function mountTmpfs(...mounts: { path: string; size: string }[]): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  for (const { path, size } of mounts) {
    try {
      mkdirSync(path, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'ignore' });
    } catch {
      return false;
    }
  }
  return true;
}

/** Releases the mounts and removes `base`, the folder that holds them. */
export function releaseTmpfs(base: string, paths: string[]): void {
  for (const path of paths) {
    try {
      // Lazy: a handle a failed assertion left open must not keep the mount (and the test's folder) behind.
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
    } catch {
      // Not mounted (mounting is not permitted here).
    }
  }
  rmSync(base, { recursive: true, force: true });
}
