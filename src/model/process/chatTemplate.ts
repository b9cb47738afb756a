// A model's chat template is code from the model's repository: it is rendered in a worker thread with
// a time limit and a memory limit, and its output is capped, so a hostile or broken template can
// neither hang the model process nor fill its memory. Each outcome is a sentence a user can act on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChatMessage } from '../protocol';
import { PayloadError } from './modelErrors';
import type { TemplateJob, TemplateOutcome } from './templateWorker';

export interface TemplateLimits {
  timeMs: number;
  /** The longest prompt a template may produce. */
  maxChars: number;
  heapMb: number;
}

export const TEMPLATE_LIMITS: TemplateLimits = { timeMs: 5_000, maxChars: 1_000_000, heapMb: 256 };

/** Where the worker's bundle lives: beside the model process's own (dist/). */
export function defaultTemplateWorker(): string {
  return join(__dirname, 'templateWorker.js');
}

export interface ChatTemplateInput {
  model: string;
  template: string;
  messages: ChatMessage[];
  /** bos_token, eos_token… as the tokenizer config names them (the template may use them). */
  specialTokens: Record<string, string>;
}

export async function renderChatTemplate(input: ChatTemplateInput, options: { workerFile?: string; limits?: TemplateLimits; signal?: AbortSignal } = {}): Promise<string> {
  const limits = options.limits ?? TEMPLATE_LIMITS;
  const workerFile = options.workerFile ?? defaultTemplateWorker();
  if (!existsSync(workerFile)) throw new Error(`the chat template worker ${workerFile} is missing`);
  const job: TemplateJob = {
    template: input.template,
    context: { messages: input.messages, add_generation_prompt: true, ...input.specialTokens },
    maxChars: limits.maxChars,
  };
  const worker = new Worker(workerFile, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 } });
  const unusable = (why: string) => new PayloadError({
    code: 'invalid-request',
    message: `The chat template of the model ${input.model} ${why}, so it cannot be used for explanations; choose another model for inkling.explain.model.`,
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(unusable(`did not finish within ${limits.timeMs / 1000} s`)), limits.timeMs);
      const onAbort = () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      worker.once('message', (outcome: TemplateOutcome) => {
        settle();
        if (outcome.ok) resolve(outcome.prompt);
        else reject(unusable(outcome.tooLong ? `produced a prompt of ${outcome.error}, more than the ${limits.maxChars.toLocaleString('en')} allowed` : `failed: ${outcome.error}`));
      });
      worker.once('error', (error: Error & { code?: string }) => {
        settle();
        reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? unusable(`needed more than ${limits.heapMb} MB to render`) : unusable(`failed: ${error.message}`));
      });
    });
  } finally {
    void worker.terminate();
  }
}
