// The high-water mark's writes land in the order they were asked for. A history append does not wait for its mark,
// so a reports rewrite asked for right after it must keep the appended state, not the one the mark held at the call
// (else the mark would step back and a rollback removing that record would go unseen).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MarkFile, type MarkState } from '../../../electron/core/integrity/mark.ts';

const KEY = new Uint8Array(32).fill(7);
const state = (count: number): MarkState => ({ fileId: Buffer.alloc(16, 1), count, head: Buffer.alloc(32, count) });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mydata-mark-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a reports rewrite asked for while a state write is queued keeps that state, on disk too', async () => {
  const path = join(dir, 'history.mark');
  const { mark } = await MarkFile.open(path, KEY, 'history');
  await mark.set(state(1));
  const queued = mark.set(state(2)); // not awaited, as an append's mark
  await mark.setReports([{ id: 'r1' }]);
  await queued;
  expect(mark.current?.count).toBe(2);
  await mark.close();
  const { mark: reopened, problem } = await MarkFile.open(path, KEY, 'history');
  expect(problem).toBeNull();
  expect(reopened.current?.count).toBe(2);
  await reopened.close();
});

it('settled() waits for every write queued so far', async () => {
  const { mark } = await MarkFile.open(join(dir, 'vault.mark'), KEY, 'vault');
  void mark.set(state(3));
  void mark.set(state(4));
  await mark.settled();
  expect(mark.current?.count).toBe(4);
  await mark.close();
});
