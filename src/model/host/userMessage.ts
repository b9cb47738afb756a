// Turns anything thrown into one sentence a user can act on, plus detail for the log.
// Stack traces go to the log only, never into a notification.
import { ServerError } from '../server/serverErrors';
import { EngineError } from './engineError';

export interface UserMessage { message: string; detail?: string }

export function userMessageOf(error: unknown, model?: string): UserMessage {
  if (error instanceof EngineError || error instanceof ServerError) return { message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  const what = model ? ` with the model ${model}` : '';
  if (error instanceof Error) {
    return { message: `Inkling hit an unexpected problem${what}: ${firstLine(error.message)}. See the Inkling log for details.`, ...(error.stack ? { detail: error.stack } : {}) };
  }
  return { message: `Inkling hit an unexpected problem${what}. See the Inkling log for details.`, detail: String(error) };
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return (line.length > 200 ? `${line.slice(0, 197)}…` : line).replace(/[.\s]+$/, '');
}
