// VS Code glue: when a completion shown as a preview (its first lines, while a slow model wrote on) is
// whole, asks the editor for ghost text again if the cursor still sits where the preview was shown;
// the completion service answers from its cache, and the ghost text grows to the whole completion.
import * as vscode from 'vscode';
import type { CompletionService } from '../../completion/completionService';
import { requestPathOf } from './inlineProvider';

/**
 * A whole completion this soon after its preview may meet VS Code still taking the preview in (seen in
 * UI tests: a few milliseconds apart). Then the preview lands after the hide, and the explicit trigger
 * keeps the suggestion it finds shown over the new one; a second ask, once the first has ended, finds
 * the preview in place and replaces it.
 */
const QUICK_WHOLE_MS = 1000;

export function followPreviews(completions: CompletionService): vscode.Disposable {
  return completions.onDidCompletePreview(({ path, offset, msAfterPreview }) => {
    const stillThere = () => {
      const editor = vscode.window.activeTextEditor;
      return !!editor && editor.selection.isEmpty && requestPathOf(editor.document) === path && editor.document.offsetAt(editor.selection.active) === offset;
    };
    if (stillThere()) void askAgain(stillThere, msAfterPreview < QUICK_WHOLE_MS ? 2 : 1);
  });
}

async function askAgain(stillThere: () => boolean, times: number): Promise<void> {
  for (let ask = 0; ask < times && stillThere(); ask++) {
    // A trigger at the place of the shown preview would be answered from VS Code's own copy of it:
    // hiding the preview first makes the editor ask the provider again (the cache answers at once).
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    // Ends when VS Code's fetch has, so a second ask starts after the first has settled.
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }
}
