// The engine's messages are written for the editor (settings, commands in the palette). In a terminal
// the same advice names the flags instead: --model, --dtype, --set key=value.
const pass = (set: string) => (set === 'S' ? 'Pass' : 'pass');

const PHRASES: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/run "Inkling: Select Model…" and choose "Use a local model folder…"/g, 'pass a local model folder with --model'],
  [/ \("Inkling: Select Model…"\)/g, ' with --model'],
  [/ \(or run "Inkling: Clear Model Cache"\)/g, ''],
  [/remove models with "Inkling: Clear Model Cache"/g, 'delete models you no longer need from the cache folder (INKLING_CACHE_DIR)'],
  [/Check VS Code's http\.proxy setting or the HTTPS_PROXY environment variable/g, 'Check the HTTPS_PROXY environment variable'],
  [/Check the inkling\.model\.id setting/g, 'Check --model'],
  [/choose another model or inkling\.model\.dtype/g, 'pass another --model or --dtype'],
  [/choose another model for inkling\.explain\.model/g, 'pass another --model'],
  [/\bset inkling\.model\.dtype to another value/g, 'pass another --dtype'],
  [/\b([Ss])et inkling\.model\.dtype to (\w+)/g, (_m, set, value) => `${pass(set!)} --dtype ${value}`],
  [/\b([Ss])et inkling\.([\w.]+) to (\w+)/g, (_m, set, key, value) => `${pass(set!)} --set ${key}=${value}`],
  [/\bSetting inkling\.([\w.]+)/g, '--set $1'],
  [/\binkling\.model\.id\b/g, '--model'],
  [/\binkling\.model\.dtype\b/g, '--dtype'],
  [/\binkling\.([a-z]+\.[A-Za-z]+)\b/g, '--set $1=…'],
];

export function forTerminal(message: string): string {
  let text = message;
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, replacement as (substring: string, ...groups: string[]) => string);
  return text;
}
