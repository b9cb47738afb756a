// The one logging shape every layer takes: VS Code's LogOutputChannel fits it as it is, the CLI
// writes it to stderr, tests pass a silent or recording one.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A logger that hands every line to `write` with its level, e.g. to stderr. */
export function loggerFrom(write: (level: LogLevel, message: string) => void): Logger {
  return {
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
