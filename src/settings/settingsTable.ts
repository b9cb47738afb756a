// Every Inkling setting, defined once: key, default, allowed range, scope and description.
// package.json's contributes.configuration, package.nls.json's English and the README's table are
// generated from it (`npm run generate:settings`); a unit test fails when any of them drifts.

/** Where VS Code lets a setting be set; `language-overridable` also allows "[python]": {…}. */
export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource' | 'language-overridable';

interface Base<T> {
  default: T;
  markdownDescription: string;
  /** `resource` when absent. */
  scope?: SettingScope;
}
export interface NumberSpec extends Base<number> { type: 'number' | 'integer'; minimum: number; maximum: number }
export interface BooleanSpec extends Base<boolean> { type: 'boolean' }
export interface StringSpec extends Base<string> { type: 'string'; maxLength?: number }
export interface EnumSpec extends Base<string> { type: 'enum'; values: readonly string[]; enumDescriptions?: readonly string[] }
export interface BooleanMapSpec extends Base<Record<string, boolean>> { type: 'booleanMap' }
export type SettingSpec = NumberSpec | BooleanSpec | StringSpec | EnumSpec | BooleanMapSpec;

const sampling = (what: string, d: { temperature: number; topP: number; topK: number; maxNewTokens: number; repetitionPenalty: number }) => ({
  temperature: { type: 'number', default: d.temperature, minimum: 0, maximum: 2, scope: 'language-overridable',
    markdownDescription: `Sampling temperature for ${what}. \`0\` is greedy decoding (always the most likely token); higher values give more varied text. Range 0–2.` },
  topP: { type: 'number', default: d.topP, minimum: 0.01, maximum: 1, scope: 'language-overridable',
    markdownDescription: `Nucleus sampling for ${what}: sample only from the most likely tokens whose probabilities add up to this value. \`1\` disables it. Ignored when temperature is 0.` },
  topK: { type: 'integer', default: d.topK, minimum: 0, maximum: 1000, scope: 'language-overridable',
    markdownDescription: `Sample ${what} only from this many most likely tokens. \`0\` disables it. Ignored when temperature is 0.` },
  maxNewTokens: { type: 'integer', default: d.maxNewTokens, minimum: 1, maximum: 4096, scope: 'language-overridable',
    markdownDescription: `The most tokens the model may generate for ${what}.` },
  repetitionPenalty: { type: 'number', default: d.repetitionPenalty, minimum: 1, maximum: 2, scope: 'language-overridable',
    markdownDescription: `Penalty for tokens already in the prompt or output, for ${what}. \`1\` disables it; 1.05–1.2 curbs loops.` },
} satisfies Record<string, SettingSpec>);

const completionSampling = sampling('inline completions', { temperature: 0.1, topP: 0.95, topK: 40, maxNewTokens: 96, repetitionPenalty: 1 });
const explainSampling = sampling('explanations', { temperature: 0.7, topP: 0.95, topK: 50, maxNewTokens: 512, repetitionPenalty: 1.05 });

