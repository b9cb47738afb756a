// Which human language an explanation is written in. Only English and Simplified Chinese have prompts
// of their own (the seed project's prompt was Chinese); any other locale gets the English prompt with
// a request to answer in that language, named in English so the model understands it. An unknown tag
// keeps its locale but is answered in English.

export type PromptLanguage = 'en' | 'zh';

export interface ExplainLanguage {
  /** The locale as given, lower-cased ("zh-tw", "de", "pt-br"). */
  locale: string;
  /** Which prompt text to use. */
  prompt: PromptLanguage;
  /** The language's English name, for "Answer in …". */
  name: string;
}

// Intl calls zh-cn "Chinese (China)"; for a reader the script matters, not the country.
const CHINESE_NAMES: Readonly<Record<string, string>> = {
  'zh-cn': 'Simplified Chinese',
  'zh-sg': 'Simplified Chinese',
  'zh-hans': 'Simplified Chinese',
  'zh-tw': 'Traditional Chinese',
  'zh-hk': 'Traditional Chinese',
  'zh-mo': 'Traditional Chinese',
  'zh-hant': 'Traditional Chinese',
};

/**
 * Resolves the `inkling.explain.language` setting: `auto` (or empty) follows VS Code's display
 * language (`vscode.env.language`); anything else is taken as an explicit locale.
 */
export function resolveExplainLanguage(setting: string, vscodeLanguage: string): ExplainLanguage {
  const wanted = setting.trim().toLowerCase();
  const locale = normalizeLocale(wanted === '' || wanted === 'auto' ? vscodeLanguage : wanted);
  return describeLocale(locale);
}

/** Prompt language and name for an already resolved locale. */
export function describeLocale(rawLocale: string): ExplainLanguage {
  const locale = normalizeLocale(rawLocale);
  const base = locale.split('-')[0];
  const prompt: PromptLanguage = base === 'zh' ? 'zh' : 'en';
  return { locale, prompt, name: CHINESE_NAMES[locale] ?? languageName(locale) ?? 'English' };
}

function languageName(locale: string): string | undefined {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(locale);
  } catch {
    return undefined; // a tag ICU rejects
  }
}

function normalizeLocale(raw: string): string {
  const locale = raw.trim().toLowerCase().replace(/_/g, '-');
  // A locale is a short tag; anything else (a typo, a sentence) would end up inside the prompt.
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(locale) ? locale : 'en';
}
