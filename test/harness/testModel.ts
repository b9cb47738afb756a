// The successor test model for the real-VS-Code layers. INKLING_TEST_MODEL overrides it (a folder
// you already have); otherwise tools/makeModel/modelCache builds it once under .cache/test-models/.
import { ensureTestModel } from '../../tools/makeModel/modelCache';

export async function successorModel(): Promise<string> {
  return process.env.INKLING_TEST_MODEL || ensureTestModel('successor', 'fp32');
}
