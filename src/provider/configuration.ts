// VS Code glue for settings: validated settings, read once per language and kept until a setting of
// ours changes (nothing is re-read or re-validated while the user types); a change event names the
// keys it touched, so each listener reacts only to its own. Bad values become one warning per read.
import * as vscode from 'vscode';
import { readSettings, type InklingSettings, type LastValidValues, type SettingProblem } from '../settings/settings';
import { SETTINGS, type SettingKey } from '../settings/settingsTable';
import type { Notifications } from './notifications';

export interface SettingsChange {
  settings: InklingSettings;
  /** The keys this change touched ('inkling.' omitted). */
  changed: ReadonlySet<SettingKey>;
}

const ALL_KEYS = Object.keys(SETTINGS) as SettingKey[];
/** The cache key of the settings seen without a language. */
const NO_LANGUAGE = '';

export class Configuration implements vscode.Disposable {
  private readonly cache = new Map<string, InklingSettings>();
  private readonly lastValid = new Map<string, LastValidValues>();
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly notifications: Notifications) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const changed = new Set(ALL_KEYS.filter((key) => e.affectsConfiguration(`inkling.${key}`)));
      if (changed.size === 0) return;
      this.cache.clear();
      // A changed setting starts a new episode: its problems may be shown again.
      this.notifications.forget('settings');
      this.emitter.fire({ settings: this.settings, changed });
    });
  }

  get settings(): InklingSettings {
    return this.read(NO_LANGUAGE);
  }

  /** Settings as seen from one language, honouring "[python]": {…} overrides. */
  forLanguage(languageId: string): InklingSettings {
    return this.read(languageId);
  }

  private read(languageId: string): InklingSettings {
    const cached = this.cache.get(languageId);
    if (cached) return cached;
    const config = vscode.workspace.getConfiguration('inkling', languageId === NO_LANGUAGE ? undefined : { languageId });
    const { settings, problems, lastValid } = readSettings((key: SettingKey) => config.get(key), this.lastValid.get(languageId));
    this.lastValid.set(languageId, lastValid);
    this.cache.set(languageId, settings);
    if (problems.length > 0) this.report(problems);
    return settings;
  }

  private report(problems: SettingProblem[]): void {
    const message = problems.length === 1
      ? `${SETTINGS_MESSAGE_PREFIX}${problems[0]!.message}`
      : `${SETTINGS_MESSAGE_PREFIX}${vscode.l10n.t('{0} settings have bad values:', problems.length)} ${problems.map((p) => p.message).join(' ')}`;
    this.notifications.showOnce('warning', message, {
      group: 'settings',
      buttons: [{ title: vscode.l10n.t('Open Settings'), run: () => void vscode.commands.executeCommand('workbench.action.openSettings', problems[0]!.key) }],
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

const SETTINGS_MESSAGE_PREFIX = 'Inkling: ';
