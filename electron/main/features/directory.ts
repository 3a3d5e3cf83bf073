// IPC for the platform directory: the catalogue, the registry and announcements with their lead times.
import { PlatformCatalogue } from '../../core/platform/catalogue.ts';
import { directoryView } from '../../core/platform/directory-view.ts';
import type { FeatureContext } from './context.ts';

export function registerDirectory(ctx: FeatureContext, catalogue: PlatformCatalogue): void {
  ctx.dispatcher.handle('platform:directory', async ({ refresh }) => {
    const directory = refresh ? await catalogue.refresh() : await catalogue.get();
    return directoryView(directory, ctx.clock.now());
  });
}
