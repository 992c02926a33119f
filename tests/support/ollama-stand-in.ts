// A stand-in for an Ollama server on 127.0.0.1, speaking its wire protocol: /api/chat (NDJSON stream and
// single JSON answer), /api/tags, /api/show, /api/version, `{"error": "…"}` bodies with Ollama's status
// codes, "404 page not found" for unknown routes. Each test scripts what the "model" answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
}

export type Step = 'triage' | 'draft' | 'check' | 'other';

/** What the scripted model does with one /api/chat request. */
export interface ChatScript {
  content?: string;
  /** Answer with this HTTP status and `{"error": error}` instead. */
  status?: number;
  error?: string;
  /** Streaming only: split the content into these pieces (default: words). */
  chunks?: string[];
  chunkDelayMs?: number;
  /** Wait before answering at all. */
  delayMs?: number;
  /** Streaming only: destroy the connection after this many chunks (server dies mid-stream). */
  dropAfterChunks?: number;
  /** Streaming only: after this many chunks send an `{"error": …}` line (Ollama's mid-stream error). */
  errorAfterChunks?: number;
  /** Close the connection without any answer (after delayMs): the client sees the socket closed mid-request. */
  closeWithoutAnswer?: boolean;
  promptEvalCount?: number;
  evalCount?: number;
}

export type ChatResponder = (body: ChatBody, step: Step, call: number) => ChatScript;

export interface StandInModel {
  name: string;
  digest: string;
  size?: number;
}

