// A model download takes minutes on a slow line: it gets a notification with per-file progress and a
// Cancel button, shown only once bytes actually flow (a cached or local model loads without one).
import * as vscode from 'vscode';
import type { ModelEvent } from '../modelService';

export class DownloadProgress implements vscode.Disposable {
  private active: { model: string; report: (message: string) => void; finish: () => void } | undefined;

  /** `cancel` stops the model's download (the engine removes its partial files). */
  constructor(private readonly cancel: (model: string) => void) {}

  update(event: ModelEvent): void {
    // Only Inkling's own downloads say 'download': a local folder or a cached model is just loading.
    if (event.type === 'loading' && event.progress?.status === 'download') {
      const { file, percent } = event.progress;
      if (!this.active) this.start(event.model);
      // The title already says "downloading <model>": the message is just the file and how far along.
      this.active?.report(`${file ?? ''}${percent !== undefined ? ` ${Math.round(percent)}%` : '…'}`.trim());
    }
    if ((event.type === 'ready' && event.info.model === this.active?.model) || (event.type === 'failed' && event.model === this.active?.model)) this.stop();
  }

  private start(model: string): void {
    let report: (message: string) => void = () => undefined;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.active = { model, report: (m) => report(m), finish: () => finish() };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Inkling: downloading {0}', model), cancellable: true },
      (progress, token) => {
        report = (message) => progress.report({ message });
        token.onCancellationRequested(() => this.cancel(model));
        return done;
      },
    );
  }

  private stop(): void {
    this.active?.finish();
    this.active = undefined;
  }

  dispose(): void {
    this.stop();
  }
}
