// Which proxy a download goes through: VS Code's http.proxy when set, else the environment's
// HTTPS_PROXY (HTTP_PROXY for http), minus NO_PROXY and this machine, which is always reached directly.
import { TransferError } from './transferError';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function proxyFor(url: URL, explicit?: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  if (LOOPBACK.test(url.hostname) || bypassed(url, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  const fromEnv = url.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  const setting = (explicit?.trim() || fromEnv?.trim()) ?? '';
  if (!setting) return undefined;
  let proxy: URL;
  try {
    // "proxy:3128" without a scheme is common in the environment; it means http.
    proxy = new URL(/^[a-z][\w+.-]*:\/\//i.test(setting) ? setting : `http://${setting}`);
  } catch {
    throw new TransferError('proxy', { proxyProblem: `"${setting}" is not a proxy address` }, `bad proxy ${setting}`);
  }
  if (proxy.protocol !== 'http:') {
    throw new TransferError('proxy', { proxyProblem: `${proxy.protocol}// proxies are not supported, only http://` }, `unsupported proxy ${setting}`);
  }
  return proxy;
}

/** NO_PROXY: "*", or hosts and domain suffixes (".corp.example", "corp.example", "host:8080"). */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.split(/[,\s]+/).filter(Boolean).some((raw) => {
    const entry = raw.toLowerCase();
    if (entry === '*') return true;
    const [name, entryPort] = entry.replace(/^\*?\./, '.').split(':') as [string, string | undefined];
    if (entryPort && entryPort !== port) return false;
    const bare = name.replace(/^\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy as a message may show it: no password. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
