// Turns model output (untrusted) into HTML the explanation webview can show as is: raw HTML is
// escaped, only http/https/mailto links survive, images become links (the webview loads nothing
// remote), inline styles become classes (the CSP has no 'unsafe-inline'), and the size is bounded.
// It is re-run on the whole accumulated text while streaming, so half-written markdown must be fine.
import MarkdownIt from 'markdown-it';

export interface RenderOptions {
  /** Shown when the text was too long to render in full (the panel passes a localized string). */
  truncatedNote?: string;
}

const MAX_INPUT_CHARS = 100_000;
const MAX_HTML_CHARS = 512 * 1024;
const MAX_TABLE_ROWS = 200;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const DEFAULT_NOTE = 'The rest is too long to show here.';

type Token = MarkdownIt.Token;
type RenderEnv = MarkdownIt.Env & { truncated: boolean };

const md = createMarkdownRenderer();

export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  const env: RenderEnv = { truncated: false };
  let source = text;
  if (source.length > MAX_INPUT_CHARS) {
    const cut = source.lastIndexOf('\n', MAX_INPUT_CHARS);
    source = source.slice(0, cut > 0 ? cut : MAX_INPUT_CHARS);
    env.truncated = true;
  }
  let html: string;
  try {
    html = renderBounded(md.parse(source, env), env);
  } catch {
    // markdown-it should not throw, but if it does the text is still worth showing.
    html = `<pre class="plain-text">${md.utils.escapeHtml(source.slice(0, MAX_HTML_CHARS / 8))}</pre>\n`;
    env.truncated = source.length > MAX_HTML_CHARS / 8;
  }
  if (!env.truncated) return html;
  return `${html}<p class="render-note">${md.utils.escapeHtml(options.truncatedNote ?? DEFAULT_NOTE)}</p>\n`;
}

/** Renders top-level blocks in order until the next one would pass the size cap. */
function renderBounded(tokens: Token[], env: RenderEnv): string {
  let html = '';
  let blockStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].level !== 0 || tokens[i].nesting === 1) continue;
    const block = md.renderer.render(tokens.slice(blockStart, i + 1), md.options, env);
    if (html.length + block.length > MAX_HTML_CHARS) {
      env.truncated = true;
      break;
    }
    html += block;
    blockStart = i + 1;
  }
  return html;
}

/** Inkling's configured markdown-it; exported so tests can check each safety layer on its own. */
export function createMarkdownRenderer(): MarkdownIt.MarkdownIt {
  const renderer = new MarkdownIt('default', { html: false, linkify: false, typographer: false, maxNesting: 20 });
  // Links and images that fail this stay as literal text.
  renderer.validateLink = (url: string) => SAFE_URL.test(url.trim());
  renderer.core.ruler.after('block', 'inkling_cap_tables', (state) => {
    state.tokens = capTableRows(state.tokens, state.env as RenderEnv);
  });
  const rules = renderer.renderer.rules;
  const escape = renderer.utils.escapeHtml;

  rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    if (!SAFE_URL.test(attrOf(token, 'href'))) token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');
    return self.renderToken(tokens, idx, options);
  };
  rules.image = (tokens, idx) => {
    const src = attrOf(tokens[idx], 'src');
    const label = escape(tokens[idx].content || src);
    if (!SAFE_URL.test(src)) return `<span class="image-link">${label}</span>`;
    return `<a class="image-link" href="${escape(src)}" title="${escape(src)}">${label}</a>`;
  };
  rules.fence = (tokens, idx) => {
    const lang = fenceLanguage(tokens[idx].info);
    const attrs = lang ? ` class="language-${lang}" data-lang="${lang}"` : '';
    return `<pre class="code-block"><code${attrs}>${escape(tokens[idx].content)}</code></pre>\n`;
  };
  rules.code_block = (tokens, idx) => `<pre class="code-block"><code>${escape(tokens[idx].content)}</code></pre>\n`;
  // Table alignment arrives as style="text-align:…", which the webview's CSP would block.
  for (const name of ['th_open', 'td_open']) {
    rules[name] = (tokens, idx, options, _env, self) => {
      const token = tokens[idx];
      const align = /text-align:\s*(left|right|center)/.exec(attrOf(token, 'style'))?.[1];
      token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== 'style');
      if (align) token.attrJoin('class', `align-${align}`);
      return self.renderToken(tokens, idx, options);
    };
  }
  return renderer;
}

function attrOf(token: Token, name: string): string {
  return String(token.attrGet(name) ?? '');
}

/** A fence's info string becomes a class name only when it looks like a language id. */
function fenceLanguage(info: string): string {
  const word = info.trim().split(/\s+/)[0].toLowerCase();
  return /^[a-z0-9_+#.-]{1,32}$/.test(word) ? word : '';
}

/** Drops body rows past the cap before inline parsing, so a huge table costs little. */
function capTableRows(tokens: Token[], env: RenderEnv): Token[] {
  const kept: Token[] = [];
  let rows = 0;
  let inBody = false;
  let skipping = false;
  for (const token of tokens) {
    if (token.type === 'tbody_open') { inBody = true; rows = 0; }
    if (token.type === 'tbody_close') { inBody = false; skipping = false; }
    if (inBody && token.type === 'tr_open' && ++rows > MAX_TABLE_ROWS) {
      skipping = true;
      env.truncated = true;
    }
    if (!skipping) kept.push(token);
  }
  return kept;
}
