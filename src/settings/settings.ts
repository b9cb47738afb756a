// Reads raw configuration values into typed, validated settings. Bad values (NaN, null, wrong type,
// unknown names) never reach the model: numbers out of range are clamped; anything else keeps the
// setting's last valid value (the default only when there was none), with a message naming the
// setting, the bad value and the value used.
import type { Device, Dtype, SamplingOptions } from '../model/protocol';
import { SETTINGS, type SettingKey, type SettingSpec } from './settingsTable';

export interface ModelSettings { id: string; dtype: Dtype; device: Device; threads: number; hubUrl: string }
export type PromptTemplateSetting = 'auto' | 'qwen' | 'starcoder' | 'deepseek' | 'codellama' | 'codegemma' | 'leftToRight';
export type MultilineSetting = 'auto' | 'always' | 'never';

export interface CompletionSettings {
  enabled: boolean;
  languages: Record<string, boolean>;
  promptTemplate: PromptTemplateSetting;
  contextTokens: number;
  useOpenEditors: boolean;
  debounceMs: number;
  multiline: MultilineSetting;
  maxLines: number;
  sampling: SamplingOptions;
}

export interface ExplainSettings { model: string; language: string; maxInputTokens: number; sampling: SamplingOptions }

export type BackendSetting = 'local' | 'server';

export interface ServerSettings {
  /** As typed, trimmed; the server backend validates it. */
  url: string;
  model: string;
  promptTemplate: PromptTemplateSetting;
}

export interface StatisticsSettings { enabled: boolean }

export interface InklingSettings { backend: BackendSetting; model: ModelSettings; server: ServerSettings; completion: CompletionSettings; explain: ExplainSettings; statistics: StatisticsSettings }

export interface SettingProblem { key: `inkling.${string}`; message: string }

/** Reads one raw value, as `vscode.WorkspaceConfiguration.get` would ('inkling.' prefix omitted). */
export type RawSettingReader = (key: SettingKey) => unknown;

/** The last value each setting had that needed no fixing, so a bad edit falls back to it. */
export type LastValidValues = Partial<Record<SettingKey, unknown>>;

export interface ReadResult {
  settings: InklingSettings;
  problems: SettingProblem[];
  /** `lastValid` updated with this read's valid values: pass it to the next read. */
  lastValid: LastValidValues;
}

export function readSettings(read: RawSettingReader, lastValid: LastValidValues = {}): ReadResult {
  const problems: SettingProblem[] = [];
  const valid: LastValidValues = { ...lastValid };
  const get = <K extends SettingKey>(key: K) => {
    const { value, problem } = normalizeSetting(key, read(key), lastValid[key]);
    if (problem) problems.push({ key: `inkling.${key}`, message: problem });
    else valid[key] = value;
    return value as (typeof SETTINGS)[K]['default'];
  };
  const samplingOf = (p: 'completion' | 'explain'): SamplingOptions => ({
    temperature: get(`${p}.temperature`),
    topP: get(`${p}.topP`),
    topK: get(`${p}.topK`),
    maxNewTokens: get(`${p}.maxNewTokens`),
    repetitionPenalty: get(`${p}.repetitionPenalty`),
  });
  const backend = get('backend') as BackendSetting;
  const completionTemplate = get('completion.promptTemplate') as PromptTemplateSetting;
  const settings: InklingSettings = {
    backend,
    model: {
      id: get('model.id').trim() || SETTINGS['model.id'].default,
      dtype: get('model.dtype') as Dtype,
      device: get('model.device') as Device,
      threads: get('model.threads'),
      hubUrl: get('model.hubUrl').trim(),
    },
    server: {
      url: get('server.url').trim(),
      model: get('server.model').trim(),
      promptTemplate: get('server.promptTemplate') as PromptTemplateSetting,
    },
    completion: {
      enabled: get('completion.enabled'),
      languages: get('completion.languages'),
      // A served model's format comes from inkling.server.promptTemplate (through the model's info).
      promptTemplate: backend === 'server' ? 'auto' : completionTemplate,
      contextTokens: get('completion.contextTokens'),
      useOpenEditors: get('completion.useOpenEditors'),
      debounceMs: get('completion.debounceMs'),
      multiline: get('completion.multiline') as MultilineSetting,
      maxLines: get('completion.maxLines'),
      sampling: samplingOf('completion'),
    },
    explain: {
      model: get('explain.model').trim(),
      language: get('explain.language').trim() || 'auto',
      maxInputTokens: get('explain.maxInputTokens'),
      sampling: samplingOf('explain'),
    },
    statistics: { enabled: get('statistics.enabled') },
  };
  return { settings, problems, lastValid: valid };
}

/**
 * Validates one raw value against its spec: `problem` says what was wrong and what is used instead,
 * which is `lastValid` when given, else the default. `undefined` means unset: the default, no problem.
 */
export function normalizeSetting(key: SettingKey, raw: unknown, lastValid?: unknown): { value: unknown; problem?: string } {
  const spec: SettingSpec = SETTINGS[key];
  if (raw === undefined) return { value: spec.default };
  const name = `inkling.${key}`;
  const fallback = (why: string) => lastValid !== undefined
    ? { value: lastValid, problem: `Setting ${name} ${why}; using its last valid value ${show(lastValid)}.` }
    : { value: spec.default, problem: `Setting ${name} ${why}; using the default ${show(spec.default)}.` };
  if (raw === null) return fallback('is null');
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || Number.isNaN(n)) return fallback(`must be a number between ${spec.minimum} and ${spec.maximum} (got ${show(raw)})`);
      const rounded = spec.type === 'integer' && Number.isFinite(n) ? Math.round(n) : n;
      const clamped = Math.min(spec.maximum, Math.max(spec.minimum, rounded));
      if (clamped !== n) return { value: clamped, problem: `Setting ${name} must be ${spec.type === 'integer' ? 'a whole number' : 'a number'} between ${spec.minimum} and ${spec.maximum} (got ${show(raw)}); using ${clamped}.` };
      return { value: n };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : fallback(`must be true or false (got ${show(raw)})`);
    case 'string':
      if (typeof raw !== 'string') return fallback(`must be text (got ${show(raw)})`);
      if (spec.maxLength !== undefined && raw.length > spec.maxLength) return fallback(`is longer than ${spec.maxLength} characters`);
      return { value: raw };
    case 'enum':
      return typeof raw === 'string' && spec.values.includes(raw) ? { value: raw } : fallback(`must be one of ${spec.values.join(', ')} (got ${show(raw)})`);
    case 'booleanMap': {
      if (typeof raw !== 'object' || Array.isArray(raw)) return fallback(`must be an object mapping language ids to true or false (got ${show(raw)})`);
      const entries = Object.entries(raw as Record<string, unknown>);
      const bad = entries.filter(([, v]) => typeof v !== 'boolean').map(([k]) => k);
      const value = Object.fromEntries(entries.filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>;
      return bad.length ? { value, problem: `Setting ${name} must map language ids to true or false; ignoring ${bad.join(', ')}.` } : { value };
    }
  }
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : Number.isNaN(v) ? 'NaN' : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
