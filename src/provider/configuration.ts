// VS Code glue for settings: reads the validated settings, reports each bad value once, and tells
// listeners when a setting of ours changes (applied live, no reload).
import * as vscode from 'vscode';
import { readSettings, type InklingSettings } from '../common/settings';
import type { SettingKey } from '../common/settingsTable';

export class Configuration implements vscode.Disposable {
  private current: InklingSettings;
  private readonly reported = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<InklingSettings>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('inkling')) return;
      this.current = this.read();
      this.emitter.fire(this.current);
    });
  }

  get settings(): InklingSettings {
    return this.current;
  }

  /** Settings as seen from one language, honouring "[python]": {…} overrides. */
  forLanguage(languageId: string): InklingSettings {
    return this.read({ languageId });
  }

  private read(scope?: vscode.ConfigurationScope): InklingSettings {
    const config = vscode.workspace.getConfiguration('inkling', scope);
    const { settings, problems } = readSettings((key: SettingKey) => config.get(key));
    for (const problem of problems) {
      if (this.reported.has(problem.message)) continue;
      this.reported.add(problem.message);
      this.log.warn(problem.message);
      void vscode.window.showWarningMessage(`Inkling: ${problem.message}`, vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', problem.key);
      });
    }
    return settings;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
