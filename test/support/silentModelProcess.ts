// A model process that never answers what it is asked (tokenize, chatPrompt, and load when
// INKLING_SILENT_LOAD is set): what a process stuck in a native call or a hostile template looks
// like from the host, for the engine's deadline tests.
import type { FromModelProcess, ModelInfo, ToModelProcess } from '../../src/model/protocol';

const info: ModelInfo = { model: 'silent', dtype: 'fp32', device: 'cpu', specialTokens: [], modelType: 'qwen2', eosTokens: [], loadMs: 0 };

process.on('message', (message: ToModelProcess) => {
  if (message.type === 'load' && !process.env.INKLING_SILENT_LOAD) {
    // The special tokens carry what a test wants to know about this process's environment.
    const reply: FromModelProcess = { type: 'loaded', id: message.id, info: { ...info, model: message.options.model, specialTokens: [`ORT_DISABLE_TELEMETRY=${process.env.ORT_DISABLE_TELEMETRY ?? ''}`] } };
    process.send?.(reply);
  }
  if (message.type === 'dispose') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
