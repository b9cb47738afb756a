// The benchmarks' model folder as a user's download of it would be: a q4 model gets the
// int8-compute copy the model cache makes for downloaded q4 models (src/model/process/int8Compute/),
// so every load of the folder opens the copy, as the extension does.
import { makeInt8ComputeCopy } from '../../src/model/process/int8Compute/int8ComputeCopy';
import { ensureTestModel, type TestModelDtype, type TestModelKind } from '../makeModel/modelCache';

export async function benchModelFolder(kind: TestModelKind, dtype: TestModelDtype): Promise<string> {
  const folder = await ensureTestModel(kind, dtype);
  if (dtype === 'q4') await makeInt8ComputeCopy(folder, dtype, { log: (message) => console.error(message) });
  return folder;
}
