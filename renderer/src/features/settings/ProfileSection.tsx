// The Settings screen's profile section: official / demo / another platform (its https address checked against
// the platform's metadata before it can be used); switching reloads the window on the new profile's data.
import { useId, useState } from 'react';
import type { AppError, CheckedPlatform, Profile } from '../../../../electron/contract/index.ts';
import { useAppInfo } from '../../app/app-info.tsx';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useSettings } from '../../app/settings.tsx';
import { ErrorView, RadioGroup, type RadioOption } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

type Check = { status: 'idle' } | { status: 'checking' } | { status: 'checked'; platform: CheckedPlatform } | { status: 'failed'; error: AppError };
type Switch = { status: 'idle' } | { status: 'switching' } | { status: 'failed'; error: AppError };

export function ProfileSection() {
  const { t, pick } = useI18n();
  const { settings } = useSettings();
  const appInfo = useAppInfo();
  const id = useId();
  const [selected, setSelected] = useState<Profile>(settings.profile);
  const [url, setUrl] = useState(settings.platformUrl ?? '');
  const [check, setCheck] = useState<Check>({ status: 'idle' });
  const [switching, setSwitching] = useState<Switch>({ status: 'idle' });

  const options: RadioOption<Profile>[] = (['official', 'demo', 'platform'] as const).map((value) => ({
    value,
    label: t(`settings.profile.${value}`),
    description: t(`settings.profile.${value}Detail`),
  }));
  const unchanged = selected === settings.profile && (selected !== 'platform' || url.trim() === (settings.platformUrl ?? ''));
  const busy = check.status === 'checking' || switching.status === 'switching';

  const checkAddress = async (): Promise<CheckedPlatform | null> => {
    if (url.trim() === '') {
      setCheck({ status: 'failed', error: { code: 'PLATFORM_URL_INVALID', message_zh: t('settings.profile.needsUrl'), message_en: t('settings.profile.needsUrl'), retryable: false } });
      return null;
    }
    setCheck({ status: 'checking' });
    try {
      const platform = await invoke('profile:check-platform', { url });
      setCheck({ status: 'checked', platform });
      return platform;
    } catch (error) {
      setCheck({ status: 'failed', error: toAppError(error) });
      return null;
    }
  };

  const switchProfile = async (): Promise<void> => {
    if (selected === 'platform' && (await checkAddress()) === null) return;
    setSwitching({ status: 'switching' });
    try {
      await invoke('profile:choose', selected === 'platform' ? { profile: 'platform', platformUrl: url } : { profile: selected });
      // Main reloads the window on the new profile; until then the shell asks what is in use now.
      appInfo.reload();
      setSwitching({ status: 'idle' });
    } catch (error) {
      setSwitching({ status: 'failed', error: toAppError(error) });
    }
  };

  const current = appInfo.status === 'ready' ? appInfo.info : null;
  const urlId = `${id}-url`;
  const hintId = `${id}-url-hint`;
  return (
    <section className="settings-section" aria-labelledby={`${id}-heading`} data-testid="settings-profile">
      <h2 id={`${id}-heading`}>{t('settings.profile.legend')}</h2>
      {current && (
        <p data-testid="current-profile" data-profile={current.profile}>
          {t('settings.profile.current', { name: pick(current.platformName) })}
          {current.profile === 'platform' && current.platformUrl !== null ? ` (${current.platformUrl})` : ''}
        </p>
      )}
      <p>{t('settings.profile.apart')}</p>
      <RadioGroup
        legend={t('settings.profile.legend')}
        name="profile"
        value={selected}
        options={options}
        disabled={busy}
        onChange={(value) => {
          setSelected(value);
          setSwitching({ status: 'idle' });
        }}
      />
      {selected === 'platform' && (
        <div className="platform-url">
          <label htmlFor={urlId}>{t('settings.profile.url')}</label>
          <input
            id={urlId}
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            value={url}
            aria-describedby={hintId}
            aria-invalid={check.status === 'failed'}
            onChange={(event) => {
              setUrl(event.target.value);
              setCheck({ status: 'idle' });
            }}
          />
          <p id={hintId} className="radio-hint">
            {t('settings.profile.urlHint')}
          </p>
          <button type="button" className="button button-quiet" disabled={busy} onClick={() => void checkAddress()}>
            {t('settings.profile.check')}
          </button>
        </div>
      )}
      <p role="status" data-testid="profile-status">
        {check.status === 'checking' && t('settings.profile.checking')}
        {check.status === 'checked' && t('settings.profile.checked', { name: pick(check.platform.name), origin: check.platform.origin })}
        {switching.status === 'switching' && t('settings.profile.switching')}
      </p>
      {check.status === 'failed' && <ErrorView variant="inline" error={check.error} />}
      {!unchanged && (
        <button type="button" className="button" disabled={busy} onClick={() => void switchProfile()}>
          {t('settings.profile.switch')}
        </button>
      )}
      {switching.status === 'failed' && <ErrorView variant="inline" error={switching.error} onRetry={() => void switchProfile()} />}
    </section>
  );
}
