// The byte-level alphabet of GPT-2-style BPE (Qwen2 uses it too): every byte gets a printable
// character, so tokens are plain strings. Bytes that already print as themselves keep their
// character; the rest (controls, space, a few Latin-1 ones) take U+0100 upwards in byte order.

function isPrintable(byte: number): boolean {
  return (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
}

function buildAlphabet(): string[] {
  const chars: string[] = new Array(256);
  let next = 0;
  for (let b = 0; b < 256; b++) chars[b] = isPrintable(b) ? String.fromCharCode(b) : String.fromCharCode(256 + next++);
  return chars;
}

/** byte → character. */
export const BYTE_TO_CHAR: readonly string[] = buildAlphabet();

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/**
 * The 256 base tokens in vocabulary order: printable bytes first (by byte value), then the
 * remapped ones, which gives "!" id 0 and "Ġ" (space) id 220 as in GPT-2 and Qwen2.
 */
export function baseTokens(): string[] {
  const printable: string[] = [];
  const remapped: string[] = [];
  for (let b = 0; b < 256; b++) (isPrintable(b) ? printable : remapped).push(BYTE_TO_CHAR[b]);
  return [...printable, ...remapped];
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export function toByteLevel(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** Inverse of toByteLevel; undefined when a character is outside the alphabet. */
export function fromByteLevel(token: string): string | undefined {
  const bytes: number[] = [];
  for (const c of token) {
    const b = CHAR_TO_BYTE.get(c);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}
