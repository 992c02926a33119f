// The only way the core talks to a model: the official Ollama client, bound to one host. Its fetch
// refuses every other destination, so nothing leaves the machine except to the configured server.
import type { AiHealth } from '../../../shared/contracts/ai.ts';
import type * as OllamaPackage from 'ollama';
import type { ChatResponse, Message, Ollama } from 'ollama';
import { loadOnFirstUse } from '../load-on-first-use.ts';
import type { ProbeResult } from './circuit-breaker.ts';
import { normalizeHost } from './ollama-host.ts';

/** The Ollama client, loaded by the first model call: most commands never make one (load-on-first-use.ts). */
const ollamaClient = loadOnFirstUse<typeof OllamaPackage>('ollama');

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

/** What the gateway knows about a call when it failed: who aborted it, how far a stream got. */
export interface CallContext {
  /** The caller's signal fired (cancel): never a model failure. */
  cancelled?: boolean;
  /** The call's own deadline fired. */
  timedOutAfterMs?: number;
  /** Streaming: pieces received before the failure (null: the stream had not started). */
  chunks?: number | null;
}

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused at',
  ENOTFOUND: 'host name not found for',
  EAI_AGAIN: 'host name could not be resolved for',
  EHOSTUNREACH: 'no route to',
  ENETUNREACH: 'network unreachable for',
  ECONNRESET: 'connection reset by',
  EPIPE: 'connection closed by',
  ETIMEDOUT: 'connection timed out to',
  UND_ERR_SOCKET: 'connection closed by',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out to',
};
/** Could not connect at all: the server is down or the address is wrong (the rest of CONNECT_FAILURES broke mid-call). */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The first Node error code in an error's cause chain (fetch wraps the socket's error). */
function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * Names what happened, precisely, and sorts it: `unreachable` and `transient` are retried and pause the queue
 * (they say nothing about the ticket), `model_missing` stops the run, `permanent` hands the ticket to a person.
 */
export function classify(error: unknown, host: string, model: string, context: CallContext = {}): AiCallError {
  if (error instanceof AiCallError) return error;
  if (context.cancelled) return new AiCallError('cancelled', 'cancelled');
  if (context.timedOutAfterMs !== undefined) {
    const seconds = Math.round(context.timedOutAfterMs / 100) / 10;
    const where = context.chunks ? ` (stream interrupted after ${context.chunks} chunk${context.chunks === 1 ? '' : 's'})` : '';
    return new AiCallError('transient', `timed out after ${seconds}s waiting for Ollama at ${host}${where}`);
  }
  const err = error as { name?: string; status_code?: number; message?: string };
  const message = err.message ?? String(error);
  if (typeof err.status_code === 'number') {
    if (err.status_code === 404 && /model .*not found/i.test(message)) return new AiCallError('model_missing', `model "${model}" is not on the Ollama server at ${host}: run \`ollama pull ${model}\``);
    if (err.status_code >= 500 || err.status_code === 429 || err.status_code === 408) return new AiCallError('transient', `Ollama answered ${err.status_code}: ${message}`);
    return new AiCallError('permanent', `Ollama answered ${err.status_code}: ${message}`);
  }
  const code = errorCode(error);
  const streamed = context.chunks !== undefined && context.chunks !== null;
  if (code && CONNECT_FAILURES[code] && !streamed) {
    const what = `${CONNECT_FAILURES[code]} ${host}`;
    if (NOT_CONNECTED.has(code)) return new AiCallError('unreachable', code === 'ECONNREFUSED' ? `${what}; start Ollama with \`ollama serve\`` : what);
    return new AiCallError('transient', `${what} before the answer was complete`);
  }
  if (!streamed && /fetch failed/i.test(message)) {
    // No connection was made for another reason (fetch refuses reserved ports such as 9 with "bad port", TLS…).
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return new AiCallError('unreachable', `could not connect to ${host}${cause ? `: ${cause}` : ''}`);
  }
  if (streamed) {
    // A body cut off mid-way, or Ollama's own `{"error": …}` line in the stream (the model runner failed).
    const detail = code && CONNECT_FAILURES[code] ? `${CONNECT_FAILURES[code]} ${host}` : message;
    return new AiCallError('transient', `Ollama stream interrupted after ${context.chunks} chunk${context.chunks === 1 ? '' : 's'}: ${detail}`);
  }
  if (err.name === 'AbortError') return new AiCallError('transient', `Ollama call to ${host} was aborted: ${message}`);
  // A body that ended early or was not JSON: the server misbehaved, not the ticket.
  return new AiCallError('transient', `Ollama call to ${host} failed: ${message}`);
}

/**
 * One call's abort: the caller's signal or the call's deadline, whichever fires first. Its timer and listeners go
 * when the call ends. (AbortSignal.timeout would keep every call's timer alive for the whole timeout, and
 * AbortSignal.any on the queue's long-lived signal keeps every call's signal until the queue ends: a leak of
 * hundreds of bytes per call over a batch of 50,000 tickets.)
 */
class CallAbort {
  readonly timeoutMs: number;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly unlinks: (() => void)[] = [];
  timedOut = false;

  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    if (caller) this.link(caller);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts this call when `signal` fires. */
  link(signal: AbortSignal): void {
    if (signal.aborted) return this.controller.abort(signal.reason);
    const abort = (): void => this.controller.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    this.unlinks.push(() => signal.removeEventListener('abort', abort));
  }

  end(): void {
    clearTimeout(this.timer);
    for (const unlink of this.unlinks.splice(0)) unlink();
  }
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

