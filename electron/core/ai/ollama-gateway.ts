// The only way the core talks to a model: the official Ollama client, bound to one host. Its fetch
// refuses every other destination, so nothing leaves the machine except to the configured server.
import type { AiHealth } from '../../../shared/contracts/ai.ts';
import { Ollama, type ChatResponse, type Message } from 'ollama';
import { normalizeHost } from './ollama-host.ts';

export type FailureKind = 'unreachable' | 'model_missing' | 'transient' | 'permanent' | 'cancelled';

export class AiCallError extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface ModelOptions {
  temperature: number;
  seed: number;
  num_ctx: number;
}

export interface CallMetrics {
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  eval_duration?: number;
}

export interface CallResult {
  content: string;
  metrics: CallMetrics;
}

/** What the health panel and `attest ai health` show (the contract's AiHealth). */
export type HealthReport = AiHealth;

// Host parsing (http(s) only, explicit port kept, loopback or an admin's allowance) lives in ollama-host.ts.
export { DEFAULT_OLLAMA_HOST, normalizeHost } from './ollama-host.ts';

function metricsOf(response: Partial<ChatResponse>): CallMetrics {
  const out: CallMetrics = {};
  for (const key of ['prompt_eval_count', 'eval_count', 'total_duration', 'eval_duration'] as const) {
    const value = response[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) out[key] = value;
  }
  return out;
}

export function classify(error: unknown, host: string, model: string): AiCallError {
  if (error instanceof AiCallError) return error;
  const err = error as { name?: string; status_code?: number; message?: string; cause?: { code?: string } };
  const message = err.message ?? String(error);
  if (err.name === 'AbortError' || /aborted/i.test(message)) return new AiCallError('cancelled', 'cancelled');
  if (err.name === 'TimeoutError') return new AiCallError('transient', `Ollama at ${host} did not answer in time`);
  if (typeof err.status_code === 'number') {
    if (err.status_code === 404 && /not found/i.test(message)) return new AiCallError('model_missing', `model "${model}" is not on the Ollama server at ${host}: run \`ollama pull ${model}\``);
    if (err.status_code >= 500 || err.status_code === 429) return new AiCallError('transient', `Ollama answered ${err.status_code}: ${message}`);
    return new AiCallError('permanent', `Ollama answered ${err.status_code}: ${message}`);
  }
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || /fetch failed/i.test(message)) {
    return new AiCallError(code === 'ECONNRESET' ? 'transient' : 'unreachable', `Ollama is not reachable at ${host}: start it with \`ollama serve\``);
  }
  // Stream cut off, an {"error": …} line mid-stream, a body that ended early.
  return new AiCallError('transient', `Ollama call failed: ${message}`);
}

export class OllamaGateway {
  readonly host: string;
  readonly model: string;
  readonly timeoutMs: number;

  constructor(host: string, model: string, timeoutMs = 120_000) {
    this.host = normalizeHost(host);
    this.model = model;
    this.timeoutMs = timeoutMs;
  }

  private client(signal?: AbortSignal): Ollama {
    const host = this.host;
    const timeoutMs = this.timeoutMs;
    const guarded = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith(`${host}/`)) return Promise.reject(new AiCallError('permanent', `refused network call to ${url}: only ${host} is allowed`));
      const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
      return fetch(input, { ...init, signal: AbortSignal.any(signals) });
    };
    return new Ollama({ host, fetch: guarded as typeof fetch });
  }

  /** Non-streaming chat with structured output. */
  async chatJson(messages: Message[], format: Record<string, unknown>, options: ModelOptions, signal?: AbortSignal): Promise<CallResult> {
    try {
      const response = await this.client(signal).chat({ model: this.model, messages, format, options, stream: false });
      return { content: response.message?.content ?? '', metrics: metricsOf(response) };
    } catch (error) {
      throw classify(error, this.host, this.model);
    }
  }

  /** Streaming chat: onChunk sees the text as it arrives. */
  async chatStream(messages: Message[], options: ModelOptions, onChunk: (text: string) => void, signal?: AbortSignal): Promise<CallResult> {
    let content = '';
    try {
      const stream = await this.client(signal).chat({ model: this.model, messages, options, stream: true });
      const onAbort = (): void => stream.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const part of stream) {
          const piece = part.message?.content ?? '';
          if (piece) {
            content += piece;
            onChunk(piece);
          }
          if (part.done) return { content, metrics: metricsOf(part) };
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      throw new AiCallError('transient', 'Ollama stream ended before the answer was complete');
    } catch (error) {
      throw classify(error, this.host, this.model);
    }
  }

  async health(): Promise<HealthReport> {
    const base: HealthReport = { host: this.host, reachable: false, version: null, models: [], model: this.model, modelPresent: false, digest: null, message: null };
    try {
      const client = this.client();
      const [version, tags] = await Promise.all([client.version(), client.list()]);
      const models = tags.models.map((m) => ({
        name: m.name,
        digest: m.digest,
        size: m.size,
        parameterSize: m.details?.parameter_size ?? null,
        quantization: m.details?.quantization_level ?? null,
      }));
      const found = models.find((m) => m.name === this.model || m.name === `${this.model}:latest`);
      return {
        ...base,
        reachable: true,
        version: version.version,
        models,
        modelPresent: Boolean(found),
        digest: found?.digest ?? null,
        message: found ? null : `Model "${this.model}" is not on the Ollama server at ${this.host}: run \`ollama pull ${this.model}\``,
      };
    } catch (error) {
      const failure = classify(error, this.host, this.model);
      return { ...base, message: failure.kind === 'unreachable' || failure.kind === 'transient' ? `Ollama is not reachable at ${this.host}: start it with \`ollama serve\`` : failure.message };
    }
  }
}
