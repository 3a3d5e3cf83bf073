// Where the sandbox's shipped resources (its world, openapi.json, the PDF font) are: `resources/` two folders up, both
// from the source (electron/sandbox) and from the build (out/main, where the bundler writes the sandbox's chunk, also
// inside app.asar). The sandbox keeps its own locator rather than core's; the smoke test checks the built path.
import { join } from 'node:path';

const RESOURCES_DIR = join(import.meta.dirname, '../../resources');

export function resourcePath(...parts: string[]): string {
  return join(RESOURCES_DIR, ...parts);
}
