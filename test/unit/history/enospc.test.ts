// A full disk during a history append (G14, §9): HISTORY_DISK_FULL, every record before intact, no partial record left,
// and the log appends again once there is space. Injected ENOSPC always; a real full tmpfs where mounting is permitted.
import { statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { HistoryErrorCode } from '../../../electron/core/history/errors.ts';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { KEY, entry, tempDir } from './fixtures.ts';
import { mountTmpfs, releaseTmpfs } from '../../support/tmpfs.ts';

// node:fs/promises with `open` replaceable, so a test can hand the log a file handle whose writes fail.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open) };
});
const realOpen = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;

const MARK_KEY = new Uint8Array(32).fill(6);

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

async function failure(p: Promise<unknown>): Promise<AppFailure> {
  const error = await p.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return error as AppFailure;
}

afterEach(() => {
  vi.mocked(fsp.open).mockImplementation(realOpen);
});

describe('history append on a full disk (injected ENOSPC)', () => {
  it('is HISTORY_DISK_FULL, cuts what the failed write left, keeps every earlier record, and appends again later', async () => {
    const root = tempDir();
    const dir = join(root, 'history');
    // The log's append handle fails as a full disk does: 'throw' writes half a frame and throws ENOSPC; 'short' first
    // returns a short count for half of it (as write(2) does when the disk fills mid-write), then throws on the rest.
    let failWrites: false | 'throw' | 'short' = false;
    vi.mocked(fsp.open).mockImplementation(async (...args: Parameters<typeof realOpen>) => {
      const handle = await realOpen(...args);
      if (String(args[0]).endsWith(LOG_FILE)) {
        const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>;
        (handle as unknown as { write: unknown }).write = async (...a: unknown[]) => {
          if (!failWrites) return write(...a);
          const [buffer, offset, length, position] = a as [Buffer, number, number, number];
          if (failWrites === 'short' && offset === 0) return write(buffer, 0, Math.floor(length / 2), position);
          await write(buffer, offset, Math.floor(length / 2), position);
          throw enospc();
        };
      }
      return handle;
    });
    const log = await HistoryLog.open({ dir, key: KEY, mark: { path: join(root, 'history.mark'), key: MARK_KEY } });
    for (let i = 0; i < 3; i++) await log.append(entry(i));
    const head = log.head();
    const size = statSync(join(dir, LOG_FILE)).size;

    for (const mode of ['throw', 'short'] as const) {
      failWrites = mode;
      const error = await failure(log.append(entry(3)));
      expect(error.code, mode).toBe(HistoryErrorCode.DISK_FULL);
      expect(error.retryable).toBe(true);
      expect(statSync(join(dir, LOG_FILE)).size, mode).toBe(size);
      expect(log.count).toBe(3);
      expect(log.head()).toBe(head);
    }

    failWrites = false;
    await log.append(entry(4));
    await log.close();
    vi.mocked(fsp.open).mockImplementation(realOpen);
    const again = await HistoryLog.open({ dir, key: KEY, mark: { path: join(root, 'history.mark'), key: MARK_KEY } });
    expect(again.integrity()).toMatchObject({ broken: null, torn_tail_dropped: null, reports: [], count: 4 });
    expect(again.records().map((r) => r.tx_id)).toEqual([0, 1, 2, 4].map((i) => entry(i).tx_id));
    await again.close();
  });
});

const base = join(tmpdir(), `history-tmpfs-${String(process.pid)}`);
const canMount = mountTmpfs({ path: base, size: '64k' });
afterAll(() => {
  releaseTmpfs(base, [base]);
});

describe.skipIf(!canMount)('history append on a real full disk (64 KiB tmpfs; needs root and mount)', () => {
  it('fills the disk: the append that does not fit is HISTORY_DISK_FULL and the log reopens with every acknowledged record', async () => {
    const dir = join(base, 'history');
    const mark = { path: join(base, 'history.mark'), key: MARK_KEY };
    const log = await HistoryLog.open({ dir, key: KEY, mark });
    let acknowledged = 0;
    let error: unknown = null;
    for (let i = 0; i < 1000 && error === null; i++) {
      try {
        await log.append(entry(i));
        acknowledged++;
      } catch (caught) {
        error = caught;
      }
    }
    expect(acknowledged).toBeGreaterThan(10);
    expect((error as AppFailure).code).toBe(HistoryErrorCode.DISK_FULL);
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY, mark });
    expect(again.integrity()).toMatchObject({ broken: null, torn_tail_dropped: null, reports: [], count: acknowledged });
    await again.close();
    const names = await fsp.readdir(base);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
