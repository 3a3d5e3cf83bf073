// Electronegativity findings that were read and judged for this code, each with its reason and the tests behind it.
import type { ReviewedFinding } from './electronegativity-report.ts';

// The window options as the scan's probe reports them (see windowOptionsProbe in electronegativity-scan.ts).
const WINDOW_OPTIONS = /^electron\/main\/window\.ts \(mainWindowOptions, as a literal\)$/;

// The main entry in the sources and in the bundle.
const MAIN_ENTRY = /^(electron\/main\/index\.ts|out\/main\/index\.js)$/;

export const REVIEWED_FINDINGS: readonly ReviewedFinding[] = [
  {
    check: 'CSP_GLOBAL_CHECK',
    file: /^N\/A$/,
    reason:
      'False positive. The CSP is a response header set by the app:// protocol handler (electron/main/app-protocol.ts, ' +
      'SECURITY_HEADERS in electron/main/security.ts); the tool only recognises <meta> tags and webRequest.onHeadersReceived. ' +
      'The policy itself is evaluated by APP_CSP_HEADER_CHECK in this same scan, with the evaluator the tool uses.',
    evidence: ['test/unit/main/app-protocol.test.ts', 'test/tools/electronegativity-scan.ts (evaluateCsp)'],
  },
  {
    check: 'PROTOCOL_HANDLER_JS_CHECK',
    file: MAIN_ENTRY,
    sampleIncludes: 'setAsDefaultProtocolClient(DEEP_LINK_PROTOCOL',
    reason:
      'Review note, not a defect: registering mydata-desktop:// is required for service-provider requests (ARCHITECTURE §5, G5). ' +
      'Every incoming link goes through parseDeepLink, which accepts only the request shape from already-known platforms.',
    evidence: ['test/unit/core/deeplink.test.ts'],
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: MAIN_ENTRY,
    sampleIncludes: 'shell: { open: (url) => shell.openExternal(url) }',
    reason:
      'Review note, not a defect: this is the shell port given to composeApp; its only caller is the openExternal that ' +
      'electron/main/compose.ts builds, which parses the URL (parseExternalUrl: https, or http on loopback only, no ' +
      'credentials, no backslash or whitespace), checks its exact origin (the platform; accredited IdP authorization ' +
      'URLs; an armed provider return address) and opens the normalised href, never the raw string.',
    evidence: ['test/unit/main/security.test.ts'],
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: WINDOW_OPTIONS,
    sampleIncludes: '"preload":',
    reason:
      'Review note, not a defect: the one preload (electron/preload/index.ts) runs sandboxed with context isolation and ' +
      'exposes exactly window.mydata = { invoke, on } through contextBridge: never ipcRenderer, never the event object.',
    evidence: ['test/unit/main/security.test.ts', 'test/unit/main/window.test.ts'],
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^(electron\/main\/features\/[^/]+\.ts|out\/main\/index\.js)$/,
    sampleIncludes: 'ctx.openExternal(',
    reason:
      'Review note, not a defect: FeatureContext.openExternal is always the allowlisted openExternal that ' +
      'electron/main/compose.ts builds (platform origin, accredited IdP authorization URLs, or the one provider ' +
      'return address consent:open-return has armed after its registered-origin check, G5; the official MyData ' +
      'website for the download journey); anything else is refused before shell.openExternal is reached. The ' +
      'armed-return path has no test of its own yet.',
    evidence: ['test/unit/main/security.test.ts', 'test/integration/identity/login.test.ts'],
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^out\/main\/index\.js$/,
    sampleIncludes: 'JourneyService_options',
    reason:
      'Review note, not a defect: the download journey (electron/core/mydata/journey.ts) opens only the website URL ' +
      'it is given, through the openExternal option that electron/main/features/journey.ts sets to ctx.openExternal, ' +
      'the allowlisted opener of electron/main/compose.ts (official profile: the official MyData website only).',
    evidence: ['test/unit/main/open-external.test.ts', 'test/integration/journey/journey.test.ts'],
  },
];
