// The server recipes as the README gives them: for each engine, the paragraph that names it, its
// first ```bash block, and the settings and key in the lines after it. The recipe test runs the
// llama.cpp one from here, so the README cannot drift from what was run.

export interface ReadmeRecipe {
  /** The paragraph's first words, e.g. "llama.cpp server". */
  engine: string;
  /** The block's last command line (the one that starts the server), split at spaces. */
  command: string[];
  /** Every `"inkling.…": "…"` pair after the block. */
  settings: Record<string, string>;
  /** The key given to *Set Server API Key*, when the recipe sets one. */
  apiKey?: string;
}

/** What the suite gets in INKLING_RECIPE: the command to start the server and what the user sets. */
export interface RecipeRun {
  engine: string;
  command: string[];
  settings: Record<string, string>;
  apiKey?: string;
}

const SETTING = /`"(inkling\.[\w.]+)": "([^"]*)"`/g;
const KEY = /\*Set Server API Key\* → `([^`]+)`/;

/** The recipe whose paragraph starts with `engine` (e.g. "vLLM", "llama.cpp server"). */
export function readmeRecipe(readme: string, engine: string): ReadmeRecipe {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(`${engine} (`));
  if (start < 0) throw new Error(`The README has no paragraph starting "${engine} ("`);
  const open = lines.findIndex((line, i) => i > start && line === '```bash');
  const close = lines.findIndex((line, i) => i > open && line === '```');
  if (open < 0 || close < 0) throw new Error(`The ${engine} recipe has no \`\`\`bash block`);
  // A command continued with "\" is one line; the last one starts the server.
  const commands = lines.slice(open + 1, close).join('\n').replace(/\\\n\s*/g, '').split('\n').filter((l) => l.trim() !== '');
  const startLine = commands.at(-1);
  if (!startLine) throw new Error(`The ${engine} recipe's block is empty`);
  const after: string[] = [];
  for (let i = close + 1; i < lines.length && lines[i]!.trim() !== ''; i++) after.push(lines[i]!);
  const text = after.join(' ');
  const settings: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(SETTING)) settings[key!] = value!;
  const apiKey = KEY.exec(text)?.[1];
  return { engine, command: startLine.trim().split(/\s+/), settings, ...(apiKey ? { apiKey } : {}) };
}

/** The value after `flag` in a command (`--port 8012`), or undefined. */
export function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.indexOf(flag);
  return at >= 0 ? command[at + 1] : undefined;
}

/** `command` with each flag's value replaced (the flag must be there). */
export function withFlags(command: readonly string[], values: Record<string, string>): string[] {
  const out = [...command];
  for (const [flag, value] of Object.entries(values)) {
    const at = out.indexOf(flag);
    if (at < 0 || at + 1 >= out.length) throw new Error(`The command has no ${flag} value: ${command.join(' ')}`);
    out[at + 1] = value;
  }
  return out;
}
