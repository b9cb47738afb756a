// The benchmarks' model folder as a user's download of it would be: it gets the tuned copy the model
// cache makes for downloaded q8 and q4 models (src/model/process/tunedCopy/), so every load of the
// folder opens the copy, as the extension does.
import { makeTunedCopy } from '../../src/model/process/tunedCopy/tunedCopy';
import { ensureTestModel, type TestModelDtype, type TestModelKind } from '../makeModel/modelCache';

export async function benchModelFolder(kind: TestModelKind, dtype: TestModelDtype): Promise<string> {
  const folder = await ensureTestModel(kind, dtype);
  await makeTunedCopy(folder, dtype, { log: (message) => console.error(message) });
  return folder;
}
