// Everything the model process does, behind the message protocol. Loads and generations run one
// after another; `cancel` is handled at once and seen by the running generation between steps.
import type { FromModelProcess, GenerateRequest, LoadOptions, ToModelProcess, ChatMessage } from '../protocol';
import { runGeneration, type DecodingModel } from './decodeLoop';
import { KvCache } from './kvCache';
import { loadModel, type OnnxModel } from './modelLoader';
import { internalError, PayloadError } from './modelErrors';
import { renderChatTemplate } from './chatTemplate';
import { youngGenerationCollector } from './stepGarbage';

export class ModelProcessHandler {
  private loaded: OnnxModel | undefined;
  private readonly cache = new KvCache();
  /** Loads and generations, in arrival order. */
  private work: Promise<void> = Promise.resolve();
  /** The latest load; tokenizing waits for it but not for generations. */
  private loading: Promise<void> = Promise.resolve();
  private readonly waiting = new Set<number>();
  private readonly cancelled = new Set<number>();
  /** The load in progress, which a cancel (or dispose) aborts: its download stops and cleans up. */
  private activeLoad: { id: number; controller: AbortController; done: Promise<void> } | undefined;

  private readonly rendering = new Map<number, AbortController>();
  private readonly afterPass = youngGenerationCollector();

  constructor(
    private readonly send: (message: FromModelProcess) => void,
    private readonly log: (message: string) => void = () => undefined,
    /** dist/templateWorker.js; tests running this class in their own process name it. */
    private readonly templateWorker?: string,
  ) {}

  handle(message: ToModelProcess): void {
    switch (message.type) {
      case 'load':
        this.loading = this.enqueue(() => this.load(message.id, message.options));
        return;
      case 'generate': {
        this.waiting.add(message.id);
        // The host's send time on this clock: a forward pass holds this process's event loop, so the
        // message may have waited in the pipe, not only in the queue.
        const sentAt = performance.now() - (Date.now() - (message.sentAt ?? Date.now()));
        void this.enqueue(() => this.generate(message.id, message.request, sentAt, performance.now()));
        return;
      }
      case 'cancel':
        if (this.waiting.has(message.id)) this.cancelled.add(message.id);
        if (this.activeLoad?.id === message.id) this.activeLoad.controller.abort();
        this.rendering.get(message.id)?.abort();
        return;
      case 'tokenize':
        void this.afterLoad(message.id, 'counting tokens', (m) => {
          this.send({ type: 'tokenized', id: message.id, count: encode(m, message.text).length });
        });
        return;
      case 'chatPrompt': {
        // A cancel (Stop in the panel, or the host's deadline) ends the template's worker.
        const controller = new AbortController();
        this.rendering.set(message.id, controller);
        void this.afterLoad(message.id, 'building a chat prompt', async (m) => {
          this.send({ type: 'chatPrompted', id: message.id, prompt: await chatPrompt(m, message.messages, controller.signal, this.templateWorker) });
        }).finally(() => this.rendering.delete(message.id));
        return;
      }
      case 'dispose':
        void this.dispose();
        return;
    }
  }

  async dispose(): Promise<void> {
    // A download in progress stops first and removes its partial files.
    const load = this.activeLoad;
    if (load) {
      load.controller.abort();
      await load.done;
    }
    this.cache.clear();
    const loaded = this.loaded;
    this.loaded = undefined;
    await loaded?.model.dispose();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.work = this.work.then(task, task);
    return this.work;
  }

  private async load(id: number, options: LoadOptions): Promise<void> {
    await this.dispose();
    const controller = new AbortController();
    const done = loadModel(options, (progress) => this.send({ type: 'loadProgress', id, progress }), { signal: controller.signal, log: this.log }).then(
      (loaded) => {
        this.loaded = loaded;
        this.send({ type: 'loaded', id, info: loaded.info });
      },
      (error: unknown) => this.send({ type: 'error', id, error: internalError(error, `loading the model ${options.model}`) }),
    );
    this.activeLoad = { id, controller, done };
    try {
      await done;
    } finally {
      if (this.activeLoad?.id === id) this.activeLoad = undefined;
    }
  }

  private async generate(id: number, request: GenerateRequest, sentAt: number, receivedAt: number): Promise<void> {
    try {
      const loaded = this.requireModel();
      const result = await runGeneration({
        // transformers.js types forward() loosely; the loop relies on the logits and present.* it returns.
        model: loaded.model as unknown as DecodingModel,
        tokenizer: { encode: (text) => encode(loaded, text), decode: (ids) => loaded.tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) },
        eosIds: loaded.eosIds,
        cache: this.cache,
        receivedAt,
        sentAt,
        isCancelled: () => this.cancelled.has(id),
        onText: (text) => this.send({ type: 'token', id, text }),
        ...(loaded.info.contextLength ? { contextLength: loaded.info.contextLength } : {}),
        ...(this.afterPass ? { afterPass: this.afterPass } : {}),
      }, request);
      this.send({ type: 'done', id, result });
    } catch (error) {
      this.send({ type: 'error', id, error: internalError(error, 'generating text') });
    } finally {
      this.waiting.delete(id);
      this.cancelled.delete(id);
    }
  }

  private async afterLoad(id: number, what: string, reply: (loaded: OnnxModel) => void | Promise<void>): Promise<void> {
    await this.loading;
    try {
      await reply(this.requireModel());
    } catch (error) {
      this.send({ type: 'error', id, error: internalError(error, what) });
    }
  }

  private requireModel(): OnnxModel {
    if (!this.loaded) throw new PayloadError({ code: 'invalid-request', message: 'No model is loaded yet: load one before using it.' });
    return this.loaded;
  }
}

function encode(loaded: OnnxModel, text: string): number[] {
  // Prompts arrive complete, special tokens written out, so nothing is added around them.
  return loaded.tokenizer.encode(text, { add_special_tokens: false });
}

async function chatPrompt(loaded: OnnxModel, messages: ChatMessage[], signal: AbortSignal, workerFile: string | undefined): Promise<string> {
  const tokenizer = loaded.tokenizer as unknown as { get_chat_template?: () => unknown; chat_template?: unknown; config?: Record<string, unknown> };
  let template: unknown;
  try {
    // A tokenizer may keep several named templates; this picks the default one, as transformers.js does.
    template = tokenizer.get_chat_template?.() ?? tokenizer.chat_template;
  } catch {
    template = undefined;
  }
  if (typeof template !== 'string' || !template) {
    throw new PayloadError({
      code: 'invalid-request',
      message: `The model ${loaded.info.model} has no chat template, so it cannot be used for explanations; choose a chat or instruct model.`,
    });
  }
  return renderChatTemplate({ model: loaded.info.model, template, messages, specialTokens: specialTokensOf(tokenizer.config ?? {}) }, { signal, ...(workerFile ? { workerFile } : {}) });
}

/** The special tokens a template may name (bos_token, eos_token…), as transformers.js passes them. */
function specialTokensOf(config: Record<string, unknown>): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const key of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
    const value = config[key];
    const text = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { content?: unknown }).content : undefined;
    if (typeof text === 'string' && text) tokens[key] = text;
  }
  return tokens;
}
