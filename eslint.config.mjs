// Lint keeps the house map true (README, "How it works"): every file sits in one room, and an import
// may only point down the map. The arrows that must never exist — a pipeline or the engine reaching
// into the VS Code glue, the engine into a pipeline, the model process into the host side — and any
// room skipping the one below it (glue or CLI straight into the model process) fail `npm run lint`.
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** The rooms, most specific first (a file belongs to the first pattern it matches). */
const rooms = [
  { type: 'webview-messages', pattern: 'src/provider/*/*Messages.ts' },
  { type: 'base', pattern: 'src/base/**' },
  { type: 'model-contract', pattern: ['src/model/protocol.ts', 'src/model/modelSource.ts'] },
  { type: 'model-cache', pattern: 'src/model/cache/**' },
  { type: 'model-process', pattern: 'src/model/process/**' },
  { type: 'model-server', pattern: 'src/model/server/**' },
  { type: 'model-host', pattern: 'src/model/host/**' },
  { type: 'settings', pattern: 'src/settings/**' },
  { type: 'languages', pattern: 'src/languages/**' },
  { type: 'completion', pattern: 'src/completion/**' },
  { type: 'explain', pattern: 'src/explain/**' },
  { type: 'statistics', pattern: 'src/statistics/**' },
  { type: 'glue', pattern: 'src/provider/**' },
  { type: 'front', pattern: 'src/extension.ts' },
  { type: 'cli', pattern: 'src/cli/**' },
  { type: 'webview', pattern: 'media/**' },
  { type: 'tools', pattern: 'tools/**' },
  { type: 'tests', pattern: 'test/**' },
];

/** Who may import whom. Anything not listed is refused. */
const allowed = {
  base: [],
  'model-contract': ['base'],
  'model-cache': ['model-contract', 'base'],
  'model-process': ['model-cache', 'model-contract', 'base'],
  'model-server': ['model-contract', 'settings', 'base'],
  'model-host': ['model-server', 'model-cache', 'model-contract', 'settings', 'base'],
  settings: ['model-contract', 'base'],
  languages: ['base'],
  completion: ['model-contract', 'settings', 'languages', 'base'],
  explain: ['model-contract', 'settings', 'languages', 'base'],
  statistics: ['model-contract', 'settings', 'base'],
  'webview-messages': ['model-contract', 'statistics'],
  glue: ['webview-messages', 'completion', 'explain', 'statistics', 'model-host', 'model-server', 'model-contract', 'settings', 'languages', 'base'],
  front: ['glue', 'completion', 'explain', 'statistics', 'model-host', 'model-server', 'model-contract', 'settings', 'base'],
  cli: ['completion', 'explain', 'model-host', 'model-server', 'model-contract', 'settings', 'languages', 'base'],
  webview: ['webview-messages'],
  tools: ['tools', 'cli', 'completion', 'explain', 'model-host', 'model-server', 'model-process', 'model-cache', 'model-contract', 'settings', 'languages', 'base'],
  tests: rooms.map((room) => room.type),
};

const houseMap = {
  'boundaries/dependencies': ['error', {
    default: 'disallow',
    policies: Object.entries(allowed).map(([from, to]) => ({
      from: { element: { type: from } },
      allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
    })),
  }],
  'boundaries/no-unknown-files': 'error',
};

const noRuntimeVscode = {
  '@typescript-eslint/no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Only the VS Code glue (src/provider/, src/extension.ts) imports vscode at run time.', allowTypeImports: true }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'media/vendor/**', '.test-artifacts/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/**/*.ts', 'media/**/*.ts', 'tools/**/*.ts', 'test/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': rooms.map((room) => ({ ...room, mode: 'full' })),
      'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } },
      // Rooms are matched on whole paths ('full'), some are single files (protocol.ts, extension.ts).
      'boundaries/legacy-warnings': false,
    },
    rules: houseMap,
  },
  {
    files: ['src/**/*.ts', 'media/**/*.ts', 'tools/**/*.ts', 'test/unit/**/*.ts'],
    ignores: ['src/provider/**', 'src/extension.ts'],
    rules: noRuntimeVscode,
  },
);