// What runs, from where and on what (a model, a folder, a URL, a provider) is `machine`: set by the
// user for this machine, never by a workspace, so a cloned repository cannot choose it.
export const SETTINGS = {
  'model.id': { type: 'string', scope: 'machine', default: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', maxLength: 1024,
    markdownDescription: 'The model Inkling runs: a Hugging Face repo id in the transformers.js layout (e.g. `onnx-community/Qwen2.5-Coder-1.5B`), downloaded once into the extension\'s storage, or an absolute path to a local model folder holding `config.json`, `tokenizer.json` and `onnx/*.onnx`.' },
  'model.dtype': { type: 'enum', scope: 'machine', default: 'q8', values: ['fp32', 'fp16', 'q8', 'q4'],
    enumDescriptions: ['Full precision: largest and slowest.', 'Half precision weights.', '8-bit weights: the best latency on most CPUs.', '4-bit weights: faster decoding, but about twice q8\'s prompt time.'],
    markdownDescription: 'Which weight file of the model to load (`onnx/model.onnx`, `model_fp16.onnx`, `model_quantized.onnx` or `model_q4.onnx`). A downloaded q8 or q4 file also gets a tuned copy of about its size beside it (`onnx/model-tuned_quantized.onnx` or `onnx/model-tuned_q4.onnx`, with its `…onnx_data`), made once: the same weights, with logits computed only for the positions read (prompts ~1.6× faster), kept in a data file (loads faster in about half the memory) and, at q4, int8 compute.' },
  'model.device': { type: 'enum', scope: 'machine', default: 'cpu', values: ['cpu', 'cuda', 'dml'],
    enumDescriptions: ['The CPU (works everywhere).', 'An NVIDIA GPU through CUDA (Linux x64, needs the CUDA runtime).', 'DirectML (Windows).'],
    markdownDescription: 'Where the model runs. A provider onnxruntime does not offer on this platform falls back to the CPU with a warning; one that fails to start (missing drivers) gives a clear error, never a crash.' },
  'model.threads': { type: 'integer', scope: 'machine', default: 0, minimum: 0, maximum: 64,
    markdownDescription: 'CPU threads for the model. `0` lets onnxruntime choose (one per core).' },
  'model.hubUrl': { type: 'string', scope: 'machine', default: '', maxLength: 1024,
    markdownDescription: 'Base URL of the model hub or a mirror of it. Empty means `https://huggingface.co/`.' },
  'completion.enabled': { type: 'boolean', default: true,
    markdownDescription: 'Show inline completions (ghost text) while typing.' },
  'completion.languages': { type: 'booleanMap', default: { plaintext: false, markdown: false, scminput: false },
    markdownDescription: 'Turn inline completions on or off per language id, e.g. `{ "markdown": true, "json": false }`. Languages not listed are on.' },
  'completion.promptTemplate': { type: 'enum', default: 'auto', values: ['auto', 'qwen', 'starcoder', 'deepseek', 'codellama', 'codegemma', 'leftToRight'],
    markdownDescription: 'The fill-in-the-middle prompt format. `auto` detects it from the model\'s tokenizer; `leftToRight` sends only the code before the cursor (for models that cannot infill).' },
  'completion.contextTokens': { type: 'integer', default: 512, minimum: 64, maximum: 32768,
    markdownDescription: 'Token budget for the code around the cursor (prefix, suffix and snippets from other open editors). Smaller is faster on a CPU.' },
  'completion.useOpenEditors': { type: 'boolean', default: true,
    markdownDescription: 'Add snippets from other open editors that resemble the code around the cursor, within the token budget.' },
  'completion.debounceMs': { type: 'integer', default: 100, minimum: 0, maximum: 5000,
    markdownDescription: 'The longest typing must pause, in milliseconds, before a completion is requested. Inkling waits less when the model answers quickly: about its recent time to first token, at least 40 ms.' },
  'completion.multiline': { type: 'enum', default: 'auto', values: ['auto', 'always', 'never'],
    enumDescriptions: ['Several lines after a block opener or on an empty line in a block; one line elsewhere.', 'Always allow several lines.', 'Always one line.'],
    markdownDescription: 'When a completion may span several lines.' },
  'completion.maxLines': { type: 'integer', default: 16, minimum: 1, maximum: 500,
    markdownDescription: 'The most lines one completion may have.' },
  ...prefixKeys('completion', completionSampling),
  'explain.model': { type: 'string', scope: 'machine', default: '', maxLength: 1024,
    markdownDescription: 'The model for **Explain Selection**: a repo id or a local folder, as `#inkling.model.id#`. Empty uses the completion model.' },
  'explain.language': { type: 'string', default: 'auto', maxLength: 32,
    markdownDescription: 'The language explanations are written in: `auto` follows VS Code\'s display language, or a locale such as `en` or `zh-cn`.' },
  'explain.maxInputTokens': { type: 'integer', default: 2048, minimum: 64, maximum: 32768,
    markdownDescription: 'The most tokens of selected code sent to the model; a longer selection is cut and the panel says so.' },
  ...prefixKeys('explain', explainSampling),
  // Where code goes is the user's choice alone: machine scope, so a workspace's settings (a cloned
  // repository) cannot switch the backend or point it at a server of its choosing.
  backend: { type: 'enum', scope: 'machine', default: 'local', values: ['local', 'server'],
    enumDescriptions: ['The model runs inside VS Code, on this machine (nothing leaves it).', 'An inference server you run (vLLM, TGI, llama.cpp server, Ollama) answers over the OpenAI-compatible API: your code is sent to it.'],
    markdownDescription: 'Where completions and explanations come from. `server` sends the prompts to `#inkling.server.url#` (set its API key with **Inkling: Set Server API Key**); `local` runs `#inkling.model.id#` inside VS Code.' },
  'server.url': { type: 'string', scope: 'machine', default: '', maxLength: 1024,
    markdownDescription: 'Base URL of the inference server for `#inkling.backend#` `server`, e.g. `http://gpu-box:8000` (a trailing `/v1` is fine). Inkling calls its `/v1/completions` and `/v1/chat/completions`.' },
  'server.model': { type: 'string', scope: 'machine', default: '', maxLength: 256,
    markdownDescription: 'The model name the server serves, as its `/v1/models` lists it (vLLM `--served-model-name`, an Ollama tag). Explanations use `/v1/chat/completions` when the name says `instruct`, `chat` or `it`, else the plain prompt through `/v1/completions`.' },
  'server.promptTemplate': { type: 'enum', scope: 'machine', default: 'auto', values: ['auto', 'qwen', 'starcoder', 'deepseek', 'codellama', 'codegemma', 'leftToRight'],
    markdownDescription: 'The fill-in-the-middle format of the served model. `auto` tells it from `#inkling.server.model#` (Qwen2.5-Coder, StarCoder, DeepSeek-Coder, Code Llama, CodeGemma); `leftToRight` sends only the code before the cursor.' },
  'statistics.enabled': { type: 'boolean', scope: 'application', default: true,
    markdownDescription: 'Record how Inkling is doing (acceptance, latency, speed: numbers, language ids and model names, never code) in the extension\'s storage on this machine, for *Inkling: Show Statistics*. Nothing is ever sent anywhere.' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

function prefixKeys<P extends string, T extends Record<string, SettingSpec>>(prefix: P, specs: T): { [K in keyof T & string as `${P}.${K}`]: T[K] } {
  return Object.fromEntries(Object.entries(specs).map(([k, v]) => [`${prefix}.${k}`, v])) as never;
}
