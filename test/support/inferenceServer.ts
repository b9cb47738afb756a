// A stand-in for an inference server on 127.0.0.1, speaking the OpenAI-compatible API the way each
// engine documents it (vLLM, TGI, the llama.cpp server, Ollama): GET /v1/models, POST /v1/completions
// and /v1/chat/completions streamed as server-sent events ending in `data: [DONE]`, each engine's
// error bodies, API-key check, model-name handling and stop-string limit. The text comes from a
// generator (tests use Inkling's own engine with the successor model, so the output is known).
// It records every request, counts the open ones, and can fail, stall, break or die on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Dialect = 'vllm' | 'tgi' | 'llamacpp' | 'ollama';

export interface ChatTurn { role: string; content: string }

/** Where the text comes from: pieces in order; the signal aborts when the client goes away. */
export interface TextSource {
  complete(prompt: string, body: Record<string, unknown>, signal: AbortSignal): AsyncIterable<string>;
  chat(messages: ChatTurn[], body: Record<string, unknown>, signal: AbortSignal): AsyncIterable<string>;
}

/** What the next request gets instead of an answer. */
export type Trouble =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Stops sending after this many pieces, keeping the connection open. */
  | { kind: 'stall'; afterPieces: number }
  /** Destroys the connection after this many pieces. */
  | { kind: 'drop'; afterPieces: number }
  /** Sends an event whose data is not JSON after this many pieces. */
  | { kind: 'garbage'; afterPieces: number }
  /** Answers 200 with an HTML page, as a captive portal or a misrouted proxy would. */
  | { kind: 'html' };

export interface RecordedRequest { method: string; path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> | undefined }

export interface StandInOptions {
  dialect?: Dialect;
  /** Names the server serves (/v1/models); the first is the default. */
  models?: string[];
  /** Requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  source: TextSource;
  /** Pause before each piece, so a stream lasts long enough to interrupt. */
  pieceDelayMs?: number;
  /** Line ends of the event stream (a proxy may rewrite them to CRLF). */
  lineEnd?: '\n' | '\r\n';
  /** A port to listen on (a restarted server keeps its address). */
  port?: number;
}

