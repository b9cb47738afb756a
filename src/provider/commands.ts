// The small commands: toggle completions, pick a model, retry a failed model, open the log, the status bar menu.
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';
import { SETTINGS } from '../settings/settingsTable';
import type { ModelService } from './modelService';
import type { StatusBar } from './status/statusBar';

/** Models published in the transformers.js layout that Inkling knows work well. */
const SUGGESTED_MODELS = [
  { id: SETTINGS['model.id'].default, detail: vscode.l10n.t('Fastest on a laptop CPU (default)') },
  { id: 'onnx-community/Qwen2.5-Coder-1.5B', detail: vscode.l10n.t('Base model: better fill-in-the-middle, about 3× slower') },
  { id: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct', detail: vscode.l10n.t('Better explanations, about 3× slower') },
];

export interface CommandServices {
  log: vscode.LogOutputChannel;
  models: ModelService;
  status: StatusBar;
}

export function registerCommands({ log, models, status }: CommandServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('inkling.showLog', () => log.show(true)),
    vscode.commands.registerCommand('inkling.toggleCompletions', toggleCompletions),
    vscode.commands.registerCommand('inkling.selectModel', () => selectModel(log)),
    vscode.commands.registerCommand('inkling.retryModel', () => models.retryNow().catch(() => undefined)),
    vscode.commands.registerCommand('inkling.showStatusMenu', () => showStatusMenu(status.current === 'error')),
  ];
}

async function toggleCompletions(): Promise<void> {
  const config = vscode.workspace.getConfiguration('inkling');
  const inspected = config.inspect<boolean>('completion.enabled');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('completion.enabled', !config.get<boolean>('completion.enabled', true), target);
}

async function selectModel(log: Logger): Promise<void> {
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
  if (!id) return;
  const message = await saveModelChoice(id.trim());
  log.info(message);
  void vscode.window.showInformationMessage(message);
}

/**
 * Saves a picked model where the value in effect comes from (a workspace value overrides the user's,
 * so writing the user setting would silently do nothing); returns a sentence that says where.
 */
export async function saveModelChoice(id: string): Promise<string> {
  const config = vscode.workspace.getConfiguration('inkling');
  const inspected = config.inspect<string>('model.id');
  const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update('model.id', id, target);
  const where = target === vscode.ConfigurationTarget.Global ? vscode.l10n.t('your user settings') : vscode.l10n.t('this workspace\'s settings, which override your user settings');
  return vscode.l10n.t('Inkling now uses {0} (saved in {1}).', id, where);
}

async function showStatusMenu(failed: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration('inkling');
  const enabled = config.get<boolean>('completion.enabled', true);
  const served = config.get<string>('backend') === 'server';
  const items: (vscode.QuickPickItem & { command: string; args?: unknown[] })[] = [
    ...(failed ? [{ label: `$(refresh) ${vscode.l10n.t('Retry loading the model')}`, command: 'inkling.retryModel' }] : []),
    { label: enabled ? `$(circle-slash) ${vscode.l10n.t('Turn inline completions off')}` : `$(check) ${vscode.l10n.t('Turn inline completions on')}`, command: 'inkling.toggleCompletions' },
    served
      ? { label: `$(key) ${vscode.l10n.t('Set server API key…')}`, command: 'inkling.setServerApiKey' }
      : { label: `$(symbol-misc) ${vscode.l10n.t('Select model…')}`, command: 'inkling.selectModel' },
    ...(served ? [] : [
      { label: `$(cloud-download) ${vscode.l10n.t('Load the model now')}`, command: 'inkling.loadModel' },
      { label: `$(trash) ${vscode.l10n.t('Clear model cache…')}`, command: 'inkling.clearModelCache' },
    ]),
    { label: `$(graph) ${vscode.l10n.t('Show statistics')}`, command: 'inkling.showStatistics' },
    { label: `$(output) ${vscode.l10n.t('Show log')}`, command: 'inkling.showLog' },
    { label: `$(settings-gear) ${vscode.l10n.t('Open settings')}`, command: 'workbench.action.openSettings', args: ['@ext:inkling-dev.inkling'] },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Inkling' });
  if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
