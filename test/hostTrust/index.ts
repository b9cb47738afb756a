// The Restricted Mode suite's entry: the same runner as the main extension-host suite, over the
// *.test.js files next to it (test/harness/runHostTests.ts runs it with workspace trust on).
export { run } from '../host/index';
