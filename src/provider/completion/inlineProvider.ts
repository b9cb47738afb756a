// VS Code glue for ghost text: turns the editor's request into a CompletionRequest, its cancellation
// token into an AbortSignal, and the result into an InlineCompletionItem. Everything else lives in
// src/completion/ (pure and unit-tested).
import * as vscode from 'vscode';
import type { CompletionService } from '../../completion/completionService';
import type { CompletionRequest, CompletionResult } from '../../completion/completionTypes';
import type { TextView } from '../../completion/cursorContext';
import type { OpenDocument } from '../../completion/snippets';
import type { Configuration } from '../configuration';

const MAX_OPEN_DOCUMENTS = 20;

/** Watches requests and what is shown (the statistics); `shown` may give the item a command run on acceptance. */
export interface CompletionObserver {
  /** A request begins; returns its time (epoch ms). */
  requested(document: vscode.TextDocument, position: vscode.Position): number;
  shown(completion: ShownCompletion): vscode.Command | undefined;
}

export interface ShownCompletion {
  document: vscode.TextDocument;
  position: vscode.Position;
  result: CompletionResult;
  requestedAt: number;
  trigger: CompletionRequest['trigger'];
}

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly completions: CompletionService, private readonly config: Configuration, private readonly observer?: CompletionObserver) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const requestedAt = this.observer?.requested(document, position) ?? Date.now();
      const request = completionRequestOf(document, position, this.config, context.triggerKind);
      const result = await this.completions.provide(request, controller.signal);
      if (!result || token.isCancellationRequested) return undefined;
      const command = this.observer?.shown({ document, position, result, requestedAt, trigger: request.trigger });
      // The range covers the closers after the cursor that the text retypes (it keeps every one of them).
      return [new vscode.InlineCompletionItem(result.text, new vscode.Range(position, position.translate(0, result.replaceLength)), command)];
    } finally {
      cancelled.dispose();
    }
  }
}

export function completionRequestOf(document: vscode.TextDocument, position: vscode.Position, config: Configuration, triggerKind: vscode.InlineCompletionTriggerKind): CompletionRequest {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return {
    document: textViewOf(document),
    offset: document.offsetAt(position),
    languageId: document.languageId,
    path: requestPathOf(document),
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    indentation: { insertSpaces, tabSize },
    openDocuments: openDocumentsBesides(document),
    settings: config.forLanguage(document.languageId).completion,
    trigger: triggerKind === vscode.InlineCompletionTriggerKind.Invoke ? 'explicit' : 'automatic',
  };
}

/** The path a request names its document by: workspace-relative, '' for an untitled one. */
export function requestPathOf(document: vscode.TextDocument): string {
  return document.isUntitled ? '' : vscode.workspace.asRelativePath(document.uri, false);
}

/** Reads only the ranges the pipeline asks for, so a huge document is never copied whole. */
function textViewOf(document: vscode.TextDocument): TextView {
  const last = document.lineAt(document.lineCount - 1).range.end;
  return {
    length: document.offsetAt(last),
    slice: (start, end) => document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end))),
  };
}

function openDocumentsBesides(current: vscode.TextDocument): OpenDocument[] {
  return vscode.window.visibleTextEditors
    .map((e) => e.document)
    .concat(vscode.workspace.textDocuments)
    .filter((d, i, all) => d !== current && all.indexOf(d) === i && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled' || d.uri.scheme === 'vscode-remote'))
    .slice(0, MAX_OPEN_DOCUMENTS)
    .map((d) => ({ path: vscode.workspace.asRelativePath(d.uri, false), languageId: d.languageId, text: textViewOf(d) }));
}
