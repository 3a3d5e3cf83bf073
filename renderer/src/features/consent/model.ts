// Pure rules of the consent screen's own state (core decided the rest in the view): declined optional fields, whether
// the terms region has been shown to its end (G11), what the buttons wait for, and the one-sentence confirmation.
import type { ConsentView, DeclinedField } from '../../../../electron/contract/index.ts';

/** Only optional fields can be declined (G10); a key for a required or unknown field is ignored. */
export function declinedFields(view: Pick<ConsentView, 'providers'>, declined: ReadonlySet<string>): DeclinedField[] {
  return view.providers.flatMap((p) => p.datasets.flatMap((d) => d.fields.filter((f) => f.declinable && declined.has(f.key)).map((f) => ({ dataset: d.id, field: f.name }))));
}

export function consentedFieldCount(view: Pick<ConsentView, 'providers'>, declined: ReadonlySet<string>): number {
  return view.providers.reduce((n, p) => n + p.datasets.reduce((m, d) => m + d.fields.filter((f) => !f.declinable || !declined.has(f.key)).length, 0), 0);
}

/** A region has been shown in full when its end is in view: scrolled there, or it never needed scrolling. */
export function reachedEnd(box: { scrollTop: number; clientHeight: number; scrollHeight: number }): boolean {
  return box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
}

export type Wait = 'terms' | 'identity' | 'agree' | null;

/** What the Consent button still waits for, in the order a person meets them on the screen. */
export function consentWait(state: { termsShown: boolean; fitOk: boolean; agreed: boolean }): Wait {
  if (!state.termsShown) return 'terms';
  if (!state.fitOk) return 'identity';
  if (!state.agreed) return 'agree';
  return null;
}

/** The values the one-sentence confirmation fills in: which datasets, from which providers, to whom, how many fields. */
export function confirmationParams(view: Pick<ConsentView, 'providers' | 'confirm'>, declined: ReadonlySet<string>, you: string): Record<string, string | number> {
  return {
    datasets: view.confirm.datasets,
    providers: view.confirm.providers,
    recipient: view.confirm.recipient ?? you,
    count: consentedFieldCount(view, declined),
  };
}

/** `YYYY-MM-DD HH:mm` in Taipei time (the platform's zone), for gate dates and expiry. */
export { taipeiMinute as taipeiTime } from '../../../../electron/common/time.ts';
/** SHA-256 (hex) of the terms exactly as displayed, so main can check what was shown is what is current (G11). */
export { sha256Hex } from '../../../../electron/common/hash.ts';

