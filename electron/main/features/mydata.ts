// IPC for the one-time download, the My data screen, import and the vault passphrase (G1, G9, G12); logic in core/mydata.
import { MyDataService, type FileDialogs } from '../../core/mydata/service.ts';
import type { FeatureContext } from './context.ts';
import { officialTrust } from '../../core/package/trust.ts';
import { ProfileError } from '../../core/settings/profiles.ts';

export type { FileDialogs };

/**
 * Registers the package:* and vault:* channels. `dialogs` are main's folder and file pickers (Electron's dialog in
 * the app, a stub in the e2e harness); without them exports go to the profile's exports/ folder and import is off.
 */
export function registerMyData(ctx: FeatureContext, dialogs: FileDialogs | null): MyDataService {
  const service = new MyDataService({
    stores: ctx.stores,
    profileDir: ctx.profileDir,
    clock: ctx.clock,
    directory: async () => {
      if (!ctx.catalogue) throw ProfileError.noPlatform();
      const directory = await ctx.catalogue.get();
      return { services: directory.services, trustAnchors: directory.metadata.trust_anchors };
    },
    knownServices: () => ctx.catalogue?.current?.services ?? [],
    // The official profile verifies real packages against GRCA G3 and the shipped bindings only; other profiles use their catalogue's.
    ...(ctx.settings.get().profile === 'official' ? { trust: () => officialTrust() } : {}),
    identity: {
      // The official profile has no platform: nobody is signed in, and downloads from a platform are refused.
      session: () => ctx.identity?.session() ?? null,
      platformClient: () => {
        if (!ctx.identity) throw ProfileError.noPlatform();
        return ctx.identity.platformClient();
      },
    },
    dialogs,
    onTask: (task) => ctx.emit('package:task', task),
    // The demo profile's imports are labelled demo, never mixed with real sources.
    demo: () => ctx.settings.get().profile === 'demo',
  });
  const { dispatcher } = ctx;
  dispatcher.handle('package:download', (request) => service.startDownload(request));
  dispatcher.handle('package:cancel', ({ taskId }) => {
    service.cancel(taskId);
    return {};
  });
  dispatcher.handle('package:tasks', () => service.tasks());
  dispatcher.handle('package:pending', () => service.pendingDownloads());
  dispatcher.handle('package:dismiss', ({ taskId }) => {
    service.dismiss(taskId);
    return {};
  });
  dispatcher.handle('package:list', () => service.list());
  dispatcher.handle('package:get', ({ id }) => service.get(id));
  dispatcher.handle('package:read', ({ id, name }) => service.read(id, name));
  dispatcher.handle('package:read-pdf', ({ id, name }) => service.readPdf(id, name));
  dispatcher.handle('package:export', ({ id }) => service.export(id));
  dispatcher.handle('package:export-file', ({ id, name }) => service.exportFile(id, name));
  dispatcher.handle('package:delete', async ({ id }) => {
    await service.delete(id);
    return {};
  });
  dispatcher.handle('package:import-choose', () => service.importChoose());
  dispatcher.handle('package:import', ({ token, password, keepUnverified }) => service.import(token, password, keepUnverified === true));
  dispatcher.handle('package:import-offer', ({ fileName, bytes }) => service.importOffer(fileName, bytes));
  dispatcher.handle('vault:status', () => service.vaultStatus());
  dispatcher.handle('vault:passphrase', ({ passphrase }) => service.usePassphrase(passphrase));
  dispatcher.handle('vault:protection', () => service.vaultProtection.info());
  dispatcher.handle('vault:protection-change', (request) => service.vaultProtection.change(request));
  return service;
}
