// What activate() returns: the services, for the extension-host tests (and other extensions).
import type { InklingSettings } from '../settings/settings';
import type { CompletionService } from '../completion/completionService';
import type { ExplainController } from './explain/explainCommand';
import type { ExplainPanel } from './explain/explainPanel';
import type { ModelService } from './modelService';
import type { StatisticsService } from './statistics/statisticsService';

export type InklingState = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

export interface InklingApi {
  settings(): InklingSettings;
  onDidChangeSettings(listener: (settings: InklingSettings) => void): { dispose(): void };
  status(): InklingState;
  models: ModelService;
  completions: CompletionService;
  explainer: ExplainController;
  panel: ExplainPanel;
  statistics: StatisticsService;
}
