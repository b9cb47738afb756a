// Entry of the model process (bundled to dist/modelProcess.js, started with child_process.fork).
// onnxruntime's calls block the thread they run on, so the model lives here, where the extension
// host can kill it at any moment without harm. This file only moves messages.
import type { FromModelProcess, ToModelProcess } from '../protocol';
import { ModelProcessHandler } from './modelProcessHandler';

function send(message: FromModelProcess): void {
  // The parent may already be gone; there is no one left to tell.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

// stdout reaches the host's log (see ModelProcessClient).
const service = new ModelProcessHandler(send, (line) => console.log(line));

process.on('message', (message: ToModelProcess) => {
  if (message.type === 'dispose') {
    void service.dispose().finally(() => process.exit(0));
    return;
  }
  service.handle(message);
});

// Without a parent the process has no purpose; leave instead of lingering.
process.on('disconnect', () => process.exit(0));
