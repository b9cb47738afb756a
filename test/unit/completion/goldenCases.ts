// Reads the golden completion cases (test/golden/completion/*.golden; the format is in the README there).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FitInput, FitOptions, Trigger } from '../../../src/completion/fitCompletion';

export interface GoldenCase {
  /** `file:line` of the case header, for failure messages. */
  where: string;
  id: string;
  /** The stage (or `keep`) the case guards. */
  rule: string;
  title: string;
  input: FitInput;
  /** The whole document after accepting; undefined when nothing may be shown. */
  accepted: string | undefined;
}

export const CURSOR = '‸';

/** `·` is a space, `→` a tab, `⏎` a line break, `␍` a carriage return: whitespace that would otherwise be invisible. */
export function unescape(text: string): string {
  return text.replace(/␍/g, '\r').replace(/·/g, ' ').replace(/→/g, '\t').replace(/⏎/g, '\n');
}

export function loadGoldenCases(dir: string): GoldenCase[] {
  return readdirSync(dir).filter((f) => f.endsWith('.golden')).sort()
    .flatMap((f) => parseGolden(readFileSync(join(dir, f), 'utf8'), f));
}

export function parseGolden(source: string, file: string): GoldenCase[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const defaults = new Map<string, string>();
  const cases: GoldenCase[] = [];
  let i = 0;
  // The preamble: prose, and `key: value` defaults for every case in the file.
  for (; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const field = /^(\w+):\s*(.*)$/.exec(lines[i]!);
    if (field) defaults.set(field[1]!, field[2]!.trim());
  }
  while (i < lines.length) {
    const where = `${file}:${i + 1}`;
    const header = /^## ([\w.-]+): (\w+) — (.+)$/.exec(lines[i]!);
    if (!header) throw new Error(`${where}: expected "## id: rule — what it shows", got ${JSON.stringify(lines[i])}`);
    const fields = new Map(defaults);
    const sections = new Map<string, string[]>();
    let section: string[] | undefined;
    for (i++; i < lines.length && !lines[i]!.startsWith('## '); i++) {
      const line = lines[i]!;
      const marker = /^--- (document|model|accepted|shown: nothing)$/.exec(line);
      if (marker) {
        section = [];
        sections.set(marker[1]!, section);
      } else if (section) section.push(line);
      else {
        const field = /^(\w+):\s*(.*)$/.exec(line);
        if (field) fields.set(field[1]!, field[2]!.trim());
        else if (line.trim() !== '') throw new Error(`${where}: unexpected line ${JSON.stringify(line)}`);
      }
    }
    cases.push(buildCase(where, header[1]!, header[2]!, header[3]!, fields, sections));
  }
  return cases;
}

function buildCase(where: string, id: string, rule: string, title: string, fields: Map<string, string>, sections: Map<string, string[]>): GoldenCase {
  const text = (name: string) => {
    const body = sections.get(name);
    if (!body) throw new Error(`${where}: no "--- ${name}" section`);
    while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
    return unescape(body.join('\n'));
  };
  const document = text('document');
  const cursor = document.indexOf(CURSOR);
  if (cursor < 0 || document.indexOf(CURSOR, cursor + 1) >= 0) throw new Error(`${where}: the document needs exactly one ${CURSOR}`);
  const nothing = sections.has('shown: nothing');
  if (nothing === sections.has('accepted')) throw new Error(`${where}: give either "--- accepted" or "--- shown: nothing"`);
  const languageId = fields.get('language');
  if (!languageId) throw new Error(`${where}: no language`);
  const [style = 'spaces', size = '4'] = (fields.get('indent') ?? 'spaces 4').split(/\s+/);
  const options: FitOptions = {};
  if (fields.has('multiline')) options.multiline = fields.get('multiline') as FitOptions['multiline'];
  if (fields.has('maxLines')) options.maxLines = Number(fields.get('maxLines'));
  if (fields.has('stops')) options.stops = fields.get('stops')!.split(/\s+/).filter(Boolean);
  return {
    where,
    id,
    rule,
    title,
    input: {
      before: document.slice(0, cursor),
      after: document.slice(cursor + 1),
      languageId,
      trigger: (fields.get('trigger') ?? 'automatic') as Trigger,
      indentation: { insertSpaces: style === 'spaces', tabSize: Number(size) },
      modelOutput: text('model'),
      options,
    },
    accepted: nothing ? undefined : text('accepted'),
  };
}
