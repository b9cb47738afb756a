// A local model's answer to a conversation: its own chat template renders the messages, then the
// usual generation runs on that prompt (a server model sends the messages to the server instead).
import type { ChatMessage, ChatRequest, GenerateHandlers, GenerateResult, LoadedModel } from '../protocol';
import { EngineError } from './engineError';

export type GenerateChat = (messages: ChatMessage[], request: ChatRequest, handlers?: GenerateHandlers) => Promise<GenerateResult>;

export function chatThroughTemplate(model: Pick<LoadedModel, 'chatPrompt' | 'generate'>): GenerateChat {
  return async (messages, request, handlers) => {
    const prompt = await model.chatPrompt(messages, handlers?.signal);
    if (prompt === undefined) throw new EngineError('invalid-request', 'This model renders no chat prompt: send the messages with generateChat.');
    return model.generate({ ...request, prompt }, handlers);
  };
}
