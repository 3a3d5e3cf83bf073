// IPC for identity verification: providers and method choices, begin / cancel / reopen, the session, sign-out.
import type { IdentityService } from '../../core/identity/index.ts';
import type { FeatureContext } from './context.ts';

export function registerIdentity(ctx: FeatureContext, identity: IdentityService): void {
  const { dispatcher } = ctx;
  dispatcher.handle('identity:providers', ({ subjectType, requiredLevel }) => identity.providers(subjectType, requiredLevel));
  dispatcher.handle('identity:begin', async (request) => {
    const tx = await identity.begin(request);
    // The outcome reaches the renderer as the identity:result event; the promise must not go unobserved.
    tx.session.catch(() => undefined);
    return { transactionId: tx.id, issuer: tx.issuer, deadline: tx.deadline.toISOString(), reason: tx.reason };
  });
  dispatcher.handle('identity:cancel', ({ transactionId }) => {
    identity.transaction(transactionId).cancel();
    return {};
  });
  dispatcher.handle('identity:reopen-browser', async ({ transactionId }) => {
    await identity.transaction(transactionId).reopenBrowser();
    return {};
  });
  dispatcher.handle('identity:session', () => identity.session());
  dispatcher.handle('identity:fit', ({ datasets }) => identity.fit(datasets));
  dispatcher.handle('identity:sign-out', () => {
    identity.signOut();
    return {};
  });
}
