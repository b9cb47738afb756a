// The one test for "this was cancelled", whichever layer threw it (fetch, a stream reader, our code).

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}
