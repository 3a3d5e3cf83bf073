// Theme resolution: explicit choices win; 'system' follows forced colours / more contrast, then dark mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveTheme, type AppliedTheme } from '../../../renderer/src/app/theme.ts';

const appearance = fc.record({ dark: fc.boolean(), forcedColors: fc.boolean(), moreContrast: fc.boolean() });

describe('resolveTheme', () => {
  it('returns an explicit choice whatever the OS says', () => {
    fc.assert(
      fc.property(fc.constantFrom<AppliedTheme>('light', 'dark', 'high-contrast'), appearance, (theme, system) => {
        expect(resolveTheme(theme, system)).toBe(theme);
      }),
    );
  });

  it('follows the OS for system', () => {
    const none = { dark: false, forcedColors: false, moreContrast: false };
    expect(resolveTheme('system', none)).toBe('light');
    expect(resolveTheme('system', { ...none, dark: true })).toBe('dark');
    expect(resolveTheme('system', { ...none, forcedColors: true })).toBe('high-contrast');
    expect(resolveTheme('system', { ...none, dark: true, moreContrast: true })).toBe('high-contrast');
  });

  it('never leaves a user who asked the OS for contrast without high-contrast', () => {
    fc.assert(
      fc.property(appearance, (system) => {
        const wantsContrast = system.forcedColors || system.moreContrast;
        expect(resolveTheme('system', system) === 'high-contrast').toBe(wantsContrast);
      }),
    );
  });
});
