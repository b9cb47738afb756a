// One model process and the requests in flight to it. A process that dies takes its requests
// with it: each rejects with the same error, and the owner hears about it once.
import { fork, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../../base/logger';
import type { FromModelProcess, ToModelProcess } from '../protocol';
import { EngineError } from './engineError';

export interface ProcessOptions {
  /** Path to dist/modelProcess.js. */
  processEntry: string;
  log?: Logger;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Messages that answer a request; anything else for the id is an intermediate event. */
type Reply = Exclude<FromModelProcess, { type: 'loadProgress' } | { type: 'token' }>;
type Event = Extract<FromModelProcess, { type: 'loadProgress' } | { type: 'token' }>;
type Outgoing = Exclude<ToModelProcess, { type: 'dispose' }>;

interface Pending {
  onEvent?: (event: Event) => void;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const keptStderrLines = 20;

/**
 * V8 flags the model process starts with. Every step onnxruntime-node copies the whole key/value
 * cache into new buffers, so the process collects garbage about once a step; on its own thread the
 * collector leaves both cores to onnxruntime (decoding 1.02–1.08× faster side by side), and
 * `--expose-gc` lets the decoding loop free each pass's dead buffers while they are young
 * (process/stepGarbage.ts; bench/README.md).
 */
export const modelProcessFlags: readonly string[] = ['--single-threaded-gc', '--expose-gc'];

export class ModelProcessClient {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly recentStderr: string[] = [];
  private ended: EngineError | undefined;

  constructor(options: ProcessOptions, private readonly onUnexpectedExit: (error: EngineError) => void) {
    const log = options.log ?? silentLogger;
    this.child = fork(options.processEntry, [], {
      serialization: 'advanced',
      // onnxruntime sends no telemetry from Node today; saying so keeps it that way.
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1', ORT_DISABLE_TELEMETRY: '1' },
      execArgv: options.execArgv ?? [...modelProcessFlags],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    forwardLines(this.child.stdout, (line) => log.info(`[model process] ${line}`));
    forwardLines(this.child.stderr, (line) => {
      this.recentStderr.push(line);
      if (this.recentStderr.length > keptStderrLines) this.recentStderr.shift();
      log.warn(`[model process] ${line}`);
    });
    this.child.on('message', (message: FromModelProcess) => this.route(message));
    this.child.on('error', (error) => {
      log.error(`Model process error: ${error.stack ?? error.message}`);
      this.fail(this.crashError(`error: ${error.message}`), true);
    });
    this.child.on('close', (code, signal) => this.fail(this.crashError(signal ? `signal ${signal}` : `exit code ${code}`), true));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  /** Sends a request; resolves with its reply, rejects with an EngineError. */
  request(message: Outgoing, onEvent?: (event: Event) => void): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.ended) {
        reject(this.ended);
        return;
      }
      this.pending.set(message.id, { onEvent, resolve, reject });
      this.post(message);
    });
  }

  cancel(id: number): void {
    if (this.pending.has(id)) this.post({ type: 'cancel', id });
  }

  /** Ends one request early with `error`, leaving the process to the caller. */
  abandon(id: number, error: Error): void {
    const call = this.pending.get(id);
    this.pending.delete(id);
    call?.reject(error);
  }

  /**
   * Asks the process to end (a download in progress stops and removes its partial files), killing
   * it after `graceMs` if it has not; pending requests reject with `reason` at once.
   */
  shutdown(reason: EngineError, graceMs = 3000): void {
    this.fail(reason, false);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      this.child.send({ type: 'dispose' } satisfies ToModelProcess, () => undefined);
    } catch {
      // Already disconnected: the kill below ends it.
    }
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, graceMs);
    timer.unref();
    this.child.once('exit', () => clearTimeout(timer));
  }

  /** Kills the process now (safe even inside a native call); pending requests reject with `reason`. */
  kill(reason: EngineError): void {
    this.fail(reason, false);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private post(message: ToModelProcess): void {
    try {
      this.child.send(message, (error) => {
        if (error) this.fail(this.crashError(`send failed: ${error.message}`), true);
      });
    } catch (error) {
      this.fail(this.crashError(`send failed: ${error instanceof Error ? error.message : String(error)}`), true);
    }
  }

  private route(message: FromModelProcess): void {
    const call = this.pending.get(message.id);
    if (!call) return;
    if (message.type === 'loadProgress' || message.type === 'token') {
      call.onEvent?.(message);
      return;
    }
    this.pending.delete(message.id);
    call.resolve(message);
  }

  private fail(error: EngineError, unexpected: boolean): void {
    if (this.ended) return;
    this.ended = error;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(error);
    if (unexpected) this.onUnexpectedExit(error);
  }

  private crashError(how: string): EngineError {
    const tail = this.recentStderr.length ? `\nLast output:\n${this.recentStderr.join('\n')}` : '';
    return new EngineError(
      'process-crashed',
      "Inkling's model process stopped unexpectedly; it will restart with the next request. If this keeps happening, try a smaller model or dtype.",
      `Model process ${this.child.pid ?? '?'} ended (${how}).${tail}`,
    );
  }
}

function forwardLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered);
  });
  stream.on('error', () => undefined);
}
