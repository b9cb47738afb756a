// The house map is enforced, not just drawn: for every arrow that must not exist, a file with such an
// import fails `npm run lint` (eslint with the project's own config), and an allowed arrow passes.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../../../tools/repoRoot';

interface Case {
  /** Where the (never written) file would live. */
  file: string;
  source: string;
  /** The rule that must object; undefined: lint must pass. */
  rule?: string;
}

const forbidden: Record<string, Case> = {
  'a pipeline reaching into the engine host': { file: 'src/completion/zone.ts', source: "import { EnginePort } from '../model/host/enginePort';\nexport const x = EnginePort;\n", rule: 'boundaries/dependencies' },
  'a pipeline reaching into the VS Code glue': { file: 'src/explain/zone.ts', source: "import { ExplainPanel } from '../provider/explain/explainPanel';\nexport const x = ExplainPanel;\n", rule: 'boundaries/dependencies' },
  'a pipeline reaching into the other pipeline': { file: 'src/explain/zone.ts', source: "import { buildPrompt } from '../completion/promptBuilder';\nexport const x = buildPrompt;\n", rule: 'boundaries/dependencies' },
  'the engine host reaching into a pipeline': { file: 'src/model/host/zone.ts', source: "import { buildPrompt } from '../../completion/promptBuilder';\nexport const x = buildPrompt;\n", rule: 'boundaries/dependencies' },
  'the engine host reaching into the glue': { file: 'src/model/host/zone.ts', source: "import { StatusBar } from '../../provider/status/statusBar';\nexport const x = StatusBar;\n", rule: 'boundaries/dependencies' },
  'the model process reaching into the host side': { file: 'src/model/process/zone.ts', source: "import { EngineError } from '../host/engineError';\nexport const x = EngineError;\n", rule: 'boundaries/dependencies' },
  'the model process reaching into settings': { file: 'src/model/process/zone.ts', source: "import { SETTINGS } from '../../settings/settingsTable';\nexport const x = SETTINGS;\n", rule: 'boundaries/dependencies' },
  'the glue skipping the host, straight into the model process': { file: 'src/provider/zone.ts', source: "import { KvCache } from '../model/process/kvCache';\nexport const x = KvCache;\n", rule: 'boundaries/dependencies' },
  'the CLI skipping the host, straight into the model process': { file: 'src/cli/zone.ts', source: "import { runGeneration } from '../model/process/decodeLoop';\nexport const x = runGeneration;\n", rule: 'boundaries/dependencies' },
  'the CLI reaching into the VS Code glue': { file: 'src/cli/zone.ts', source: "import { Configuration } from '../provider/configuration';\nexport const x = Configuration;\n", rule: 'boundaries/dependencies' },
  'settings reaching into a pipeline': { file: 'src/settings/zone.ts', source: "import { TEMPLATES } from '../completion/templates';\nexport const x = TEMPLATES;\n", rule: 'boundaries/dependencies' },
  'the webview page importing glue beyond its message types': { file: 'media/zone.ts', source: "import { renderMarkdown } from '../src/provider/explain/renderMarkdown';\nexport const x = renderMarkdown;\n", rule: 'boundaries/dependencies' },
  'product code importing a test': { file: 'src/completion/zone.ts', source: "import { startHub } from '../../test/support/hubServer';\nexport const x = startHub;\n", rule: 'boundaries/dependencies' },
  'a tool importing a test': { file: 'tools/bench/zone.ts', source: "import { startHub } from '../../test/support/hubServer';\nexport const x = startHub;\n", rule: 'boundaries/dependencies' },
  'the server backend reaching into the engine host': { file: 'src/model/server/zone.ts', source: "import { EngineError } from '../host/engineError';\nexport const x = EngineError;\n", rule: 'boundaries/dependencies' },
  'the server backend reaching into a pipeline': { file: 'src/model/server/zone.ts', source: "import { TEMPLATES } from '../../completion/templates';\nexport const x = TEMPLATES;\n", rule: 'boundaries/dependencies' },
  'the server backend reaching into the model process': { file: 'src/model/server/zone.ts', source: "import { TextStream } from '../process/textStream';\nexport const x = TextStream;\n", rule: 'boundaries/dependencies' },
  'vscode at run time in the server backend': { file: 'src/model/server/zone.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rule: '@typescript-eslint/no-restricted-imports' },
  'a file outside every room': { file: 'src/zone.ts', source: 'export const x = 1;\n', rule: 'boundaries/no-unknown-files' },
  'vscode at run time outside the glue': { file: 'src/completion/zone.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rule: '@typescript-eslint/no-restricted-imports' },
};

const permitted: Record<string, Case> = {
  'a pipeline using settings and the model contract': { file: 'src/completion/zone.ts', source: "import type { LoadedModel } from '../model/protocol';\nimport { SETTINGS } from '../settings/settingsTable';\nexport const x = SETTINGS;\nexport type M = LoadedModel;\n" },
  'the glue using the host, a pipeline and its webview messages': { file: 'src/provider/zone.ts', source: "import { EnginePort } from '../model/host/enginePort';\nimport { explain } from '../explain/explainSession';\nimport type { ToExplainWebview } from './explain/panelMessages';\nexport const x = [EnginePort, explain];\nexport type T = ToExplainWebview;\n" },
  'the engine host choosing the server backend': { file: 'src/model/host/zone.ts', source: "import { ServerBackend } from '../server/serverBackend';\nexport const x = ServerBackend;\n" },
  'the webview page using its message types': { file: 'media/zone.ts', source: "import type { ToExplainWebview } from '../src/provider/explain/panelMessages';\nexport type T = ToExplainWebview;\n" },
};

describe('the house map, enforced by lint', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: repoRoot() });
  });

  const rulesFor = async ({ file, source }: Case): Promise<string[]> => {
    const [result] = await eslint.lintText(source, { filePath: join(repoRoot(), file) });
    return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
  };

  for (const [what, example] of Object.entries(forbidden)) {
    it(`refuses ${what}`, async () => {
      assert.ok((await rulesFor(example)).includes(example.rule!), `no ${example.rule} error for ${example.file}`);
    });
  }
  for (const [what, example] of Object.entries(permitted)) {
    it(`allows ${what}`, async () => {
      assert.deepEqual(await rulesFor(example), []);
    });
  }
});
