// The update flow against a fake updater: checks on start unless turned off, progress, "restart to update" only when
// ready, trust failures named, and never an install without the person's action.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpdateStateSchema, type UpdateState } from '../../../electron/contract/index.ts';
import { createUpdateFlow, UpdateErrorCode, type UpdaterEvent, type UpdaterPort } from '../../../electron/core/update/flow.ts';

class FakeUpdater implements UpdaterPort {
  configured: { autoDownload: boolean; autoInstallOnAppQuit: boolean }[] = [];
  checks = 0;
  installs = 0;
  /** What one check does: events it sends, and whether it rejects. */
  script: { events: UpdaterEvent[]; reject?: Error } = { events: [] };
  private listener: (event: UpdaterEvent) => void = () => undefined;
  configure(options: { autoDownload: boolean; autoInstallOnAppQuit: boolean }) {
    this.configured.push(options);
  }
  check() {
    this.checks++;
    for (const event of this.script.events) this.listener(event);
    return this.script.reject ? Promise.reject(this.script.reject) : Promise.resolve();
  }
  quitAndInstall() {
    this.installs++;
  }
  subscribe(listener: (event: UpdaterEvent) => void) {
    this.listener = listener;
  }
  send(event: UpdaterEvent) {
    this.listener(event);
  }
}

function setup(options: { enabled?: boolean; updater?: FakeUpdater | null } = {}) {
  const updater = options.updater === undefined ? new FakeUpdater() : options.updater;
  const states: UpdateState[] = [];
  const flow = createUpdateFlow({ updater, checksEnabled: () => options.enabled ?? true, emit: (s) => states.push(s) });
  return { updater, states, flow };
}

const downloadTo = (version: string): UpdaterEvent[] => [
  { type: 'checking' },
  { type: 'available', version },
  { type: 'progress', percent: 12.5, transferred: 1_250_000, total: 10_000_000 },
  { type: 'progress', percent: 100, transferred: 10_000_000, total: 10_000_000 },
  { type: 'downloaded', version },
];

