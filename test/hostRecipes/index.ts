// The server-recipe suite's entry: the same runner as the main extension-host suite, over the
// *.test.js files next to it (test/harness/runRecipeTests.ts starts it with INKLING_RECIPE set).
export { run } from '../host/index';
