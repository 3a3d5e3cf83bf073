// A clock that ticks only when the minutes left before `expiresAt` change: a display updates once a minute, no more.
import { useEffect, useState } from 'react';
import { msUntilMinuteChange } from './model.ts';

export function useMinuteClock(expiresAt: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === null) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      timer = setTimeout(() => {
        setNow(Date.now());
        schedule();
      }, msUntilMinuteChange(expiresAt, Date.now()));
    };
    setNow(Date.now());
    schedule();
    return () => {
      clearTimeout(timer);
    };
  }, [expiresAt]);
  return now;
}
