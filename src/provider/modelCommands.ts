// Commands about the model files: load the configured model now (after a cancelled download, say),
// and "Inkling: Clear Model Cache", which lists the downloaded models with their sizes and removes
// the ones the user picks.
import * as vscode from 'vscode';
import type { ModelService } from './modelService';

export function registerModelCommands(models: ModelService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('inkling.loadModel', () => models.completionModel().then(() => undefined, () => undefined)),
    vscode.commands.registerCommand('inkling.clearModelCache', () => clearModelCache(models)),
  ];
}

async function clearModelCache(models: ModelService): Promise<void> {
  const cached = await models.cachedModels();
  if (cached.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Inkling: no downloaded models in {0}.', models.cacheDir));
    return;
  }
  const inUse = new Set([models.infoFor('completion')?.model, models.infoFor('explain')?.model]);
  const picked = await vscode.window.showQuickPick(
    cached.map((model) => ({
      label: model.repo,
      description: [formatSize(model.bytes), inUse.has(model.repo) ? vscode.l10n.t('in use') : '', model.busy ? vscode.l10n.t('downloading in another window') : ''].filter(Boolean).join(' · '),
      model,
    })),
    { title: vscode.l10n.t('Inkling: Clear Model Cache'), placeHolder: vscode.l10n.t('Choose the models to delete from {0}', models.cacheDir), canPickMany: true },
  );
  if (!picked || picked.length === 0) return;
  const removed: string[] = [];
  let freed = 0;
  for (const { model } of picked) {
    try {
      await models.removeCachedModel(model.repo);
      removed.push(model.repo);
      freed += model.bytes;
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Inkling could not delete {0}: {1}.', model.repo, error instanceof Error ? error.message : String(error)));
    }
  }
  if (removed.length === 0) return;
  // A model in use keeps running from memory; the next load downloads it again.
  void vscode.window.showInformationMessage(vscode.l10n.t('Inkling deleted {0} ({1} freed).', removed.join(', '), formatSize(freed)));
}

function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
