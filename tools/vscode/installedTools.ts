// Where the real-VS-Code tools and the test artifacts are. Versions live only in scripts/ensure-code-server.sh,
// which writes inkling-tools.json next to code-server; we read that instead of repeating them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';

export interface Tools {
  /** Node 24: code-server refuses the project's Node 20. */
  node: string;
  codeServerEntry: string;
  chromium: string;
  codeServerVersion: string;
}

/** Runs the (cached, idempotent) installer unless INKLING_CODE_SERVER already names its output folder. */
export function locateTools(repo: string = repoRoot()): Tools {
  let folder = process.env.INKLING_CODE_SERVER;
  if (!folder) {
    folder = execFileSync('bash', [join(repo, 'scripts', 'ensure-code-server.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }
  const tools = JSON.parse(readFileSync(join(folder, 'inkling-tools.json'), 'utf8')) as Tools;
  for (const file of [tools.node, tools.codeServerEntry, tools.chromium]) {
    if (!existsSync(file)) throw new Error(`Missing ${file}: run scripts/ensure-code-server.sh`);
  }
  announce(folder);
  return tools;
}

const announced = new Set<string>();

/** Says once per process which install a layer runs against, so a CI log shows the fresh one was used. */
function announce(folder: string): void {
  if (announced.has(folder)) return;
  announced.add(folder);
  console.log(`[tools] using code-server in ${folder}`);
}

/** `.test-artifacts/<parts>` under the repository: screenshots, logs, summaries. */
export function artifactPath(...parts: string[]): string {
  return join(repoRoot(), '.test-artifacts', ...parts);
}
