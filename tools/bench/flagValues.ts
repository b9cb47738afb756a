// Checked values of command-line flags, shared by the benchmarks' option parsers.

export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, not "${text}"`);
  return n;
}

export function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === text);
  if (!found) throw new RangeError(`${name} must be one of ${allowed.join(', ')}, not "${text}"`);
  return found;
}

/**
 * Walks `--flag value` and `--flag=value` pairs; `handle` reads a flag's value through `value()`
 * (only when the flag takes one) and throws a RangeError for a flag it does not know.
 */
export function forEachFlag(argv: readonly string[], handle: (name: string, value: () => string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const eq = flag.indexOf('=');
    const [name, inline] = eq >= 0 ? [flag.slice(0, eq), flag.slice(eq + 1)] : [flag, undefined];
    handle(name, () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new RangeError(`${name} needs a value`);
      return v;
    });
  }
}

/** Runs a command-line entry: its result is the exit code; an unexpected error prints and exits 1. */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
