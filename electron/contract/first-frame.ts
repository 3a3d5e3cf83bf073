// What the window's first screen shows before React runs: main renders it to HTML from the answers it would give the
// start-up queries, and puts those answers in the page, so that React in the window renders the same screen from them
// and takes over the HTML instead of drawing it again.
import type { AppInfo } from './index.ts';
import type { IdentitySession } from './identity.ts';
import type { Settings } from './settings.ts';

export interface FirstFrameAnswers {
  readonly settings: Settings;
  readonly appInfo: AppInfo;
  /** identity:session's answer; absent in a profile without a platform (no identity there). */
  readonly identity?: IdentitySession | null;
}
