// "Inkling: Explain Selection": the selection (or the enclosing block) is explained into the panel.
// A second explain cancels the first and reuses the panel; Stop ends generation between two steps.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commentOut, leadingIndent } from '../../explain/commentOut';
import { findEnclosingBlock } from '../../explain/enclosingBlock';
import { resolveExplainLanguage } from '../../explain/explainLanguage';
import { explain, type ExplainOutcome } from '../../explain/explainSession';
import { isAbortError, userMessageOf } from '../../model/host/userMessage';
import type { Configuration } from '../configuration';
import type { ExplainPanel } from './explainPanel';
import type { ModelService } from '../modelService';

interface Run { controller: AbortController; document: vscode.TextDocument; range: vscode.Range; settled: boolean }

export class ExplainController implements vscode.Disposable {
  private current: Run | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly finished = new vscode.EventEmitter<ExplainOutcome | undefined>();
  /** Each explanation's end: its outcome, or undefined when it was stopped early or failed. */
  readonly onDidFinish = this.finished.event;

  constructor(
    private readonly panel: ExplainPanel,
    private readonly models: ModelService,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.commands.registerCommand('inkling.explainSelection', () => this.explainActiveSelection()),
      panel.onMessage((message) => {
        if (message.type === 'stop') this.current?.controller.abort();
        if (message.type === 'copy') void vscode.env.clipboard.writeText(panel.text);
        if (message.type === 'insertAsComment') void this.insertAsComment();
        if (message.type === 'openLog') log.show(true);
      }),
    ];
  }

  /** Whether an explanation is being written now. */
  get running(): boolean {
    return this.current?.settled === false;
  }

  async explainActiveSelection(): Promise<ExplainOutcome | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Inkling: open a file and select some code to explain.'));
      return undefined;
    }
    const document = editor.document;
    const range = editor.selection.isEmpty ? enclosingRange(document, editor.selection.active.line) : wholeLinesOf(document, editor.selection);
    this.current?.controller.abort();
    const run: Run = { controller: new AbortController(), document, range, settled: false };
    this.current = run;
    const outcome = await this.run(run);
    run.settled = true;
    this.finished.fire(outcome);
    return outcome;
  }

  private async run({ controller, document, range }: Run): Promise<ExplainOutcome | undefined> {
    const settings = this.config.forLanguage(document.languageId).explain;
    const fileName = vscode.workspace.asRelativePath(document.uri, false) || path.basename(document.fileName);
    const header = { fileName, startLine: range.start.line + 1, endLine: range.end.line + 1, languageId: document.languageId };
    try {
      await this.panel.start(header);
      const model = await this.models.explainModel();
      if (controller.signal.aborted) return undefined;
      const outcome = await explain(model, {
        code: document.getText(range),
        languageId: document.languageId,
        fileName,
        locale: resolveExplainLanguage(settings.language, vscode.env.language).locale,
        maxInputTokens: settings.maxInputTokens,
        sampling: settings.sampling,
      }, {
        signal: controller.signal,
        onPrompt: (prompt) => {
          if (!prompt.truncated) return;
          // The header and the note count the same lines: the range the user picked, and what of it was sent.
          const total = header.endLine - header.startLine + 1;
          const kept = Math.min(prompt.keptLines, total);
          const note = vscode.l10n.t('The selection is longer than inkling.explain.maxInputTokens: only its first {0} of {1} lines were explained.', kept, total);
          void this.panel.noteTruncated(note, { ...header, endLine: header.startLine + kept - 1 });
        },
        onText: (piece) => {
          if (!controller.signal.aborted) this.panel.append(piece);
        },
      });
      if (this.current?.controller === controller) await this.panel.finish(outcome.result);
      return outcome;
    } catch (error) {
      if (isAbortError(error) || controller.signal.aborted) return undefined;
      const { message, detail } = userMessageOf(error, settings.model || this.config.settings.model.id);
      this.log.error(detail ? `${message}\n${detail}` : message);
      if (this.current?.controller === controller) await this.panel.fail(message);
      return undefined;
    }
  }

  private async insertAsComment(): Promise<void> {
    const run = this.current;
    if (!run || !this.panel.text) return;
    const { document, range } = run;
    const firstLine = document.lineAt(range.start.line).text;
    const comment = commentOut(this.panel.text, {
      languageId: document.languageId,
      indent: leadingIndent(firstLine),
      eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    });
    if (!comment) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Inkling: {0} files have no comment syntax to insert the explanation with.', document.languageId));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(range.start.line, 0), comment);
    await vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    this.current?.controller.abort();
    for (const s of this.subscriptions) s.dispose();
    this.finished.dispose();
  }
}

/** A selection made with Shift+Down ends at column 0 of the line after the code: that line is not part of it. */
function wholeLinesOf(document: vscode.TextDocument, selection: vscode.Selection): vscode.Range {
  if (selection.end.character > 0 || selection.end.line === selection.start.line) return selection;
  return new vscode.Range(selection.start, document.lineAt(selection.end.line - 1).range.end);
}

function enclosingRange(document: vscode.TextDocument, line: number): vscode.Range {
  const lines: string[] = [];
  // The block finder never needs more than a few hundred lines around the cursor.
  const from = Math.max(0, line - 400);
  const to = Math.min(document.lineCount - 1, line + 400);
  for (let i = from; i <= to; i++) lines.push(document.lineAt(i).text);
  const block = findEnclosingBlock({ lines, line: line - from, languageId: document.languageId });
  return new vscode.Range(block.startLine + from, 0, block.endLine + from, document.lineAt(block.endLine + from).text.length);
}
