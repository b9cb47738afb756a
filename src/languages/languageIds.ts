// VS Code language ids for file extensions, so the CLI builds the same prompts the editor does.
import * as path from 'node:path';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.py': 'python', '.pyi': 'python', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact', '.java': 'java', '.kt': 'kotlin',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.cs': 'csharp', '.go': 'go', '.rs': 'rust',
  '.rb': 'ruby', '.php': 'php', '.swift': 'swift', '.scala': 'scala', '.lua': 'lua', '.sh': 'shellscript', '.bash': 'shellscript',
  '.sql': 'sql', '.html': 'html', '.htm': 'html', '.css': 'css', '.scss': 'scss', '.less': 'less', '.json': 'json', '.jsonc': 'jsonc',
  '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml', '.md': 'markdown', '.txt': 'plaintext', '.r': 'r', '.dart': 'dart',
  '.vue': 'vue', '.svelte': 'svelte', '.hs': 'haskell', '.ex': 'elixir', '.exs': 'elixir', '.erl': 'erlang', '.clj': 'clojure',
  '.jl': 'julia', '.pl': 'perl', '.ps1': 'powershell', '.zig': 'zig', '.xml': 'xml',
};

export function languageIdForPath(file: string): string {
  const base = path.basename(file).toLowerCase();
  if (base === 'dockerfile') return 'dockerfile';
  if (base === 'makefile') return 'makefile';
  return BY_EXTENSION[path.extname(base)] ?? 'plaintext';
}
