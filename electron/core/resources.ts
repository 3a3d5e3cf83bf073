// Where the app's shipped resources (fonts, trust anchors, dataset registry) are, from source, from the bundle and from app.asar alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The `resources/` folder beside the package.json this code was shipped with. Found by walking up from this
 * module, because the module sits at different depths in the source tree (electron/core), the build (out/main)
 * and the packaged app (app.asar/out/main); fs reads inside app.asar work in Electron.
 */
export function resourcesDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) {
      cached = join(dir, 'resources');
      return cached;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('resources/ not found beside package.json');
}

export function resourcePath(...parts: string[]): string {
  return join(resourcesDir(), ...parts);
}
