// IPC for consent and receipts: the screen's context, the decision, the status followed, the return address, receipts.
import { join } from 'node:path';
import { channels } from '../../contract/index.ts';
import { ConsentService, consentView } from '../../core/consent/index.ts';
import { nodeVaultFs, writeFileAtomic } from '../../core/vault/fsio.ts';
import type { PlatformFeatureContext } from './context.ts';
import type { ChooseSavePath } from './history.ts';

const DOWNLOAD_CHANNEL = 'package:download';

export interface ConsentFeatureOptions {
  /**
   * Where a receipt's PDF goes: the same port as the history's exports. Electron's main passes a save dialog (null when
   * the person cancels); without one (the test bridge), receipts are written under the profile's `exports/` folder.
   */
  chooseSavePath?: ChooseSavePath;
  /** Shortens the wait for a provider's delivery (tests). */
  followTimeoutMs?: number;
}

export interface ConsentFeature {
  service: ConsentService;
  /**
   * For compose's openExternal: true once for the exact return address consent:open-return is opening right now.
   * A provider's origin is never allowlisted in general; it passes only in that flow, after the registered-origin check.
   */
  takeArmedReturn(url: string): boolean;
}

export function registerConsent(ctx: PlatformFeatureContext, options: ConsentFeatureOptions = {}): ConsentFeature {
  const { dispatcher } = ctx;
  const service = new ConsentService({
    identity: ctx.identity,
    directory: ctx.catalogue,
    stores: ctx.stores,
    profileDir: ctx.profileDir,
    clock: ctx.clock,
    downloadChannel: Object.hasOwn(channels, DOWNLOAD_CHANNEL) ? DOWNLOAD_CHANNEL : null,
    ...(options.followTimeoutMs !== undefined ? { followTimeoutMs: options.followTimeoutMs } : {}),
  });
  const armed = new Set<string>();
  const chooseSavePath: ChooseSavePath = options.chooseSavePath ?? ((request) => Promise.resolve(join(ctx.profileDir, 'exports', request.defaultName)));

  dispatcher.handle('consent:context', ({ serviceId }) => service.context(serviceId));
  dispatcher.handle('consent:request', ({ requestUri }) => service.requestContext(requestUri));
  dispatcher.handle('consent:view', async ({ serviceId, language }) => consentView(await service.context(serviceId), language));
  dispatcher.handle('consent:request-view', async ({ requestUri, language }) => consentView(await service.requestContext(requestUri), language));
  dispatcher.handle('consent:submit', (decision) => service.submit(decision));
  dispatcher.handle('consent:follow', ({ txId }) => service.follow(txId));
  dispatcher.handle('consent:open-return', async ({ txId }) => {
    // Armed as the normalised href: openExternal compares exactly what it will open.
    const url = new URL(service.returnUrl(txId)).href;
    armed.add(url);
    try {
      await ctx.openExternal(url);
    } finally {
      armed.delete(url);
    }
    return {};
  });
  dispatcher.handle('receipts:list', () => service.receipts());
  dispatcher.handle('receipts:get', ({ id }) => service.receipt(id));
  dispatcher.handle('receipts:save-pdf', async ({ id }) => {
    const pdf = await service.receiptPdf(id);
    const path = await chooseSavePath({ defaultName: `${id}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (path === null) return { canceled: true, path: null, bytes: 0 };
    await nodeVaultFs.mkdir(join(path, '..'));
    await writeFileAtomic(nodeVaultFs, path, pdf);
    return { canceled: false, path, bytes: pdf.length };
  });

  return {
    service,
    takeArmedReturn(url) {
      return armed.delete(url);
    },
  };
}
