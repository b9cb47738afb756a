// The .vsix holds what Inkling needs at run time and little else, and code-server's Node 24 (the Node of
// its extension host) loads the shipped onnxruntime-node from the installed copy.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installExtension } from '../../tools/vscode/codeServer';
import { createProfile } from '../../tools/vscode/codeServerProfile';
import { successorModel } from '../harness/testModel';
import { locateTools } from '../../tools/vscode/installedTools';
import { packagedVsix } from '../harness/uiSession';
import type { CodeServerProfile } from '../../tools/vscode/codeServerProfile';
import type { Tools } from '../../tools/vscode/installedTools';

// scripts/package.sh targets the machine it runs on by default.
const platformDir = `${process.platform}/${process.arch}`;

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('Packaging: the installed .vsix', function () {
  this.timeout(120_000);
  let tools: Tools;
  let profile: CodeServerProfile;
  let installed: string;
  let files: string[];

  before(async () => {
    tools = locateTools();
    profile = createProfile();
    await installExtension(tools, profile, packagedVsix());
    const folders = readdirSync(profile.extensionsDir).filter((name) => name.startsWith('inkling-dev.inkling-'));
    assert.equal(folders.length, 1, `installed folders: ${readdirSync(profile.extensionsDir).join(', ')}`);
    installed = join(profile.extensionsDir, folders[0]);
    files = listFiles(installed);
  });

  after(() => {
    if (profile) rmSync(profile.root, { recursive: true, force: true });
  });

  it(`ships the bundles, the manifest and onnxruntime-node for ${platformDir}`, () => {
    const needed = [
      'package.json',
      'dist/extension.js',
      'dist/modelProcess.js',
      'dist/templateWorker.js',
      'dist/webview/explain.js',
      'media/explain.css',
      'dist/webview/statistics.js',
      'dist/webview/statistics.css',
      'media/statistics.css',
      'node_modules/onnxruntime-node/package.json',
      `node_modules/onnxruntime-node/bin/napi-v6/${platformDir}/onnxruntime_binding.node`,
      'node_modules/onnxruntime-common/package.json',
    ];
    for (const file of needed) {
      assert.ok(files.includes(file), `${file} is missing from the .vsix`);
    }
  });

  it("ships nothing else: no sources, tests, tools, source maps, other platforms' binaries or install-only packages", () => {
    const allowed = [
      /^(package\.json|package\.nls(\.[\w-]+)?\.json|readme\.md|README\.md|CHANGELOG\.md|LICENSE(\.\w+)?|\.vsixmanifest)$/,
      /^dist\/(extension|modelProcess|templateWorker|cli)\.js$/,
      /^dist\/webview\/\w+\.(js|css)$/,
      /^media\/[^/]+\.(css|png)$/,
      /^l10n\/[^/]+$/,
      /^node_modules\/onnxruntime-(node|common)\/package\.json$/,
      /^node_modules\/onnxruntime-node\/dist\/\w+\.js$/,
      /^node_modules\/onnxruntime-common\/dist\/cjs\/([\w-]+\.js|package\.json)$/,
      new RegExp(`^node_modules/onnxruntime-node/bin/napi-v6/${platformDir}/[^/]+$`),
    ];
    assert.deepEqual(files.filter((f) => f.endsWith('.map') || !allowed.some((pattern) => pattern.test(f))), []);
  });

  it("loads onnxruntime-node from the installed copy in code-server's Node 24 and opens the test model", async () => {
    const model = await successorModel();
    const onnxDir = join(model, 'onnx');
    const onnxFile = readdirSync(onnxDir).find((name) => name.endsWith('.onnx'));
    assert.ok(onnxFile, `no .onnx file in ${onnxDir}`);
    const script = [
      `const ort = require(${JSON.stringify(join(installed, 'node_modules', 'onnxruntime-node'))});`,
      `ort.InferenceSession.create(${JSON.stringify(join(onnxDir, onnxFile))})`,
      `  .then((s) => console.log(JSON.stringify({ node: process.version, inputs: s.inputNames })))`,
      `  .catch((e) => { console.error(e); process.exit(1); });`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(tools.node, ['-e', script], { env: profile.env });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { node: string; inputs: string[] };
    assert.match(result.node, /^v24\./);
    assert.ok(result.inputs.includes('input_ids'), `inputs: ${result.inputs.join(', ')}`);
  });
});
