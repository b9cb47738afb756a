// The one "show once" for Inkling's pop-ups: a message is logged every time it happens but shown
// only once per episode, so a failure that repeats while the user types never becomes a storm.
// An episode ends when its cause is fixed or its setting changes: the owner then forgets its group.
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';

export interface NotificationButton {
  title: string;
  run(): void;
}

type Severity = 'info' | 'warning' | 'error';

/** Who owns a message's episode: settings problems, model loading, and so on. */
export type NotificationGroup = 'settings' | 'model' | 'completion';

export interface NotifyOptions {
  group: NotificationGroup;
  detail?: string;
  buttons?: NotificationButton[];
}

export class Notifications {
  /** Shown messages and the group whose episode they belong to. */
  private readonly shown = new Map<string, NotificationGroup>();

  constructor(private readonly log: Logger) {}

  /** Logs `message` (with `detail`, if any) and shows it, unless it was already shown in this episode. */
  showOnce(severity: Severity, message: string, options: NotifyOptions): void {
    const logged = options.detail ? `${message}\n${options.detail}` : message;
    if (severity === 'error') this.log.error(logged);
    else if (severity === 'warning') this.log.warn(logged);
    else this.log.info(logged);
    if (this.shown.has(message)) return;
    this.shown.set(message, options.group);
    const buttons = options.buttons ?? [];
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, ...buttons.map((b) => b.title)).then((choice) => buttons.find((b) => b.title === choice)?.run());
  }

  /** Ends the episode of every message of `group`: each may show again when it happens again. */
  forget(group: NotificationGroup): void {
    for (const [message, owner] of [...this.shown]) if (owner === group) this.shown.delete(message);
  }
}
