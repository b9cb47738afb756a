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
