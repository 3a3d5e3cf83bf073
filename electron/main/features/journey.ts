// IPC for the "get my data from MyData" journey; logic in core/mydata/journey.ts.
import { JourneyService, OFFICIAL_WEBSITE } from '../../core/mydata/journey.ts';
import type { MyDataService } from '../../core/mydata/service.ts';
import type { FeatureContext } from './context.ts';

export interface JourneyDeps {
  /** The OS's downloads folder (main: app.getPath('downloads')); the Settings value `downloadsFolder` wins when set. */
  downloadsDir: string;
  /** The platform's origin (null in the official profile): in the demo profile its /website/ page stands in for the official website. */
  platformOrigin: string | null;
  /** For tests: shorter waits. */
  timing?: { timeoutMs?: number; pollMs?: number; stableMs?: number };
}

export function registerJourney(ctx: FeatureContext, mydata: MyDataService, deps: JourneyDeps): JourneyService {
  const demo = () => ctx.settings.get().profile === 'demo';
  const journey = new JourneyService({
    mydata,
    openExternal: (url) => ctx.openExternal(url),
    websiteUrl: () => (demo() && deps.platformOrigin !== null ? `${deps.platformOrigin}/website/` : OFFICIAL_WEBSITE),
    // The folder chosen in Settings, else the OS's downloads folder.
    downloadsFolder: () => ctx.settings.get().downloadsFolder ?? deps.downloadsDir,
    onState: (state) => ctx.emit('journey:state', state),
    ...deps.timing,
  });
  const { dispatcher } = ctx;
  dispatcher.handle('journey:start', () => journey.start());
  dispatcher.handle('journey:cancel', () => journey.cancel());
  dispatcher.handle('journey:status', () => journey.status());
  dispatcher.handle('journey:delete-download', ({ token }) => journey.deleteDownload(token));
  return journey;
}
