// The README's four server recipes read as a user reads them: a command that starts the engine, the
// three settings, a key where the engine checks one, and a URL that points at the port the command
// opens. The llama.cpp recipe is also run for real by `npm run test:recipes` (test/hostRecipes/).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagValue, readmeRecipe, withFlags } from '../../support/readmeRecipes';
import { repoRoot } from '../../../tools/repoRoot';

const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

describe('README server recipes', () => {
  const port = (url: string | undefined) => new URL(url ?? 'about:blank').port;

  it('each of the four engines gives a start command, the three settings and a URL on the port it opens', () => {
    const opened: Record<string, (command: string[]) => string | undefined> = {
      vLLM: (c) => flagValue(c, '--port'),
      TGI: (c) => flagValue(c, '-p')?.split(':')[0],
      'llama.cpp server': (c) => flagValue(c, '--port'),
      Ollama: (c) => c.find((w) => w.startsWith('OLLAMA_HOST='))?.split(':').at(-1),
    };
    for (const [engine, portOf] of Object.entries(opened)) {
      const recipe = readmeRecipe(readme, engine);
      assert.deepEqual(Object.keys(recipe.settings).sort(), ['inkling.backend', 'inkling.server.model', 'inkling.server.url'], engine);
      assert.equal(recipe.settings['inkling.backend'], 'server', engine);
      assert.ok(recipe.settings['inkling.server.model'], `${engine}: no model name`);
      assert.equal(port(recipe.settings['inkling.server.url']), portOf(recipe.command), `${engine}: the URL's port is not the one the command opens`);
    }
  });

  it('the key a recipe sets is the one its command makes the engine check', () => {
    for (const engine of ['vLLM', 'llama.cpp server']) {
      const recipe = readmeRecipe(readme, engine);
      assert.ok(recipe.apiKey, `${engine}: no key`);
      assert.equal(flagValue(recipe.command, '--api-key'), recipe.apiKey, engine);
    }
    assert.equal(readmeRecipe(readme, 'Ollama').apiKey, undefined);
  });

  it('the llama.cpp recipe is the llama-server command with a model, host, port and key', () => {
    const recipe = readmeRecipe(readme, 'llama.cpp server');
    assert.equal(recipe.command[0], 'llama-server');
    for (const flag of ['-m', '--host', '--port', '--api-key']) assert.ok(flagValue(recipe.command, flag), `no ${flag}`);
    assert.equal(recipe.settings['inkling.server.model'], 'qwen2.5-coder-1.5b');
  });

  it('parses a block continued over lines, several settings lines and a key, and rewrites flags', () => {
    const text = [
      'Intro.', '', 'Engine X (a note):', '', '```bash', 'prepare --thing', 'serve --port 9 \\', '  --key k1', '```',
      '`"inkling.backend": "server"`, `"inkling.server.url": "http://h:9"`,', '`"inkling.server.model": "m"`, then *Set Server API Key* → `k1`.', '', 'Next.',
    ].join('\n');
    const recipe = readmeRecipe(text, 'Engine X');
    assert.deepEqual(recipe.command, ['serve', '--port', '9', '--key', 'k1']);
    assert.deepEqual(recipe.settings, { 'inkling.backend': 'server', 'inkling.server.url': 'http://h:9', 'inkling.server.model': 'm' });
    assert.equal(recipe.apiKey, 'k1');
    assert.deepEqual(withFlags(recipe.command, { '--port': '10' }), ['serve', '--port', '10', '--key', 'k1']);
    assert.throws(() => withFlags(recipe.command, { '--host': 'x' }), /no --host value/);
    assert.throws(() => readmeRecipe(text, 'Engine Y'), /no paragraph starting "Engine Y \("/);
  });
});
