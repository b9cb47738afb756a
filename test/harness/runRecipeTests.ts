// `npm run test:recipes`: the README's llama.cpp server recipe run for real. llama.cpp's own
// llama-server (built once from the llama.cpp source node-llama-cpp ships, tools/anchor/llamaServer.ts)
// serves the successor test model as a GGUF (tools/anchor/successorGguf.ts), started with the
// README's command line — only the model file, host and port changed — and Inkling in code-server
// is set up with the README's settings and key (test/hostRecipes/). Not part of `npm test`: the
// first run builds llama.cpp (~10 minutes on two cores).
//   node out/test/harness/runRecipeTests.js [summary.json]
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureLlamaServer } from '../../tools/anchor/llamaServer';
import { SUCCESSOR_GGUF_VERSION, writeSuccessorGguf } from '../../tools/anchor/successorGguf';
import { repoRoot } from '../../tools/repoRoot';
import { artifactPath } from '../../tools/vscode/installedTools';
import { freePort } from '../support/freePort';
import { readmeRecipe, withFlags } from '../support/readmeRecipes';
import type { RecipeRun } from '../support/readmeRecipes';
import { runInCodeServer } from './codeServerSuite';
import { failure, finishRun } from './mochaRun';
import type { TestSummary } from './mochaRun';
import { successorModel } from './testModel';

async function llamaCppRecipe(repo: string): Promise<RecipeRun> {
  const recipe = readmeRecipe(readFileSync(join(repo, 'README.md'), 'utf8'), 'llama.cpp server');
  if (recipe.command[0] !== 'llama-server') throw new Error(`The README's llama.cpp recipe does not start llama-server: ${recipe.command.join(' ')}`);
  const binary = ensureLlamaServer((line) => console.log(`[recipes] ${line}`));
  const folder = join(repo, '.cache', 'llama-server');
  mkdirSync(folder, { recursive: true });
  const gguf = join(folder, `successor-v${SUCCESSOR_GGUF_VERSION}.gguf`);
  writeSuccessorGguf(gguf);
  const port = await freePort();
  const url = new URL(recipe.settings['inkling.server.url'] ?? '');
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    engine: recipe.engine,
    command: [binary, ...withFlags(recipe.command, { '-m': gguf, '--host': '127.0.0.1', '--port': String(port) }).slice(1)],
    settings: { ...recipe.settings, 'inkling.server.url': url.href.replace(/\/$/, '') },
    ...(recipe.apiKey ? { apiKey: recipe.apiKey } : {}),
  };
}

async function main(): Promise<void> {
  const repo = repoRoot();
  const summaryPath = resolve(process.argv[2] ?? artifactPath('results', 'recipes.json'));
  const work = mkdtempSync(join(tmpdir(), 'inkling-recipes-'));
  let summary: TestSummary;
  try {
    const run = await llamaCppRecipe(repo);
    console.log(`[recipes] ${run.engine}: ${run.command.join(' ')}`);
    summary = await runInCodeServer(repo, await successorModel(), join(work, 'recipes-results.json'), work, {
      suite: 'hostRecipes',
      env: { INKLING_RECIPE: JSON.stringify(run) },
    });
  } catch (error) {
    summary = failure('recipe run', error);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  finishRun(summaryPath, summary, 'recipes');
}

void main();
