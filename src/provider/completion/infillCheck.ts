// Tells the user, once per model, when completions can only see the code before the cursor: the
// model's tokenizer has no fill-in-the-middle tokens, or the chosen prompt format does not fit it.
import * as vscode from 'vscode';
import { detectTemplate } from '../../completion/templates';
import type { ModelInfo } from '../../model/protocol';
import type { PromptTemplateSetting } from '../../settings/settings';
import type { Notifications } from '../notifications';

export function warnIfCannotInfill(info: ModelInfo, setting: PromptTemplateSetting, notifications: Notifications): void {
  const detection = detectTemplate(info, setting);
  if (detection.canInfill) return;
  if (info.device === 'server') {
    // A served model's format comes from inkling.server.promptTemplate or its name; left to right by choice is no surprise.
    if (info.modelType !== 'served leftToRight') notifications.showOnce('warning', vscode.l10n.t('Inkling: the fill-in-the-middle format of {0} cannot be told from its name, so completions only see the code before the cursor. Set inkling.server.promptTemplate to its family.', info.model), { group: 'completion' });
    return;
  }
  notifications.showOnce('warning', vscode.l10n.t('Inkling: {0} cannot fill in the middle ({1}), so completions only see the code before the cursor. A base code model such as Qwen2.5-Coder completes better.', info.model, detection.reason), { group: 'completion' });
}
