// Settings: the profile, language, theme, date display, update checks and the downloads folder; each change is
// persisted through IPC and applied at once (a profile switch reloads the window on that profile).
import { startTransition, useOptimistic, useState } from 'react';
import type { AppError, CalendarPreference, Language, SettingsPatch, Theme } from '../../../../electron/contract/index.ts';
import { toAppError } from '../../app/ipc.ts';
import { useSettings } from '../../app/settings.tsx';
import { ErrorView, PageHeading, RadioGroup, type RadioOption } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { DownloadsSection } from './DownloadsSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { VaultProtectionSection } from './VaultProtectionSection.tsx';

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'failed'; error: AppError; patch: SettingsPatch };

const THEMES: readonly Theme[] = ['system', 'light', 'dark', 'high-contrast'];

export function SettingsPage() {
  const { t, formatDate } = useI18n();
  const { settings, update } = useSettings();
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  // The choice shows as made while main saves it; if saving fails, it falls back to what main holds.
  const [shown, showChoice] = useOptimistic(settings, (current, patch: SettingsPatch) => ({ ...current, ...patch }));

  const apply = (patch: SettingsPatch): void => {
    startTransition(async () => {
      showChoice(patch);
      setSave({ status: 'saving' });
      try {
        await update(patch);
        setSave({ status: 'saved' });
      } catch (error) {
        setSave({ status: 'failed', error: toAppError(error), patch });
      }
    });
  };

  // Each language is named in itself, so it is marked with its own lang.
  const languages: RadioOption<Language>[] = [
    { value: 'zh-TW', label: '繁體中文', lang: 'zh-TW' },
    { value: 'en', label: 'English', lang: 'en' },
  ];
  const themes: RadioOption<Theme>[] = THEMES.map((value) => ({ value, label: t(`settings.theme.${value}`) }));
  const calendars: RadioOption<CalendarPreference>[] = [
    { value: 'gregorian', label: t('settings.calendar.gregorian') },
    { value: 'roc', label: t('settings.calendar.roc') },
  ];

  return (
    <>
      <PageHeading>{t('settings.title')}</PageHeading>
      <ProfileSection />
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <RadioGroup
          legend={t('settings.language.legend')}
          name="language"
          value={shown.language}
          options={languages}
          onChange={(language) => {
            apply({ language });
          }}
        />
        <RadioGroup
          legend={t('settings.theme.legend')}
          name="theme"
          value={shown.theme}
          options={themes}
          onChange={(theme) => {
            apply({ theme });
          }}
        />
        <RadioGroup
          legend={t('settings.calendar.legend')}
          name="calendar"
          value={shown.calendar}
          options={calendars}
          hint={t('settings.calendar.example', { date: formatDate(new Date()) })}
          onChange={(calendar) => {
            apply({ calendar });
          }}
        />
        <fieldset className="radio-group">
          <legend>{t('settings.updates.legend')}</legend>
          <div className="radio-option">
            <input
              type="checkbox"
              id="settings-update-checks"
              checked={shown.updateChecks}
              aria-describedby="settings-update-checks-hint"
              onChange={(event) => {
                apply({ updateChecks: event.target.checked });
              }}
            />
            <label htmlFor="settings-update-checks">{t('settings.updates.label')}</label>
          </div>
          <p id="settings-update-checks-hint" className="radio-hint">
            {t('settings.updates.hint')}
          </p>
        </fieldset>
      </form>
      <p role="status" className="save-status">
        {save.status === 'saving' && t('settings.saving')}
        {save.status === 'saved' && t('settings.saved')}
      </p>
      {save.status === 'failed' && (
        <ErrorView
          variant="inline"
          error={save.error}
          onRetry={() => {
            apply(save.patch);
          }}
        />
      )}
      <DownloadsSection />
      <VaultProtectionSection />
    </>
  );
}
