// AppError: the one error shape that crosses the IPC boundary (ARCHITECTURE §4, §9).
import { z } from 'zod';

export const AppErrorSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message_zh: z.string().min(1),
  message_en: z.string().min(1),
  retryable: z.boolean(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

/** Codes the IPC layer itself produces; features add their own in their modules. */
export const IpcErrorCode = {
  UNKNOWN_CHANNEL: 'IPC_UNKNOWN_CHANNEL',
  INVALID_PAYLOAD: 'IPC_INVALID_PAYLOAD',
  INVALID_RESULT: 'IPC_INVALID_RESULT',
  FORBIDDEN_SENDER: 'IPC_FORBIDDEN_SENDER',
  INTERNAL: 'INTERNAL_ERROR',
} as const;

/** An error value with a stable code, thrown inside core and mapped to AppError by handle(). */
export class AppFailure extends Error {
  readonly code: string;
  readonly message_zh: string;
  readonly message_en: string;
  readonly retryable: boolean;
  constructor(error: AppError, options?: { cause?: unknown }) {
    super(`${error.code}: ${error.message_en}`, options);
    this.name = 'AppFailure';
    this.code = error.code;
    this.message_zh = error.message_zh;
    this.message_en = error.message_en;
    this.retryable = error.retryable;
  }
  toAppError(): AppError {
    return { code: this.code, message_zh: this.message_zh, message_en: this.message_en, retryable: this.retryable };
  }
}

