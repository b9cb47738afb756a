// What one token message costs between the model process and the host: a child with the same IPC
// channel as the model process (advanced serialization) echoes token-sized messages back.
import { spawn } from 'node:child_process';
import { summarize, type Summary } from './benchStats';

const echo = `process.on('message', (m) => process.send(m)); process.on('disconnect', () => process.exit(0));`;

/** Round-trip times in milliseconds of `count` messages sent one after another. */
export async function measureIpcRoundTrip(count = 200): Promise<Summary | undefined> {
  const child = spawn(process.execPath, ['-e', echo], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send({ type: 'token', id: i, text: '    totalCents' });
      });
      times.push(performance.now() - started);
    }
    return summarize(times.slice(10));
  } finally {
    child.disconnect();
  }
}
