// IPC for the platform directory: the catalogue, the registry and announcements with their lead times, as data and as the directory screens' view.
import { PlatformCatalogue } from '../../core/platform/catalogue.ts';
import { directoryView } from '../../core/platform/directory-view.ts';
import { directoryScreenView } from '../../core/platform/directory-screen.ts';
import type { FeatureContext } from './context.ts';

export function registerDirectory(ctx: FeatureContext, catalogue: PlatformCatalogue): void {
  const current = async (refresh: boolean) => directoryView(refresh ? await catalogue.refresh() : await catalogue.get(), ctx.clock.now());
  ctx.dispatcher.handle('platform:directory', ({ refresh }) => current(refresh));
  ctx.dispatcher.handle('platform:directory-view', async ({ refresh, language }) => directoryScreenView(await current(refresh), language, ctx.clock.now()));
}
