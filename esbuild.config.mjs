// Bundles the extension, the model process, the CLI, the model maker and the tests.
// onnxruntime-node stays external (native; it ships in the .vsix); sharp (image code we never use)
// is replaced by a stub so it is neither bundled nor loaded.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const stubSharp = {
  name: 'stub-sharp',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', 'onnxruntime-node', 'onnxruntime-common', 'mocha', 'playwright-core', '@vscode/test-electron', 'eslint'],
  plugins: [stubSharp],
  // transformers.js reads import.meta.url in its ESM build; give the CJS bundle a value for it.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' },
};

function listTs(dir, suffix) {
  let found = [];
  let names;
  try { names = readdirSync(dir); } catch { return found; }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found = found.concat(listTs(full, suffix));
    else if (full.endsWith(suffix)) found.push(full);
  }
  return found;
}

const targets = {
  extension: { entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  modelProcess: { entryPoints: { modelProcess: 'src/model/process/modelProcess.ts', templateWorker: 'src/model/process/templateWorker.ts' }, outdir: 'dist' },
  // Webview page scripts: browser code, typed and linted like the rest, bundled on their own.
  // A page script's imported CSS (the chart library's) lands beside it as dist/webview/<page>.css.
  webview: { entryPoints: { explain: 'media/explain.ts', statistics: 'media/statistics.ts' }, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022', minify: true, banner: {}, define: {}, plugins: [] },
  cli: { entryPoints: { cli: 'src/cli/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } },
  mutation: { entryPoints: { mutation: 'tools/mutation/main.ts' }, outdir: 'out/tools' },
  makeModel: { entryPoints: { makeModel: 'tools/makeModel/main.ts' }, outdir: 'dist' },
  settingsFiles: { entryPoints: { settingsFiles: 'tools/settingsFiles.ts' }, outdir: 'out/tools' },
  // Tests, and the tools run from out/ (benchmarks, the llama.cpp anchor, the model cache) with their tests.
  tests: {
    entryPoints: [
      ...listTs('test', '.ts'),
      ...listTs('tools/bench', '.ts'),
      ...listTs('tools/anchor', '.ts'),
      ...listTs('tools/makeModel/test', '.ts'),
      'tools/makeModel/modelCache.ts',
    ].filter((f) => !f.endsWith('.d.ts')),
    outdir: 'out',
    outbase: '.',
  },
};

const selected = Object.entries(targets).filter(([name, t]) => {
  if (only && !only.split(',').includes(name)) return false;
  const entries = Array.isArray(t.entryPoints) ? t.entryPoints : Object.values(t.entryPoints);
  return entries.length > 0 && entries.every((e) => { try { return statSync(e).isFile(); } catch { return false; } });
});

const contexts = await Promise.all(selected.map(([, t]) => esbuild.context({ ...common, ...t })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
