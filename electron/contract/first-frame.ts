// What the window's first screen shows before React runs: main renders it to HTML from the answers it would give the
// start-up queries, and puts those answers in the page, so that React in the window renders the same screen from them
// and takes over the HTML instead of drawing it again. Also the renderer's module that main calls to render it.
import type { AppInfo } from './index.ts';
import type { IdentitySession } from './identity.ts';
import type { Settings } from './settings.ts';

export interface FirstFrameAnswers {
  readonly settings: Settings;
  readonly appInfo: AppInfo;
  /** identity:session's answer; absent in a profile without a platform (no identity there). */
  readonly identity?: IdentitySession | null;
}

/** The OS's appearance (a theme preference of 'system' follows it): from media queries in the window, from nativeTheme in main. */
export interface SystemAppearance {
  readonly dark: boolean;
  readonly forcedColors: boolean;
  readonly moreContrast: boolean;
}

/**
 * The renderer's first-frame module as main loads it (renderer/src/first-frame.tsx, built as out/main/first-frame.js):
 * index.html with the first frame, its answers, language, theme and title filled in.
 */
export interface FirstFrameModule {
  renderFirstFramePage(template: string, answers: FirstFrameAnswers, system: SystemAppearance): Promise<string>;
}
