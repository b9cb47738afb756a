// Renders one chat template in a worker thread (bundled to dist/templateWorker.js), so that a
// template that loops or grows without end can be stopped: the thread has its own heap limit and is
// terminated when it runs too long. Pure JavaScript runs here, never onnxruntime, so ending it is safe.
import { parentPort, workerData } from 'node:worker_threads';
import { Template } from '@huggingface/jinja';

export interface TemplateJob {
  template: string;
  context: Record<string, unknown>;
  maxChars: number;
}

export type TemplateOutcome = { ok: true; prompt: string } | { ok: false; error: string; tooLong?: boolean };

function render(job: TemplateJob): TemplateOutcome {
  try {
    const prompt = new Template(job.template).render(job.context);
    if (prompt.length > job.maxChars) return { ok: false, tooLong: true, error: `${prompt.length} characters` };
    return { ok: true, prompt };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) parentPort.postMessage(render(workerData as TemplateJob));
