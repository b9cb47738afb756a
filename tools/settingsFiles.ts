// The README's settings table, made from the settings table so the two never drift apart.
// `npm run docs:settings` rewrites it in README.md; a unit test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS, type SettingSpec } from '../src/common/settingsTable';

const HEADER = '| Setting | Default | Range | What it does |';

export function settingsTableMarkdown(): string {
  const rows = [HEADER, '|---|---|---|---|'];
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const description = spec.markdownDescription.replace(/`?#(inkling\.[\w.]+)#`?/g, '`$1`').replace(/\|/g, '\\|');
    const overridable = spec.languageOverridable ? ' ¹' : '';
    rows.push(`| \`inkling.${key}\`${overridable} | \`${JSON.stringify(spec.default)}\` | ${rangeOf(spec)} | ${description} |`);
  }
  return rows.join('\n');
}

function rangeOf(spec: SettingSpec): string {
  switch (spec.type) {
    case 'number':
    case 'integer': return `${spec.minimum}–${spec.maximum}`;
    case 'enum': return spec.values.map((v) => `\`${v}\``).join(' ');
    case 'boolean': return 'true/false';
    case 'booleanMap': return 'language id → bool';
    case 'string': return 'text';
  }
}

/** README.md with its settings table replaced by the current one. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(HEADER);
  if (start < 0) throw new Error('README.md has no settings table');
  const end = readme.indexOf('\n\n', start);
  return readme.slice(0, start) + settingsTableMarkdown() + (end < 0 ? '\n' : readme.slice(end));
}

if (require.main === module) {
  const file = process.argv[2] ?? 'README.md';
  writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8')));
}
