// The first start of a packaged build: the person chooses the official service or the demo before anything else.
import { useState } from 'react';
import type { AppError } from '../../../../electron/contract/index.ts';
import { useAppInfo } from '../../app/app-info.tsx';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView, PageHeading, RadioGroup, type RadioOption } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

type Choice = 'official' | 'demo';
type State = { status: 'idle' } | { status: 'working' } | { status: 'failed'; error: AppError };

export default function FirstStart() {
  const { t } = useI18n();
  const appInfo = useAppInfo();
  const [choice, setChoice] = useState<Choice>('official');
  const [state, setState] = useState<State>({ status: 'idle' });
  const options: RadioOption<Choice>[] = [
    { value: 'official', label: t('firstStart.official'), description: t('firstStart.officialDetail') },
    { value: 'demo', label: t('firstStart.demo'), description: t('firstStart.demoDetail') },
  ];

  const start = async (): Promise<void> => {
    setState({ status: 'working' });
    try {
      await invoke('profile:choose', { profile: choice });
      // Another profile reloads the window from main; the same one only needs the shell to ask again.
      appInfo.reload();
    } catch (error) {
      setState({ status: 'failed', error: toAppError(error) });
    }
  };

  return (
    <main id="main-content" tabIndex={-1} className="main first-start" data-testid="first-start">
      <PageHeading>{t('firstStart.title')}</PageHeading>
      <p>{t('firstStart.intro')}</p>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <RadioGroup legend={t('firstStart.legend')} name="first-start-profile" value={choice} options={options} onChange={setChoice} disabled={state.status === 'working'} />
        <button type="submit" className="button" disabled={state.status === 'working'}>
          {t('firstStart.continue')}
        </button>
      </form>
      <p role="status">{state.status === 'working' ? t('firstStart.working') : ''}</p>
      {state.status === 'failed' && <ErrorView variant="inline" error={state.error} onRetry={() => void start()} />}
    </main>
  );
}
