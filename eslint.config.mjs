// Lint keeps the layers honest: only src/provider/ and src/extension.ts may import 'vscode' at run time.
import tseslint from 'typescript-eslint';

const noRuntimeVscode = {
  '@typescript-eslint/no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Pure modules import no vscode at run time; put VS Code glue in src/provider/.', allowTypeImports: true }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'media/vendor/**', '.test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  { files: ['src/model/**', 'src/completion/**', 'src/explain/**', 'src/common/**', 'src/cli/**', 'tools/**', 'test/unit/**'], rules: noRuntimeVscode },
);
