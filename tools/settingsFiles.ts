// The files that describe Inkling's settings, made from the settings table so they never drift apart:
// package.json's contributes.configuration.properties, package.nls.json's English descriptions and
// the README's settings table. `npm run generate:settings` rewrites all three; a unit test fails
// when any is stale. (package.nls.zh-cn.json is translated by hand; the test checks its keys.)
import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS, type SettingSpec } from '../src/settings/settingsTable';

const HEADER = '| Setting | Default | Range | What it does |';
const entries = () => Object.entries(SETTINGS) as [string, SettingSpec][];
const nlsKey = (key: string) => `config.${key}`;

/** contributes.configuration.properties: descriptions point into package.nls*.json. */
export function manifestProperties(): Record<string, Record<string, unknown>> {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [key, spec] of entries()) {
    const property: Record<string, unknown> = {};
    switch (spec.type) {
      case 'number':
      case 'integer':
        Object.assign(property, { type: spec.type, minimum: spec.minimum, maximum: spec.maximum });
        break;
      case 'enum':
        Object.assign(property, { type: 'string', enum: [...spec.values] });
        if (spec.enumDescriptions) property.enumDescriptions = spec.values.map((value) => `%${nlsKey(key)}.${value}%`);
        break;
      case 'booleanMap':
        Object.assign(property, { type: 'object', additionalProperties: { type: 'boolean' } });
        break;
      default:
        property.type = spec.type;
    }
    Object.assign(property, { default: spec.default, markdownDescription: `%${nlsKey(key)}%`, scope: spec.scope ?? 'resource' });
    properties[`inkling.${key}`] = property;
  }
  return properties;
}

/** package.nls.json's English for every setting (`config.<key>` and `config.<key>.<enum value>`). */
export function englishDescriptions(): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [key, spec] of entries()) {
    strings[nlsKey(key)] = spec.markdownDescription;
    if (spec.type === 'enum' && spec.enumDescriptions) {
      spec.values.forEach((value, i) => (strings[`${nlsKey(key)}.${value}`] = spec.enumDescriptions![i]!));
    }
  }
  return strings;
}

export function settingsTableMarkdown(): string {
  const rows = [HEADER, '|---|---|---|---|'];
  for (const [key, spec] of entries()) {
    const description = spec.markdownDescription.replace(/`?#(inkling\.[\w.]+)#`?/g, '`$1`').replace(/\|/g, '\\|');
    const overridable = spec.scope === 'language-overridable' ? ' ¹' : '';
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

/** package.json's text with the generated properties (everything else untouched). */
export function withManifestProperties(manifestText: string): string {
  const manifest = JSON.parse(manifestText) as { contributes: { configuration: { properties: unknown } }; capabilities?: { untrustedWorkspaces?: Record<string, unknown> } };
  manifest.contributes.configuration.properties = manifestProperties();
  manifest.capabilities = { ...manifest.capabilities, untrustedWorkspaces: { ...manifest.capabilities?.untrustedWorkspaces, supported: 'limited', restrictedConfigurations: restrictedSettings() } };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The settings VS Code ignores in a workspace's own settings while it is untrusted (Restricted Mode):
 * every one a user sets for their machine (machine scope: what runs, from where, and where code goes),
 * which no repository may choose. Application settings never come from a workspace anyway.
 */
export function restrictedSettings(): string[] {
  return entries().filter(([, spec]) => spec.scope === 'machine').map(([key]) => `inkling.${key}`);
}

/** package.nls.json's text with every setting's English replaced; its other strings keep their place. */
export function withEnglishDescriptions(nlsText: string): string {
  const nls = JSON.parse(nlsText) as Record<string, string>;
  const generated = englishDescriptions();
  const kept = Object.fromEntries(Object.entries(nls).filter(([key]) => key === 'config.title' || !key.startsWith('config.')));
  return `${JSON.stringify({ ...kept, ...generated }, null, 2)}\n`;
}

if (require.main === module) {
  const rewrite = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));
  rewrite('README.md', withSettingsTable);
  rewrite('package.json', withManifestProperties);
  rewrite('package.nls.json', withEnglishDescriptions);
}
