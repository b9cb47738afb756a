// Builds the prompt for "Explain selection". Chat models get a system message and the code in a fenced
// block; base models get the seed project's completion-style prompt (kept verbatim for Chinese, with an
// English counterpart). Code over the token budget is cut at a line boundary and the result says so.
import type { ChatMessage } from '../model/protocol';
import { describeLocale, type ExplainLanguage } from './explainLanguage';

export interface ExplainPromptInput {
  code: string;
  languageId: string;
  /** Shown to the model; a workspace-relative path or base name. */
  fileName: string;
  /** A resolved locale ("en", "zh-cn", "de"), as from resolveExplainLanguage. */
  locale: string;
  hasChatTemplate: boolean;
  /** The most tokens of code to send (`inkling.explain.maxInputTokens`). */
  maxInputTokens: number;
  /** Exact token count; without it tokens are estimated as characters / 3. */
  countTokens?: (text: string) => number;
}

export type ExplainPrompt = ({ kind: 'chat'; messages: ChatMessage[] } | { kind: 'plain'; prompt: string }) & {
  /** The code was cut to fit the budget; the panel should say so. */
  truncated: boolean;
  /** Lines of code sent (the last one may be partial when a single line was over budget). */
  keptLines: number;
  totalLines: number;
};

export function buildExplainPrompt(input: ExplainPromptInput): ExplainPrompt {
  const language = describeLocale(input.locale);
  const fit = fitCode(input.code, Math.max(1, input.maxInputTokens), input.countTokens ?? estimatePromptTokens);
  const counts = { truncated: fit.truncated, keptLines: fit.keptLines, totalLines: fit.totalLines };
  if (!input.hasChatTemplate) return { kind: 'plain', prompt: plainPrompt(fit.code, language), ...counts };
  const messages: ChatMessage[] = [
    { role: 'system', content: systemMessage(language) },
    { role: 'user', content: userMessage(fit.code, input, language, fit) },
  ];
  return { kind: 'chat', messages, ...counts };
}

/** The budget estimator: code tokenizers average three to four characters a token; three errs safe. */
export function estimatePromptTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

function plainPrompt(code: string, language: ExplainLanguage): string {
  // The seed's exact wording: base models continue it, they do not follow instructions.
  if (language.prompt === 'zh') return `请解释以下代码的功能：\n${code}\n解释：`;
  if (language.name === 'English' || /^en(-|$)/.test(language.locale)) return `Explain what the following code does:\n${code}\nExplanation:`;
  return `Explain what the following code does (answer in ${language.name}):\n${code}\nExplanation:`;
}

function systemMessage(language: ExplainLanguage): string {
  if (language.prompt === 'zh') {
    const script = language.name === 'Traditional Chinese' ? '繁体中文' : language.name === 'Chinese' ? '中文' : '简体中文';
    return `你是一名资深程序员。请用${script}，以 Markdown 格式清晰、简洁地解释用户给出的代码：先用一两句话说明它做什么，`
      + '再说明它如何工作，并指出任何出人意料或有风险的地方。不要完整复述代码。';
  }
  return 'You are an expert programmer. Explain the code the user gives you clearly and concisely, in Markdown: '
    + 'first say in a sentence or two what it does, then how it works, and point out anything surprising or risky. '
    + `Do not repeat the code in full. Write your answer in ${language.name}.`;
}

function userMessage(code: string, input: ExplainPromptInput, language: ExplainLanguage, fit: FitResult): string {
  const file = input.fileName.replace(/[`\r\n]/g, '');
  const lang = input.languageId.replace(/[^\w+#.-]/g, '');
  const block = fenced(code, lang);
  if (language.prompt === 'zh') {
    const cut = fit.truncated ? `\n\n（代码过长，只给出了前 ${fit.keptLines} 行，共 ${fit.totalLines} 行。）` : '';
    return `请解释这段来自 \`${file}\` 的 ${lang} 代码：\n\n${block}${cut}`;
  }
  const cut = fit.truncated ? `\n\n(The code was too long: only the first ${fit.keptLines} of ${fit.totalLines} lines are shown.)` : '';
  return `Explain this ${lang} code from \`${file}\`:\n\n${block}${cut}`;
}

/** A fence longer than any backtick run inside the code, so the code cannot close it early. */
function fenced(code: string, lang: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${code}\n${fence}`;
}

interface FitResult { code: string; truncated: boolean; keptLines: number; totalLines: number }

function fitCode(raw: string, budget: number, count: (text: string) => number): FitResult {
  const code = raw.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const lines = code.split('\n');
  const totalLines = lines.length;
  if (count(code) <= budget) return { code, truncated: false, keptLines: totalLines, totalLines };
  // Largest prefix of whole lines that fits; counting is monotonic in the prefix, so bisect.
  const fits = (n: number) => count(lines.slice(0, n).join('\n')) <= budget;
  let lo = 0;
  let hi = totalLines - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return { code: lines.slice(0, lo).join('\n'), truncated: true, keptLines: lo, totalLines };
  // Not even the first line fits (minified code): keep as many of its characters as fit.
  const first = lines[0];
  let chars = 0;
  let top = first.length - 1;
  while (chars < top) {
    const mid = Math.ceil((chars + top) / 2);
    if (count(first.slice(0, mid)) <= budget) chars = mid;
    else top = mid - 1;
  }
  return { code: first.slice(0, chars), truncated: true, keptLines: 1, totalLines };
}
