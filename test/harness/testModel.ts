// The successor test model for the real-VS-Code layers. INKLING_TEST_MODEL overrides it (a folder
// you already have); otherwise test/support/testModels builds it once under .cache/test-models/.
import { ensureTestModel } from '../support/testModels';

export async function successorModel(): Promise<string> {
  return process.env.INKLING_TEST_MODEL || ensureTestModel('successor', 'fp32');
}
