// The one IPC entry point: every channel is registered through handle(); dispatch() checks the sender,
// validates payload and result against the contract, and maps every failure to an AppError (ARCHITECTURE §4).
// No 'electron' import: the same dispatcher runs in Electron and, bridged, in the Playwright tests.
import { z } from 'zod';
import {
  AppFailure,
  IpcErrorCode,
  channels,
  events,
  isChannelName,
  type AppError,
  type ChannelName,
  type EventData,
  type EventName,
  type InvokeResult,
  type Result,
} from '../contract/index.ts';

/** What the dispatcher knows of who called: enough to refuse anything but our own top-level page. */
export interface SenderInfo {
  /** URL of the calling frame; null when the frame is gone. */
  frameUrl: string | null;
  /** Whether the calling frame is the top frame of its page. */
  isTopFrame: boolean;
}

export type Handler<C extends ChannelName> = (payload: z.output<(typeof channels)[C]['payload']>) => Promise<Result<C>> | Result<C>;

export interface Dispatcher {
  handle<C extends ChannelName>(channel: C, handler: Handler<C>): void;
  dispatch(sender: SenderInfo, channel: unknown, payload: unknown): Promise<InvokeResult<ChannelName>>;
  /** Channels of the contract that nothing has registered yet (used by a start-up check and tests). */
  unregistered(): ChannelName[];
}

export interface DispatcherOptions {
  /** Whether a sender URL belongs to the app's own renderer (app://app in Electron). */
  isTrustedOrigin(url: URL): boolean;
  /** Receives failures that are not AppFailures (bugs); never given payloads. */
  logInternal?(channel: string, error: unknown): void;
}

function fail(code: string, zh: string, en: string, retryable = false): { ok: false; error: AppError } {
  return { ok: false, error: { code, message_zh: zh, message_en: en, retryable } };
}

export function isTrustedSender(sender: SenderInfo, isTrustedOrigin: (url: URL) => boolean): boolean {
  if (!sender.isTopFrame || !sender.frameUrl) return false;
  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return false;
  }
  // A frame with an opaque or empty origin (about:blank, data:, file:) is never ours; nor is one that carries credentials.
  if (!url.host || url.username !== '' || url.password !== '') return false;
  return isTrustedOrigin(url);
}

export const APP_ORIGIN = 'app://app';

/**
 * The origin test for the packaged app, compared exactly: scheme, host and no port (`url.host` includes one) make
 * `app://app`; userinfo is refused. Node gives custom schemes an opaque `origin` ('null'), so it is built here.
 */
export function isAppProtocolUrl(url: URL): boolean {
  return `${url.protocol}//${url.host}` === APP_ORIGIN && url.username === '' && url.password === '';
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const handlers = new Map<ChannelName, Handler<ChannelName>>();

  return {
    handle(channel, handler) {
      if (!isChannelName(channel)) throw new Error(`not a contract channel: ${String(channel)}`);
      if (handlers.has(channel)) throw new Error(`channel registered twice: ${channel}`);
      handlers.set(channel, handler);
    },

    unregistered() {
      return (Object.keys(channels) as ChannelName[]).filter((c) => !handlers.has(c));
    },

    async dispatch(sender, channel, payload) {
      if (!isTrustedSender(sender, (url) => options.isTrustedOrigin(url))) {
        return fail(
          IpcErrorCode.FORBIDDEN_SENDER,
          '拒絕來自非本程式頁面的要求。',
          'A request from a page that is not part of this app was refused.',
        );
      }
      if (!isChannelName(channel)) {
        return fail(IpcErrorCode.UNKNOWN_CHANNEL, '程式內部要求的項目不存在。請更新應用程式。', 'The app asked for something that does not exist. Update the app.');
      }
      const handler = handlers.get(channel);
      if (!handler) {
        return fail(IpcErrorCode.UNKNOWN_CHANNEL, '此功能尚未提供。', 'This function is not available yet.');
      }
      const spec = channels[channel];
      const parsed = spec.payload.safeParse(payload);
      if (!parsed.success) {
        return fail(
          IpcErrorCode.INVALID_PAYLOAD,
          '送出的資料格式不正確，要求未執行。請重新操作；若持續發生請回報問題。',
          'The request was not carried out because its data was malformed. Try again; report a problem if it keeps happening.',
        );
      }
      try {
        const value = await handler(parsed.data);
        const checked = spec.result.safeParse(value);
        if (!checked.success) {
          options.logInternal?.(channel, checked.error);
          return fail(IpcErrorCode.INVALID_RESULT, '程式內部發生錯誤，結果未被採用。請回報問題。', 'An internal error occurred and the result was discarded. Please report a problem.');
        }
        return { ok: true, value: checked.data as Result<ChannelName> };
      } catch (error) {
        if (error instanceof AppFailure) return { ok: false, error: error.toAppError() };
        options.logInternal?.(channel, error);
        return fail(IpcErrorCode.INTERNAL, '程式內部發生未預期的錯誤。請再試一次；若持續發生請回報問題。', 'An unexpected internal error occurred. Try again; report a problem if it keeps happening.', true);
      }
    },
  };
}

/** Where events go: the window's webContents in Electron, the page in the test bridge. */
export interface EventSink {
  send(event: EventName, data: unknown): void;
}

/** Validates an event against the contract before it leaves main. */
export function createEventEmitter(sink: EventSink) {
  return function emit<E extends EventName>(event: E, data: EventData<E>): void {
    sink.send(event, events[event].parse(data));
  };
}
export type EmitEvent = ReturnType<typeof createEventEmitter>;
