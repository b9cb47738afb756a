// The inference server's API key, kept in VS Code's SecretStorage (never in a settings file) and set
// with "Inkling: Set Server API Key". Requests read it from memory; a change, from this window or
// another, reaches the next request, and lets a server that refused the old key be asked again.
import * as vscode from 'vscode';

const SECRET = 'inkling.server.apiKey';

export class ServerKey implements vscode.Disposable {
  private value: string | undefined;
  private loaded: Promise<void>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly changes = new vscode.EventEmitter<void>();
  /** The key was set, replaced or removed. */
  readonly onDidChange = this.changes.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.loaded = this.reload();
    this.subscriptions = [
      secrets.onDidChange((e) => {
        if (e.key !== SECRET) return;
        this.loaded = this.reload().then(() => this.changes.fire());
      }),
      vscode.commands.registerCommand('inkling.setServerApiKey', () => this.ask()),
    ];
  }

  /** The key, once SecretStorage has answered; undefined when none is set. */
  async current(): Promise<string | undefined> {
    await this.loaded;
    return this.value;
  }

  private async reload(): Promise<void> {
    this.value = (await this.secrets.get(SECRET).then(undefined, () => undefined)) || undefined;
  }

  private async ask(): Promise<void> {
    const url = vscode.workspace.getConfiguration('inkling').get<string>('server.url') || vscode.l10n.t('the inference server');
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Inkling: Set Server API Key'),
      prompt: vscode.l10n.t('The API key for {0}, sent as "Authorization: Bearer …". Leave empty to remove the key.', url),
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return;
    const key = typed.trim();
    if (key) await this.secrets.store(SECRET, key);
    else await this.secrets.delete(SECRET);
    await this.loaded;
    void vscode.window.setStatusBarMessage(key ? vscode.l10n.t('Inkling: server API key saved') : vscode.l10n.t('Inkling: server API key removed'), 4000);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changes.dispose();
  }
}
