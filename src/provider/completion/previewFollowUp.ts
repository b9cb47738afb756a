// VS Code glue: when a completion shown as a preview (its first lines, while a slow model wrote on) is
// whole, asks the editor for ghost text again if the cursor still sits where the preview was shown;
// the completion service answers from its cache, and the ghost text grows to the whole completion.
import * as vscode from 'vscode';
import type { CompletionService } from '../../completion/completionService';
import { requestPathOf } from './inlineProvider';

export function followPreviews(completions: CompletionService): vscode.Disposable {
  return completions.onDidCompletePreview(({ path, offset }) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !editor.selection.isEmpty) return;
    if (requestPathOf(editor.document) !== path || editor.document.offsetAt(editor.selection.active) !== offset) return;
    void askAgain();
  });
}

async function askAgain(): Promise<void> {
  // A trigger at the place of the shown preview would be answered from VS Code's own copy of it:
  // hiding the preview first makes the editor ask the provider again (the cache answers at once).
  await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}