  /** A client bound to the host; its requests end when the call is aborted (caller's signal or deadline). */
  private client(call: CallAbort): Ollama {
    const host = this.host;
    const guarded = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith(`${host}/`)) return Promise.reject(new AiCallError('permanent', `refused network call to ${url}: only ${host} is allowed`));
      if (init?.signal) call.link(init.signal);
      // Never follow a redirect: it would carry the request (and its ticket text) to an address nobody allowed.
      return fetch(input, { ...init, redirect: 'error', signal: call.signal }).catch((error: unknown) => {
        if ((error as { cause?: { message?: string } }).cause?.message === 'unexpected redirect') {
          throw new AiCallError('permanent', `Ollama at ${host} answered with a redirect; Attest does not follow it (only ${host} may be contacted)`);
        }
        throw error;
      });
    };
    return new (ollamaClient().Ollama)({ host, fetch: guarded as typeof fetch });
  }

  private failure(error: unknown, caller: AbortSignal | undefined, call: CallAbort, chunks?: number | null): AiCallError {
    return classify(error, this.host, this.model, {
      cancelled: caller?.aborted === true,
      ...(call.timedOut ? { timedOutAfterMs: call.timeoutMs } : {}),
      ...(chunks !== undefined ? { chunks } : {}),
    });
  }

  /** Non-streaming chat with structured output. */
  async chatJson(messages: Message[], format: Record<string, unknown>, options: ModelOptions, signal?: AbortSignal): Promise<CallResult> {
    const call = new CallAbort(this.timeoutMs, signal);
    try {
      const response = await this.client(call).chat({ model: this.model, messages, format, options, stream: false });
      return { content: response.message?.content ?? '', metrics: metricsOf(response) };
    } catch (error) {
      throw this.failure(error, signal, call);
    } finally {
      call.end();
    }
  }

  /** Streaming chat: onChunk sees the text as it arrives. A stream cut short says after how many chunks. */
  async chatStream(messages: Message[], options: ModelOptions, onChunk: (text: string) => void, signal?: AbortSignal): Promise<CallResult> {
    const call = new CallAbort(this.timeoutMs, signal);
    let content = '';
    let chunks: number | null = null;
    try {
      const stream = await this.client(call).chat({ model: this.model, messages, options, stream: true });
      chunks = 0;
      for await (const part of stream) {
        chunks++;
        const piece = part.message?.content ?? '';
        if (piece) {
          content += piece;
          onChunk(piece);
        }
        if (part.done) return { content, metrics: metricsOf(part) };
      }
      throw new AiCallError('transient', `Ollama stream interrupted after ${chunks} chunk${chunks === 1 ? '' : 's'}: it ended before the answer was complete`);
    } catch (error) {
      throw this.failure(error, signal, call, chunks);
    } finally {
      call.end();
    }
  }

  /** Whether the server answers and has the model: what the circuit breaker probes while the queue is paused. */
  async ready(signal?: AbortSignal): Promise<ProbeResult> {
    const call = new CallAbort(Math.min(this.timeoutMs, 10_000), signal);
    try {
      const tags = await this.client(call).list();
      if (tags.models.some((m) => m.name === this.model || m.name === `${this.model}:latest`)) return { ready: true, failure: null };
      return { ready: false, failure: new AiCallError('model_missing', `model "${this.model}" is not on the Ollama server at ${this.host}: run \`ollama pull ${this.model}\``) };
    } catch (error) {
      return { ready: false, failure: this.failure(error, signal, call) };
    } finally {
      call.end();
    }
  }

  /**
   * The health panel's report. Its two GETs are idempotent, so a transient failure (typically a kept-alive
   * connection the server dropped, seen as "connection reset") is retried once before anything is reported.
   */
  async health(): Promise<HealthReport> {
    const first = await this.healthOnce();
    return first.retry ? (await this.healthOnce()).report : first.report;
  }

  private async healthOnce(): Promise<{ report: HealthReport; retry: boolean }> {
    const report = (r: HealthReport, retry = false) => ({ report: r, retry });
    const base: HealthReport = { host: this.host, reachable: false, version: null, models: [], model: this.model, modelPresent: false, digest: null, message: null };
    const call = new CallAbort(this.timeoutMs);
    try {
      const client = this.client(call);
      const [version, tags] = await Promise.all([client.version(), client.list()]);
      const models = tags.models.map((m) => ({
        name: m.name,
        digest: m.digest,
        size: m.size,
        parameterSize: m.details?.parameter_size ?? null,
        quantization: m.details?.quantization_level ?? null,
      }));
      const found = models.find((m) => m.name === this.model || m.name === `${this.model}:latest`);
      return report({
        ...base,
        reachable: true,
        version: version.version,
        models,
        modelPresent: Boolean(found),
        digest: found?.digest ?? null,
        message: found ? null : `Model "${this.model}" is not on the Ollama server at ${this.host}: run \`ollama pull ${this.model}\``,
      });
    } catch (error) {
      // Says what happened: a refused connection is "not reachable", a 5xx or a cut-off answer is not.
      const failure = this.failure(error, undefined, call);
      if (failure.kind !== 'unreachable') return report({ ...base, message: failure.message }, failure.kind === 'transient');
      const refused = errorCode(error) === 'ECONNREFUSED';
      return report({ ...base, message: `Ollama is not reachable at ${this.host}: ${refused ? 'start it with `ollama serve`' : failure.message}` });
    } finally {
      call.end();
    }
  }
}
