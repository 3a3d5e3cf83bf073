// Test helper: what parseDeepLink makes of a raw link, as 'OK' or the named code of its refusal (never anything else).
import { expect } from 'vitest';
import { AppFailure } from '../../../electron/contract/index.ts';
import { parseDeepLink } from '../../../electron/core/deeplink/parse.ts';

export function deepLinkCode(raw: string, known: readonly string[]): string {
  try {
    parseDeepLink(raw, known);
    return 'OK';
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return (error as AppFailure).code;
  }
}
