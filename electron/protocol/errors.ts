// How the platform API fails: its error body (the AppError shape plus details) and the named failures of a platform call.
import { AppErrorSchema, AppFailure } from '../contract/errors.ts';

/** Every error answer of the platform: `{code, message_zh, message_en, retryable}` plus details (a dataset, a level…). */
export const PlatformErrorSchema = AppErrorSchema.loose();

/** The failures a call to the platform can meet whatever it asked for; callers with their own codes pass their own. */
export const PlatformError = {
  unreachable: (cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_UNREACHABLE',
        message_zh: '無法連線到 MyData 平臺，且本機沒有先前取得的資料。請確認網路連線後再試一次。',
        message_en: 'The MyData platform cannot be reached and there is no earlier copy on this computer. Check the connection and try again.',
        retryable: true,
      },
      { cause },
    ),
  invalidResponse: (what: string, cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_INVALID_RESPONSE',
        message_zh: `平臺回傳的${what}格式不正確，已不予採用。請稍後再試；若持續發生請回報問題。`,
        message_en: `The platform's answer (${what}) was not in the expected format and was not used. Try again later; report a problem if it keeps happening.`,
        retryable: true,
      },
      { cause },
    ),
};

/** What a caller names its own failures with (a consent, an identity check, a download each have their codes). */
export interface PlatformFailures {
  /** No answer: the connection failed, timed out, or the platform answered 5xx. */
  unreachable(cause: unknown): AppFailure;
  /** An answer that is not what the API promises for this call. */
  invalidResponse(what: string, cause?: unknown): AppFailure;
}