export interface StandIn {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Completion and chat requests whose connection is still open. */
  readonly open: number;
  /** What went wrong inside the stand-in (a generator that threw), for failure messages. */
  readonly errors: string[];
  /** The most that were ever open at once. */
  readonly mostOpen: number;
  /** Applies `trouble` to the next `times` completion or chat requests. */
  trouble(trouble: Trouble, times?: number): void;
  /** A pause before each piece: fixed, or chosen from the text sent so far (a pace that changes mid-stream). */
  setPieceDelay(ms: number | ((sent: string) => number)): void;
  /** Drops every connection and stops listening, as a killed process would. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): Promise<void>;
  close(): Promise<void>;
}

// The largest number of stop strings TGI accepts by default (its --max-stop-sequences).
const TGI_MAX_STOPS = 4;

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const dialect = options.dialect ?? 'vllm';
  const models = options.models ?? ['served-model'];
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const troubles: Trouble[] = [];
  const sockets = new Set<Socket>();
  let pieceDelay: number | ((sent: string) => number) = options.pieceDelayMs ?? 0;
  let open = 0;
  let mostOpen = 0;
  const eol = options.lineEnd ?? '\n';
  let server: Server;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const raw = await readBody(req);
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) return sendError(res, dialect, 401, 'auth');
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(dialect, models));
    const chat = path === '/v1/chat/completions';
    if (req.method !== 'POST' || (path !== '/v1/completions' && !chat)) return sendError(res, dialect, 404, 'route', path);
    if (!body) return sendError(res, dialect, 400, 'bad', 'the body is not JSON');
    const invalid = validate(body, chat, dialect, models);
    if (invalid) return sendError(res, dialect, invalid.status, invalid.kind, invalid.message);
    const trouble = troubles.shift();
    if (trouble?.kind === 'status') {
      res.writeHead(trouble.status, { 'content-type': 'application/json', ...trouble.headers }).end(trouble.body ?? '');
      return;
    }
    if (trouble?.kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please sign in to the network.</body></html>');
      return;
    }
    // Open until the connection closes: a client that hangs up frees its slot at once, as vLLM frees
    // it, even while the generator winds down.
    open++;
    mostOpen = Math.max(mostOpen, open);
    const gone = new AbortController();
    res.on('close', () => {
      open--;
      gone.abort();
    });
    await streamAnswer(res, body, chat, trouble, gone.signal);
  };

  const streamAnswer = async (res: ServerResponse, body: Record<string, unknown>, chat: boolean, trouble: Trouble | undefined, gone: AbortSignal) => {
    const model = dialect === 'llamacpp' || dialect === 'tgi' ? models[0]! : String(body.model);
    const id = `${chat ? 'chatcmpl' : 'cmpl'}-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const pieces = chat
      ? options.source.chat(body.messages as ChatTurn[], body, gone)
      : options.source.complete(String(body.prompt), body, gone);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: string) => {
      if (!gone.aborted) res.write(`data: ${data}${eol}${eol}`);
    };
    if (chat) send(JSON.stringify(chunk(dialect, id, created, model, chat, { role: 'assistant', content: '' }, null)));
    let count = 0;
    let generated = 0;
    let sent = '';
    for await (const piece of pieces) {
      if (gone.aborted) return;
      const delayMs = typeof pieceDelay === 'number' ? pieceDelay : pieceDelay(sent);
      if (delayMs > 0) await sleep(delayMs);
      if (gone.aborted) return;
      if (trouble && 'afterPieces' in trouble && count === trouble.afterPieces) {
        if (trouble.kind === 'stall') return new Promise<void>((resolve) => gone.addEventListener('abort', () => resolve()));
        if (trouble.kind === 'drop') return void res.socket?.destroy();
        if (trouble.kind === 'garbage') {
          res.write(`data: {"choices": [{"text": oops${eol}${eol}`);
          return void res.end();
        }
      }
      count++;
      generated++;
      // A comment line between events, as some proxies send to keep the connection open.
      if (count === 2) res.write(`: keep-alive${eol}`);
      send(JSON.stringify(chunk(dialect, id, created, model, chat, chat ? { content: piece } : piece, null)));
      sent += piece;
    }
    if (gone.aborted) return;
    const finish = generated >= Number(body.max_tokens ?? Infinity) ? 'length' : dialect === 'tgi' ? 'eos_token' : 'stop';
    send(JSON.stringify(chunk(dialect, id, created, model, chat, chat ? {} : '', finish)));
    const usage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    if (usage && dialect !== 'tgi') send(JSON.stringify({ id, object: chat ? 'chat.completion.chunk' : 'text_completion', created, model, choices: [], usage: { prompt_tokens: 0, completion_tokens: generated, total_tokens: generated } }));
    send('[DONE]');
    res.end();
  };

  const makeServer = () => {
    const made = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        errors.push(error instanceof Error ? error.stack ?? error.message : String(error));
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
    });
    made.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return made;
  };
  server = makeServer();
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const port = await listen(options.port ?? 0);
  const stop = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    errors,
    get open() { return open; },
    get mostOpen() { return mostOpen; },
    trouble(trouble, times = 1) {
      for (let i = 0; i < times; i++) troubles.push(trouble);
    },
    setPieceDelay(ms) {
      pieceDelay = ms;
    },
    kill: stop,
    async revive() {
      server = makeServer();
      await listen(port);
    },
    close: stop,
  };
}

/** Rejects what the engine would reject, with its status. */
function validate(body: Record<string, unknown>, chat: boolean, dialect: Dialect, models: string[]): { status: number; kind: 'bad' | 'model'; message: string } | undefined {
  if (chat ? !Array.isArray(body.messages) : typeof body.prompt !== 'string') return { status: dialect === 'tgi' ? 422 : 400, kind: 'bad', message: chat ? 'messages is required' : 'prompt must be a string' };
  // vLLM and Ollama route by model name; TGI and the llama.cpp server serve their one model whatever the name.
  if ((dialect === 'vllm' || dialect === 'ollama') && !models.includes(String(body.model))) return { status: 404, kind: 'model', message: String(body.model) };
  if (dialect === 'tgi' && Array.isArray(body.stop) && body.stop.length > TGI_MAX_STOPS) {
    return { status: 422, kind: 'bad', message: `stop must have at most ${TGI_MAX_STOPS} sequences` };
  }
  return undefined;
}

function chunk(dialect: Dialect, id: string, created: number, model: string, chat: boolean, content: string | Record<string, string>, finish: string | null) {
  // TGI marks an unfinished chunk with an empty finish reason; the others with null.
  const finishReason = finish ?? (dialect === 'tgi' ? '' : null);
  const choice = chat
    ? { index: 0, delta: content, logprobs: null, finish_reason: finishReason }
    : { index: 0, text: content, logprobs: null, finish_reason: finishReason };
  const base = { id, object: chat ? 'chat.completion.chunk' : 'text_completion', created, model, choices: [choice] };
  if (dialect === 'ollama') return { ...base, system_fingerprint: 'fp_ollama' };
  if (dialect === 'llamacpp') return { ...base, system_fingerprint: 'b0000-standin' };
  if (dialect === 'tgi') return { ...base, system_fingerprint: '0.0.0-standin' };
  return { ...base, ...(chat ? {} : { usage: null }) };
}

function modelList(dialect: Dialect, models: string[]) {
  const owner = { vllm: 'vllm', tgi: 'text-generation-inference', llamacpp: 'llamacpp', ollama: 'library' }[dialect];
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: owner })) };
}

/** Each engine's error body for a status. */
function sendError(res: ServerResponse, dialect: Dialect, status: number, kind: 'auth' | 'route' | 'bad' | 'model', detail = ''): void {
  const message = kind === 'auth' ? (dialect === 'llamacpp' ? 'Invalid API Key' : 'Unauthorized')
    : kind === 'model' ? (dialect === 'ollama' ? `model "${detail}" not found, try pulling it first` : `The model \`${detail}\` does not exist.`)
    : kind === 'route' ? `Not Found: ${detail}` : detail;
  if (dialect === 'tgi') return sendJson(res, status, { error: message, error_type: kind === 'bad' ? 'validation' : kind });
  if (dialect === 'vllm' && kind === 'auth') return sendJson(res, status, { error: message });
  const type = { auth: 'authentication_error', route: 'not_found_error', model: 'not_found_error', bad: 'invalid_request_error' }[kind];
  return sendJson(res, status, { error: { message, type, param: null, code: status } });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (text += part));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
