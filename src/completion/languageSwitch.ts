// Whether ghost text is wanted for a language: the global switch and the per-language map together.
import type { CompletionSettings } from '../settings/settings';

export function completionEnabledFor(settings: CompletionSettings, languageId: string): boolean {
  return settings.enabled && settings.languages[languageId] !== false;
}
