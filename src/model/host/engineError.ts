// The error the engine rejects with: `message` is for the user, `detail` is for the log.
import type { EngineErrorPayload } from '../protocol';

export type EngineErrorCode = EngineErrorPayload['code'];

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(readonly code: EngineErrorCode, message: string, readonly detail?: string) {
    super(message);
  }

  static fromPayload(payload: EngineErrorPayload): EngineError {
    return new EngineError(payload.code, payload.message, payload.detail);
  }
}