export interface StandIn {
  host: string;
  port: number;
  /** Every /api/chat body received, in order. */
  chats: { body: ChatBody; step: Step }[];
  setResponder(responder: ChatResponder): void;
  setModels(models: StandInModel[]): void;
  /** Stops listening (connections refused) until restart(). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const STAND_IN_DIGEST = 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72';
export const STAND_IN_VERSION = '0.12.6';

export function stepOf(body: ChatBody): Step {
  const schema = body.format as { properties?: Record<string, unknown> } | undefined;
  if (schema?.properties && 'wants_human' in schema.properties) return 'triage';
  if (schema?.properties && 'supported' in schema.properties) return 'check';
  if (!body.format && body.messages[0]?.content.includes('You write replies')) return 'draft';
  return 'other';
}

const customerText = (body: ChatBody): string => {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  return /<customer_message>([\s\S]*?)<\/customer_message>/.exec(user)?.[1] ?? user;
};

/** A plausible, deterministic "model": enough for the pipeline to reach every decision. */
export const defaultResponder: ChatResponder = (body, step) => {
  const text = customerText(body);
  if (step === 'triage') {
    const enumValues = ((body.format as { properties: { category: { enum?: string[] } } }).properties.category.enum ?? ['other']) as string[];
    const subject = /Subject: (.*)/.exec(text)?.[1] ?? 'question';
    return {
      content: JSON.stringify({
        category: enumValues[0],
        tier: 1,
        language: 'en',
        topic: subject.toLowerCase().split(/\s+/).slice(0, 4).join(' '),
        wants_human: false,
        needs_manual_action: false,
        confidence: 0.9,
      }),
    };
  }
  if (step === 'draft') {
    const id = /<article id="([^"]+)"/.exec(body.messages[0]!.content)?.[1] ?? 'none';
    return { content: `Thanks for reaching out. The steps in our help centre explain how to do this. [kb:${id}]` };
  }
  if (step === 'check') {
    return { content: JSON.stringify({ supported: true, unsupported_claims: [], forbidden_promises: [], resolution: 'answers_fully', confidence: 0.9 }) };
  }
  return { content: 'ok' };
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) throw new Error('EOF');
  return JSON.parse(raw);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startOllamaStandIn(options: { models?: StandInModel[]; responder?: ChatResponder; port?: number } = {}): Promise<StandIn> {
  let models: StandInModel[] = options.models ?? [{ name: 'llama3.2:3b', digest: STAND_IN_DIGEST, size: 2019393189 }];
  let responder = options.responder ?? defaultResponder;
  const chats: { body: ChatBody; step: Step }[] = [];
  const sockets = new Set<Socket>();
  let callCount = 0;

  const modelEntry = (m: StandInModel) => ({
    name: m.name,
    model: m.name,
    modified_at: '2025-06-01T10:00:00.000000+02:00',
    size: m.size ?? 2019393189,
    digest: m.digest,
    details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  });
  const findModel = (name: string) => models.find((m) => m.name === name || m.name === `${name}:latest`);

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: ChatBody;
    try {
      body = (await readJson(req)) as ChatBody;
    } catch (error) {
      return json(res, 400, { error: (error as Error).message === 'EOF' ? 'EOF' : 'invalid character in request body' });
    }
    if (!body.model) return json(res, 400, { error: 'model is required' });
    if (!findModel(body.model)) return json(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
    const step = stepOf(body);
    chats.push({ body, step });
    const script = responder(body, step, ++callCount);
    if (script.delayMs) await sleep(script.delayMs);
    if (script.closeWithoutAnswer) return void req.socket.destroy();
    if (script.status) return json(res, script.status, { error: script.error ?? 'internal error' });
    const content = script.content ?? '';
    const created = new Date().toISOString();
    const final = {
      model: body.model,
      created_at: created,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1_250_000_000,
      load_duration: 12_000_000,
      prompt_eval_count: script.promptEvalCount ?? 412,
      prompt_eval_duration: 310_000_000,
      eval_count: script.evalCount ?? 58,
      eval_duration: 900_000_000,
    };
    if (body.stream === false) return json(res, 200, { ...final, message: { role: 'assistant', content } });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked' });
    const pieces = script.chunks ?? content.split(/(?<= )/);
    for (let i = 0; i < pieces.length; i++) {
      if (script.dropAfterChunks !== undefined && i >= script.dropAfterChunks) {
        req.socket.destroy();
        return;
      }
      if (script.errorAfterChunks !== undefined && i >= script.errorAfterChunks) {
        res.end(JSON.stringify({ error: script.error ?? 'an error was encountered while running the model' }) + '\n');
        return;
      }
      res.write(JSON.stringify({ model: body.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: pieces[i] }, done: false }) + '\n');
      if (script.chunkDelayMs) await sleep(script.chunkDelayMs);
    }
    res.end(JSON.stringify(final) + '\n');
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = (method: string, fn: () => unknown): unknown => (req.method === method ? fn() : text(res, 405, '405 method not allowed'));
    try {
      if (path === '/') return void text(res, 200, 'Ollama is running');
      if (path === '/api/version') return void route('GET', () => json(res, 200, { version: STAND_IN_VERSION }));
      if (path === '/api/tags') return void route('GET', () => json(res, 200, { models: models.map(modelEntry) }));
      if (path === '/api/show')
        return void (await route('POST', async () => {
          let body: { model?: string; name?: string };
          try {
            body = (await readJson(req)) as { model?: string; name?: string };
          } catch {
            return json(res, 400, { error: 'EOF' });
          }
          const model = findModel(body.model ?? body.name ?? '');
          if (!model) return json(res, 404, { error: `model '${body.model ?? body.name ?? ''}' not found` });
          return json(res, 200, {
            modelfile: `FROM ${model.name}`,
            parameters: 'stop "<|eot_id|>"',
            template: '{{ .Prompt }}',
            details: modelEntry(model).details,
            model_info: { 'general.architecture': 'llama', 'general.parameter_count': 3212749888 },
            capabilities: ['completion', 'tools'],
            modified_at: '2025-06-01T10:00:00.000000+02:00',
          });
        }));
      if (path === '/api/chat') return void (await route('POST', () => chat(req, res)));
      return void text(res, 404, '404 page not found');
    } catch (error) {
      if (!res.headersSent) json(res, 500, { error: (error as Error).message });
      else res.end();
    }
  };

  let server: Server = createServer((req, res) => void handler(req, res));
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server = createServer((req, res) => void handler(req, res));
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(options.port ?? 0);
  const halt = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return {
    host: `http://127.0.0.1:${port}`,
    port,
    chats,
    setResponder: (next) => {
      responder = next;
    },
    setModels: (next) => {
      models = next;
    },
    stop: halt,
    restart: async () => {
      await listen(port);
    },
    close: halt,
  };
}
