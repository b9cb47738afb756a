// A throwaway home for one code-server run: every folder it would otherwise write under ~ or /tmp,
// an environment that keeps it offline, and user settings that keep the workbench quiet.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CodeServerProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

/** Nothing listens on the discard port: the gallery fails fast instead of reaching the internet
 * (https so the workbench's CSP lets the request go and fail, rather than log a CSP violation). */
const closedGallery = 'https://127.0.0.1:9';

/** Workbench settings that remove clutter and anything that would compete with Inkling's ghost text. */
export const quietUserSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  // The suggest widget hides inline suggestions; UI tests read ghost text.
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
};

/**
 * `machineSettings` go to the server's Machine/settings.json: code-server's workbench is a remote
 * window, which reads machine-scoped settings (Inkling's model, hub, device) only from there.
 */
export function createProfile(userSettings: Record<string, unknown> = {}, extraEnv: NodeJS.ProcessEnv = {}, machineSettings: Record<string, unknown> = {}): CodeServerProfile {
  // Short path: code-server puts a unix socket in the user-data-dir (108-byte limit).
  const root = mkdtempSync(join(tmpdir(), 'inkling-cs-'));
  const dir = (name: string): string => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const userDataDir = dir('data');
  const extensionsDir = dir('extensions');
  const home = dir('home');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietUserSettings, ...userSettings }, null, 2));
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env: NodeJS.ProcessEnv = { ...process.env };
  // A parent VS Code or Electron must not leak its IPC handles or mode into ours.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') delete env[key];
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: dir('xdg/config'),
    XDG_DATA_HOME: dir('xdg/data'),
    XDG_CACHE_HOME: dir('xdg/cache'),
    XDG_STATE_HOME: dir('xdg/state'),
    TMPDIR: dir('tmp'),
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `${closedGallery}/gallery`,
      itemUrl: `${closedGallery}/item`,
      resourceUrlTemplate: `${closedGallery}/resource/{publisher}/{name}/{version}/{path}`,
    }),
    ...extraEnv,
  });
  return { root, userDataDir, extensionsDir, configFile, env };
}

/**
 * The flags every run shares; `bind` is "127.0.0.1:0" for tests (the real port comes from the log).
 * Workspace trust is off unless a test is about it.
 */
export function serverArgs(profile: CodeServerProfile, bind: string, options: { workspaceTrust?: boolean } = {}): string[] {
  return [
    '--bind-addr', bind,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--config', profile.configFile,
  ];
}
