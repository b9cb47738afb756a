// Which backend serves a feature: the engine port (a model inside the extension) or an inference
// server, as inkling.backend says. Switching frees what the other backend held for that feature, so a
// team on a server has no model process idling in every editor.
import type { LoadedModel, ModelInfo } from '../protocol';
import type { ServerBackend } from '../server/serverBackend';
import type { BackendSetting, InklingSettings } from '../../settings/settings';
import type { Role } from './enginePool';
import type { EnginePort } from './enginePort';

export class ModelBackends {
  private readonly serving = new Map<Role, BackendSetting>();

  constructor(private readonly local: EnginePort, private readonly server: ServerBackend) {}

  /** The model for a feature under `settings`, loaded (local) or set up (server); rejects with an error a user can read. */
  acquire(role: Role, settings: InklingSettings): Promise<LoadedModel> {
    const backend = settings.backend;
    if (this.serving.get(role) !== backend) {
      if (backend === 'server') this.local.release(role);
      else this.server.release(role);
      this.serving.set(role, backend);
    }
    if (backend === 'server') return this.server.acquire(role, settings.server);
    const model = role === 'explain' ? settings.explain.model || settings.model.id : settings.model.id;
    return this.local.acquire(role, model, settings.model);
  }

  /** The model serving a feature when it is ready; undefined while it loads or after it failed. */
  ready(role: Role): LoadedModel | undefined {
    return this.serving.get(role) === 'server' ? this.server.ready(role) : this.local.ready(role);
  }

  infoFor(role: Role): ModelInfo | undefined {
    return this.serving.get(role) === 'server' ? this.server.infoFor(role) : this.local.infoFor(role);
  }

  dispose(): void {
    this.local.dispose();
    this.server.dispose();
  }
}
