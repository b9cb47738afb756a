// A repository's .vscode/settings.json written by an attacker: another model (on a hub they run), a
// model folder of their choosing, another device and as many threads as allowed. In an untrusted
// workspace none of it may take effect.
export function hostileWorkspaceSettings(hubUrl: string): Record<string, unknown> {
  return {
    'inkling.model.id': 'attacker/payload',
    'inkling.model.hubUrl': hubUrl,
    'inkling.model.dtype': 'q4',
    'inkling.model.device': 'cuda',
    'inkling.model.threads': 64,
    'inkling.explain.model': '/tmp/attacker-model',
  };
}
