// Downloads of this app run: a real <progress> bar with bytes, rate and time left, Cancel while running, the outcome after.
import { useEffect, useMemo, useState } from 'react';
import type { DownloadTask } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatBytes, formatDuration } from './format.ts';

const RUNNING = new Set<DownloadTask['state']>(['waiting', 'downloading', 'verifying']);

/** Keeps the task list current from package:tasks and package:task events; calls onDone when one finishes. */
export function useDownloadTasks(onDone: () => void): DownloadTask[] {
  // The tasks main reported since this screen opened; they override the list it answered at first.
  const [updates, setUpdates] = useState<DownloadTask[]>([]);
  useEffect(
    () =>
      subscribe('package:task', (task) => {
        setUpdates((current) => merge(current, task));
        if (task.state === 'done') onDone();
      }),
    [onDone],
  );
  const initial = useIpcQuery('package:tasks', {});
  const listed = initial.status === 'ready' ? initial.data : null;
  // Keeps the order in which downloads started (the list's, then later ones); a task updates in place.
  return useMemo(() => {
    const latest = new Map(updates.map((task) => [task.taskId, task]));
    const known = new Set((listed ?? []).map((task) => task.taskId));
    return [...(listed ?? []).map((task) => latest.get(task.taskId) ?? task), ...updates.filter((task) => !known.has(task.taskId))];
  }, [listed, updates]);
}

function merge(current: DownloadTask[], task: DownloadTask): DownloadTask[] {
  return current.some((t) => t.taskId === task.taskId) ? current.map((t) => (t.taskId === task.taskId ? task : t)) : [...current, task];
}

export function Downloads(props: { tasks: DownloadTask[]; onDismiss: (taskId: string) => void; onOpen: (packageId: string) => void }) {
  const { t } = useI18n();
  if (props.tasks.length === 0) return null;
  return (
    <section className="mydata-section" aria-labelledby="mydata-downloads-heading">
      <h2 id="mydata-downloads-heading">{t('mydata.downloads.heading')}</h2>
      <ul className="mydata-tasks">
        {props.tasks.map((task) => (
          <TaskRow key={task.taskId} task={task} onDismiss={props.onDismiss} onOpen={props.onOpen} />
        ))}
      </ul>
    </section>
  );
}

function TaskRow(props: { task: DownloadTask; onDismiss: (taskId: string) => void; onOpen: (packageId: string) => void }) {
  const { t, language, pick } = useI18n();
  const { task } = props;
  const [cancelError, setCancelError] = useState<ReturnType<typeof toAppError> | null>(null);
  const name = pick(task.service.name);
  const running = RUNNING.has(task.state);
  const known = task.total !== null && task.total > 0;
  const details: string[] = [];
  if (task.state === 'downloading' && known) details.push(t('mydata.downloads.downloading', { done: formatBytes(task.bytes, language), total: formatBytes(task.total ?? 0, language) }));
  if (task.state === 'downloading' && task.rate !== null) details.push(t('mydata.downloads.rate', { rate: formatBytes(task.rate, language) }));
  if (task.state === 'downloading' && task.etaSeconds !== null) details.push(t('mydata.downloads.eta', { time: formatDuration(task.etaSeconds, language) }));
  if (task.resumes > 0) details.push(t('mydata.downloads.resumed', { count: task.resumes }));
  let status = '';
  if (task.state === 'waiting') status = task.retryAfterSeconds !== null ? t('mydata.downloads.waitingRetry', { seconds: task.retryAfterSeconds }) : t('mydata.downloads.waiting');
  if (task.state === 'verifying') status = t('mydata.downloads.verifying');
  if (task.state === 'done') status = task.platformStatus === 403 ? t('mydata.downloads.donePartial') : t('mydata.downloads.done', { size: formatBytes(task.bytes, language) });
  if (task.state === 'failed') status = t('mydata.downloads.failed');
  if (task.state === 'cancelled') status = t('mydata.downloads.cancelled');
  const label = t('mydata.downloads.label', { service: name });
  return (
    <li className="mydata-task" data-testid="download-task" data-state={task.state}>
      <h3 className="mydata-task-name">{name}</h3>
      {/* A determinate bar once the size is known; an indeterminate one (no value) while the platform prepares. */}
      {known ? (
        <progress className="mydata-progress" aria-label={label} max={task.total ?? 0} value={task.state === 'done' ? (task.total ?? 0) : task.bytes} />
      ) : (
        running && <progress className="mydata-progress" aria-label={label} />
      )}
      {/* Only the state is a live region; bytes and rate change ten times a second and would flood a screen reader. */}
      <p role="status" className="mydata-task-status">
        {status}
      </p>
      {details.length > 0 && <p className="mydata-task-details">{details.join(' · ')}</p>}
      {task.error && <ErrorView variant="inline" error={task.error} />}
      {cancelError && <ErrorView variant="inline" error={cancelError} />}
      <div className="mydata-actions">
        {running && (
          <button
            type="button"
            className="button"
            onClick={() => {
              invoke('package:cancel', { taskId: task.taskId }).catch((error: unknown) => {
                setCancelError(toAppError(error));
              });
            }}
          >
            {t('mydata.downloads.cancel')}
          </button>
        )}
        {task.state === 'done' && task.packageId !== null && (
          <button type="button" className="button" onClick={() => props.onOpen(task.packageId ?? '')}>
            {t('mydata.downloads.open')}
          </button>
        )}
        {!running && (
          <button type="button" className="button button-quiet" onClick={() => props.onDismiss(task.taskId)}>
            {t('mydata.downloads.dismiss')}
          </button>
        )}
      </div>
    </li>
  );
}