describe('update flow', () => {
  it('is off where there is no updater (development, the e2e bridge), and refuses a restart', async () => {
    const { flow, states } = setup({ updater: null });
    expect(flow.state()).toEqual({ state: 'off', reason: 'not-packaged' });
    await flow.checkOnStart();
    expect(states).toEqual([]);
    expect(() => flow.restartToInstall()).toThrow(expect.objectContaining({ code: UpdateErrorCode.NOT_READY }));
  });

  it('downloads by itself but never installs on quit', () => {
    const { updater } = setup();
    expect(updater?.configured).toEqual([{ autoDownload: true, autoInstallOnAppQuit: false }]);
  });

  it('does not contact the update server when checks are turned off in Settings', async () => {
    const { flow, updater } = setup({ enabled: false });
    await flow.checkOnStart();
    expect(updater?.checks).toBe(0);
    expect(flow.state()).toEqual({ state: 'off', reason: 'turned-off' });
  });

  it('checks at start, reports progress, and installs only when the person restarts to update', async () => {
    const { flow, updater, states } = setup();
    if (!updater) throw new Error('no updater');
    updater.script = { events: downloadTo('0.2.0') };
    await flow.checkOnStart();
    expect(states).toEqual([
      { state: 'checking' },
      { state: 'downloading', version: '0.2.0', percent: 0, transferred: null, total: null },
      { state: 'downloading', version: '0.2.0', percent: 12.5, transferred: 1_250_000, total: 10_000_000 },
      { state: 'downloading', version: '0.2.0', percent: 100, transferred: 10_000_000, total: 10_000_000 },
      { state: 'ready', version: '0.2.0' },
    ]);
    expect(updater.installs).toBe(0);
    flow.restartToInstall();
    expect(updater.installs).toBe(1);
  });

  it('refuses "restart to update" while the update is still downloading', async () => {
    const { flow, updater } = setup();
    if (!updater) throw new Error('no updater');
    updater.script = { events: downloadTo('0.2.0').slice(0, 3) };
    await flow.checkOnStart();
    expect(flow.state().state).toBe('downloading');
    expect(() => flow.restartToInstall()).toThrow(expect.objectContaining({ code: UpdateErrorCode.NOT_READY }));
    expect(updater.installs).toBe(0);
  });

  it('says up to date when there is nothing newer', async () => {
    const { flow, updater } = setup();
    if (!updater) throw new Error('no updater');
    updater.script = { events: [{ type: 'checking' }, { type: 'not-available' }] };
    await flow.checkOnStart();
    expect(flow.state()).toEqual({ state: 'up-to-date' });
  });

  it('names a failed check with a retryable bilingual error, and the app goes on', async () => {
    const { flow, updater } = setup();
    if (!updater) throw new Error('no updater');
    updater.script = { events: [{ type: 'checking' }], reject: new Error('net::ERR_CONNECTION_REFUSED') };
    await expect(flow.checkOnStart()).resolves.toBeUndefined();
    const state = flow.state();
    expect(state).toMatchObject({ state: 'failed', error: { code: UpdateErrorCode.CHECK_FAILED, retryable: true } });
    if (state.state === 'failed') {
      expect(state.error.message_zh).toMatch(/設定/);
      expect(state.error.message_en).toMatch(/Settings/);
    }
  });

  for (const [what, event] of [
    ['a Windows publisher mismatch', { type: 'error', message: 'New version 0.2.0 is not signed by the application owner: publisherNames: MyData', code: null }],
    ['a checksum mismatch', { type: 'error', message: 'sha512 checksum mismatch, expected abc, got def', code: 'ERR_CHECKSUM_MISMATCH' }],
    ['a macOS code signature failure', { type: 'error', message: 'Code signature at URL file:///… did not pass validation', code: null }],
  ] as const) {
    it(`refuses to offer an update after ${what} (UPDATE_NOT_TRUSTED, not retryable)`, async () => {
      const { flow, updater } = setup();
      if (!updater) throw new Error('no updater');
      updater.script = { events: [...downloadTo('0.2.0').slice(0, 3), event] };
      await flow.checkOnStart();
      expect(flow.state()).toMatchObject({ state: 'failed', error: { code: UpdateErrorCode.NOT_TRUSTED, retryable: false } });
      expect(() => flow.restartToInstall()).toThrow();
      expect(updater.installs).toBe(0);
    });
  }

  it('keeps a downloaded update when a later error arrives, and does not check again meanwhile', async () => {
    const { flow, updater } = setup();
    if (!updater) throw new Error('no updater');
    updater.script = { events: downloadTo('0.2.0') };
    await flow.checkOnStart();
    updater.send({ type: 'error', message: 'socket hang up', code: null });
    await flow.checkOnStart();
    expect(updater.checks).toBe(1);
    expect(flow.state()).toEqual({ state: 'ready', version: '0.2.0' });
  });

  it('clamps progress and ignores it outside a download', () => {
    const { flow, updater } = setup();
    if (!updater) throw new Error('no updater');
    updater.send({ type: 'progress', percent: 50, transferred: 5, total: 10 });
    expect(flow.state()).toEqual({ state: 'idle' });
    updater.send({ type: 'available', version: '1.0.0' });
    updater.send({ type: 'progress', percent: Number.NaN, transferred: -1, total: 10 });
    expect(flow.state()).toMatchObject({ percent: 0, transferred: 0 });
    updater.send({ type: 'progress', percent: 140, transferred: 12, total: 10 });
    expect(flow.state()).toMatchObject({ percent: 100 });
  });

  it('whatever the updater reports, every state fits the contract and nothing installs without restartToInstall', () => {
    const event: fc.Arbitrary<UpdaterEvent> = fc.oneof(
      fc.constant<UpdaterEvent>({ type: 'checking' }),
      fc.constant<UpdaterEvent>({ type: 'not-available' }),
      fc.string({ minLength: 1, maxLength: 8 }).map<UpdaterEvent>((version) => ({ type: 'available', version })),
      fc.string({ minLength: 1, maxLength: 8 }).map<UpdaterEvent>((version) => ({ type: 'downloaded', version })),
      fc.record({ percent: fc.double(), transferred: fc.double({ min: -1e9, max: 1e12, noNaN: true }), total: fc.double({ min: 0, max: 1e12, noNaN: true }) }).map<UpdaterEvent>((p) => ({ type: 'progress', ...p })),
      fc.record({ message: fc.string(), code: fc.option(fc.string(), { nil: null }) }).map<UpdaterEvent>((e) => ({ type: 'error', ...e })),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const { updater, states, flow } = setup();
        if (!updater) return;
        for (const e of events) updater.send(e);
        for (const s of states) expect(UpdateStateSchema.safeParse(s).success).toBe(true);
        expect(updater.installs).toBe(0);
        if (flow.state().state === 'ready') {
          flow.restartToInstall();
          expect(updater.installs).toBe(1);
        }
      }),
    );
  });
});
