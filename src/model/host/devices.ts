// Which execution providers onnxruntime-node offers on a platform, so an impossible choice (DirectML
// on Linux, say) falls back to the CPU with a word, rather than failing at load time.
import type { Device } from '../protocol';

export function devicesFor(platform: NodeJS.Platform, arch: string): Device[] {
  const devices: Device[] = ['cpu'];
  if (platform === 'linux' && arch === 'x64') devices.push('cuda');
  if (platform === 'win32') devices.push('dml');
  return devices;
}
