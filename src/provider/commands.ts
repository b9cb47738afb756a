// The small commands: toggle completions, pick a model, open the log, the status bar menu.
import * as vscode from 'vscode';
import { SETTINGS } from '../settings/settingsTable';

/** Models published in the transformers.js layout that Inkling knows work well. */
const SUGGESTED_MODELS = [
  { id: SETTINGS['model.id'].default, detail: vscode.l10n.t('Fastest on a laptop CPU (default)') },
  { id: 'onnx-community/Qwen2.5-Coder-1.5B', detail: vscode.l10n.t('Base model: better fill-in-the-middle, about 3× slower') },
  { id: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct', detail: vscode.l10n.t('Better explanations, about 3× slower') },
];

export function registerCommands(log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('inkling.showLog', () => log.show(true)),
    vscode.commands.registerCommand('inkling.toggleCompletions', toggleCompletions),
    vscode.commands.registerCommand('inkling.selectModel', selectModel),
    vscode.commands.registerCommand('inkling.showStatusMenu', showStatusMenu),
  ];
}

async function toggleCompletions(): Promise<void> {
  const config = vscode.workspace.getConfiguration('inkling');
  const inspected = config.inspect<boolean>('completion.enabled');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('completion.enabled', !config.get<boolean>('completion.enabled', true), target);
}

async function selectModel(): Promise<void> {
  const config = vscode.workspace.getConfiguration('inkling');
  const current = config.get<string>('model.id');
  type Pick = vscode.QuickPickItem & { action: 'id' | 'folder' | 'enter'; id?: string };
  const items: Pick[] = [
    ...SUGGESTED_MODELS.map((m) => ({ label: m.id, detail: m.detail, description: m.id === current ? vscode.l10n.t('current') : undefined, action: 'id' as const, id: m.id })),
    { label: `$(folder) ${vscode.l10n.t('Use a local model folder…')}`, action: 'folder' },
    { label: `$(edit) ${vscode.l10n.t('Enter a Hugging Face repo id…')}`, action: 'enter' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Inkling: Select Model'), placeHolder: current });
  if (!picked) return;
  let id = picked.id;
  if (picked.action === 'folder') {
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Use this model') });
    id = folder?.[0]?.fsPath;
  } else if (picked.action === 'enter') {
    id = await vscode.window.showInputBox({
      prompt: vscode.l10n.t('A repo id in the transformers.js layout, e.g. onnx-community/Qwen2.5-Coder-1.5B'),
      value: current,
      validateInput: (v) => (/^[\w.-]+\/[\w.-]+$/.test(v.trim()) ? undefined : vscode.l10n.t('Expected owner/name')),
    });
  }
  if (id) await config.update('model.id', id.trim(), vscode.ConfigurationTarget.Global);
}

async function showStatusMenu(): Promise<void> {
  const enabled = vscode.workspace.getConfiguration('inkling').get<boolean>('completion.enabled', true);
  const items: (vscode.QuickPickItem & { command: string; args?: unknown[] })[] = [
    { label: enabled ? `$(circle-slash) ${vscode.l10n.t('Turn inline completions off')}` : `$(check) ${vscode.l10n.t('Turn inline completions on')}`, command: 'inkling.toggleCompletions' },
    { label: `$(symbol-misc) ${vscode.l10n.t('Select model…')}`, command: 'inkling.selectModel' },
    { label: `$(cloud-download) ${vscode.l10n.t('Load the model now')}`, command: 'inkling.loadModel' },
    { label: `$(trash) ${vscode.l10n.t('Clear model cache…')}`, command: 'inkling.clearModelCache' },
    { label: `$(output) ${vscode.l10n.t('Show log')}`, command: 'inkling.showLog' },
    { label: `$(settings-gear) ${vscode.l10n.t('Open settings')}`, command: 'workbench.action.openSettings', args: ['@ext:inkling-dev.inkling'] },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Inkling' });
  if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
