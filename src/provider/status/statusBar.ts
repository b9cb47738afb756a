// The Inkling status bar item: idle / loading (with percent) / ready / generating / error / off.
// Its accessibility label is "Inkling: <state>" so screen readers (and the UI test) can read it.
import * as vscode from 'vscode';
import { EngineError } from '../../model/host/engineError';
import type { ModelEvent } from '../modelService';
import type { InklingState } from '../api';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('inkling.status', vscode.StatusBarAlignment.Right, 100);
  private state: InklingState = 'idle';
  private detail = '';
  private generating = 0;
  private completionsOn = true;
  /** When the failed completion model is tried again (epoch ms), shown while in error. */
  private retryAt: number | undefined;
  /** An inference server answers (the server backend): a cloud instead of the sparkle. */
  private served = false;
  /** Today's acceptance and latency, from the statistics; a line of its own in the tooltip. */
  private statisticsLine: string | undefined;
  private readonly stateEvents = new vscode.EventEmitter<InklingState>();
  readonly onDidChangeState = this.stateEvents.event;

  constructor() {
    this.item.name = 'Inkling';
    this.item.command = 'inkling.showStatusMenu';
    this.render();
    this.item.show();
  }

  get current(): InklingState {
    return this.state;
  }

  setCompletionsEnabled(on: boolean): void {
    this.completionsOn = on;
    this.render();
  }

  update(event: ModelEvent): void {
    if (event.type !== 'retryScheduled' && event.type !== 'busy') this.retryAt = undefined;
    switch (event.type) {
      case 'loading':
        this.set('loading', event.progress?.percent !== undefined ? `${Math.round(event.progress.percent)}%` : event.model);
        break;
      case 'ready':
        this.served = event.info.device === 'server';
        this.set(this.generating > 0 ? 'generating' : 'ready', event.info.model);
        break;
      case 'failed':
        if (event.error instanceof EngineError && event.error.code === 'cancelled') this.set('idle', vscode.l10n.t('The download of {0} was cancelled. Click to load it again or choose another model.', event.model));
        else this.set('error', vscode.l10n.t('{0} could not be loaded. Click for options.', event.model));
        break;
      case 'retryScheduled':
        this.retryAt = event.at;
        this.render();
        break;
      case 'busy':
        this.generating = event.generating;
        // A new generation after a crash means the model process is back.
        if (this.state !== 'loading' && (event.generating > 0 || this.state !== 'error')) this.set(event.generating > 0 ? 'generating' : 'ready', this.detail);
        break;
    }
  }

  setStatisticsLine(line: string | undefined): void {
    this.statisticsLine = line;
    this.render();
  }

  /** A problem the next request recovers from (a crashed model process): shown, not popped up. */
  showProblem(message: string): void {
    this.set('error', message);
  }

  private set(state: InklingState, detail: string): void {
    const changed = state !== this.state;
    this.state = state;
    this.detail = detail;
    this.render();
    if (changed) this.stateEvents.fire(state);
  }

  private render(): void {
    const icon = { idle: '$(sparkle)', loading: '$(loading~spin)', ready: this.served ? '$(cloud)' : '$(sparkle)', generating: '$(loading~spin)', error: '$(warning)' }[this.state];
    const label = { idle: vscode.l10n.t('idle'), loading: vscode.l10n.t('loading'), ready: vscode.l10n.t('ready'), generating: vscode.l10n.t('generating'), error: vscode.l10n.t('error') }[this.state];
    const off = this.completionsOn ? '' : ` ${vscode.l10n.t('(completions off)')}`;
    const retry = this.state === 'error' && this.retryAt !== undefined
      ? ` ${vscode.l10n.t('Tries again when you type, from {0}.', new Date(this.retryAt).toLocaleTimeString())}`
      : '';
    this.item.text = `${this.completionsOn ? icon : '$(circle-slash)'} Inkling${this.state === 'loading' && this.detail.endsWith('%') ? ` ${this.detail}` : ''}`;
    this.item.tooltip = `Inkling: ${label}${off}${this.detail ? ` — ${this.detail}` : ''}${retry}${this.statisticsLine ? `\n${this.statisticsLine}` : ''}`;
    // Screen readers (and the UI tests) read this: the state in words, and whether completions are off.
    this.item.accessibilityInformation = { label: `Inkling: ${this.state}${this.completionsOn ? '' : ' (completions off)'}`, role: 'button' };
    this.item.backgroundColor = this.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.stateEvents.dispose();
  }
}
