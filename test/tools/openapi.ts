// Writes resources/sandbox/openapi.json from the protocol's schemas: `npm run openapi` (`--check`: exit 1 when the committed file is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiText } from '../../electron/protocol/openapi.ts';

export const OPENAPI_FILE = fileURLToPath(new URL('../../resources/sandbox/openapi.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = openApiText();
  if (process.argv.includes('--check')) {
    if (readFileSync(OPENAPI_FILE, 'utf8') !== text) {
      console.error('resources/sandbox/openapi.json is stale: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
  } else {
    writeFileSync(OPENAPI_FILE, text);
    console.log(`wrote ${OPENAPI_FILE}`);
  }
}
