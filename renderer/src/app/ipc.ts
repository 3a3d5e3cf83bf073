// Typed client over window.mydata: unwraps each InvokeResult into its value or throws an IpcError carrying the AppError.
import type {
  AppError,
  ChannelName,
  EventData,
  EventName,
  InvokeResult,
  MyDataApi,
  Payload,
  Result,
} from '../../../electron/contract/index.ts';

/** Codes for failures the renderer detects itself, before or around the bridge. */
export const RendererErrorCode = {
  BRIDGE_MISSING: 'RENDERER_BRIDGE_MISSING',
  BRIDGE_FAILED: 'RENDERER_BRIDGE_FAILED',
  UNEXPECTED: 'RENDERER_UNEXPECTED',
} as const;

const BRIDGE_MISSING: AppError = {
  code: RendererErrorCode.BRIDGE_MISSING,
  message_zh: '畫面無法連上應用程式的核心。請關閉 MyData 後重新開啟；若仍發生，請重新安裝。',
  message_en: 'The window cannot reach the app’s core. Close MyData and open it again; if this keeps happening, reinstall it.',
  retryable: false,
};

const BRIDGE_FAILED: AppError = {
  code: RendererErrorCode.BRIDGE_FAILED,
  message_zh: '與應用程式核心的通訊中斷。請再試一次；若仍失敗，請重新開啟 MyData。',
  message_en: 'Communication with the app’s core failed. Try again; if it still fails, reopen MyData.',
  retryable: true,
};

/** A failed IPC call: the AppError as main reported it (or as the renderer built it), plus the channel. */
export class IpcError extends Error {
  readonly appError: AppError;
  readonly channel: string;
  constructor(channel: string, appError: AppError, options?: { cause?: unknown }) {
    super(`${channel}: ${appError.code}: ${appError.message_en}`, options);
    this.name = 'IpcError';
    this.channel = channel;
    this.appError = appError;
  }
}

/** The AppError to show for anything thrown: IpcErrors keep theirs; anything else becomes a generic one. */
export function toAppError(error: unknown): AppError {
  if (error instanceof IpcError) return error.appError;
  return {
    code: RendererErrorCode.UNEXPECTED,
    message_zh: '畫面發生未預期的錯誤。請再試一次；若仍失敗，請重新開啟 MyData。',
    message_en: 'The window hit an unexpected error. Try again; if it still fails, reopen MyData.',
    retryable: true,
  };
}

function bridge(): MyDataApi | undefined {
  // The declaration says it always exists; at run time it exists only when the preload (or test bridge) ran.
  return (window as { mydata?: MyDataApi }).mydata;
}

export async function invoke<C extends ChannelName>(channel: C, payload: Payload<C>): Promise<Result<C>> {
  const api = bridge();
  if (!api) throw new IpcError(channel, BRIDGE_MISSING);
  let result: InvokeResult<C>;
  try {
    result = await api.invoke(channel, payload);
  } catch (cause) {
    throw new IpcError(channel, BRIDGE_FAILED, { cause });
  }
  if (result.ok) return result.value;
  throw new IpcError(channel, result.error);
}

/** Subscribes to an event from main; returns the unsubscribe function (a no-op when there is no bridge). */
export function subscribe<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
  const api = bridge();
  if (!api) return () => undefined;
  return api.on(event, listener);
}
