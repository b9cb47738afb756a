// The default model's files on the hub (onnx-community/Qwen2.5-Coder-0.5B-Instruct, folder onnx/),
// from its public listing, in bytes (the listing's MB and GB are decimal). The bench-scripted kind
// mirrors them; a test holds its written files to within 10 % of these.
import type { WeightDtype } from './linearOps';

export const HUB_MODEL = 'onnx-community/Qwen2.5-Coder-0.5B-Instruct';

export const HUB_FILE_BYTES: Record<WeightDtype, Readonly<Record<string, number>>> = {
  fp32: { 'onnx/model.onnx': 567e6, 'onnx/model.onnx_data': 1.96e9 },
  q8: { 'onnx/model_quantized.onnx': 639e6 },
  q4: { 'onnx/model_q4.onnx': 862e6 },
};
