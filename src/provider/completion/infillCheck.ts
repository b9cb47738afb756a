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
  notifications.showOnce('warning', vscode.l10n.t('Inkling: {0} cannot fill in the middle ({1}), so completions only see the code before the cursor. A base code model such as Qwen2.5-Coder completes better.', info.model, detection.reason), { group: 'completion' });
}
