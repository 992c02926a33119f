// The local HTTP bridge: the same contract as the Electron IPC adapter, bound to 127.0.0.1 only,
// guarded by a per-run token and a Host check (so other sites in a browser cannot reach it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CORE_EVENT_NAMES, type MethodName } from '../../../shared/contract.ts';
import type { CoreHandle, WireResult } from '../../core/service-api.ts';
import { isJsonText } from '../../core/json-text.ts';
import { loadStaticFile } from './static-files.ts';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MB = 1024 * 1024;
/** A request body larger than this is refused with 413, unless the method carries a file (below). */
export const MAX_BODY_BYTES = MB;
/**
 * Methods whose input is (part of) a file, with the largest body each may send. The console uploads helpdesk
 * exports in chunks of at most 8 MB (12 MB once base64-encoded), which the core streams to a private temporary
 * file; a JSONL file or a policy file travels whole, so its size is bounded here (larger JSONL files: the CLI).
 */
export const FILE_BODY_LIMITS: Partial<Record<MethodName, number>> = {
  'imports.upload': 13 * MB,
  'import.jsonl': 64 * MB,
  'sla.importPolicies': 9 * MB,
};

/** The body is larger than the method allows: answered 413 before more of it is read. */
class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`request body larger than ${limit / MB} MB`);
  }
}

export interface HttpBridgeOptions {
  core: CoreHandle;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface HttpBridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// The signed-in session rides in an HttpOnly, SameSite=Strict cookie: page scripts never see it, other sites
// never send it. It is honoured only together with this run's token and only if this bridge issued it.
const SESSION_COOKIE = 'attest_session';

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}

function sessionCookie(token: string | null): string {
  return token
    ? `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/api`
    : `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/api; Max-Age=0`;
}

/** A body in parts (written one after another, never joined into one buffer) or whole. */
function send(res: ServerResponse, status: number, body: string | Buffer | readonly Uint8Array[], contentType: string): void {
  const parts = Array.isArray(body) ? (body as readonly Uint8Array[]) : null;
  res.writeHead(status, {
    ...(parts ? { 'Content-Length': String(parts.reduce((sum, part) => sum + part.length, 0)) } : {}),
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  if (!parts) return void res.end(body as string | Buffer);
  for (const part of parts) res.write(part);
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

/**
 * A method's Result; a value a read thread already wrote as JSON is sent as those bytes (core/json-text.ts), between
 * the envelope's two ends — not copied into one buffer with them: at a million tickets a statement is 12–18 MB, and
 * the copy held the console's thread 123–167 ms under the background work (a CPU profile of the bench's load).
 */
function sendResult(res: ServerResponse, result: WireResult<unknown>): void {
  if (!result.ok || !isJsonText(result.value)) return sendJson(res, 200, result);
  send(res, 200, [OK_PREFIX, result.value.bytes, OK_SUFFIX], 'application/json; charset=utf-8');
}
// The envelope around such bytes: exactly what JSON.stringify({ ok: true, value }) writes around the value's JSON.
const OK_PREFIX = Buffer.from('{"ok":true,"value":');
const OK_SUFFIX = Buffer.from('}');

/** Reads a body of at most `limit` bytes; stops at the first byte past it (a declared length past it: at once). */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The method named in the path, or null when its %-encoding is malformed. */
function methodOfPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/api/rpc/'.length));
  } catch {
    return null;
  }
}

export function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { core } = options;
  let allowedHosts: Set<string> = new Set();
  // Session tokens this bridge handed out: a cookie from anywhere else (another run, another bridge) is no session.
  const issued = new Set<string>();
  const sessionOf = (req: IncomingMessage): string | null => {
    const token = cookieValue(req, SESSION_COOKIE);
    return token && issued.has(token) ? token : null;
  };

  const server = createServer(async (req, res) => {
    try {
      if (!allowedHosts.has(req.headers.host ?? '')) return sendJson(res, 421, { ok: false, error: { code: 'forbidden', message: 'unexpected Host header' } });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');

      if (url.pathname.startsWith('/api/rpc/')) {
        if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'use POST' } });
        if (!sameToken(req.headers['x-attest-token'] as string | undefined, token)) {
          return sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'missing or wrong session token' } });
        }
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          return sendJson(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Content-Type must be application/json' } });
        }
        const method = methodOfPath(url.pathname);
        if (method === null) return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'malformed method name (bad %-encoding)' } });
        const limit = FILE_BODY_LIMITS[method as MethodName] ?? MAX_BODY_BYTES;
        let raw: string;
        try {
          raw = await readBody(req, limit);
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          // The rest of the body is not read: the answer closes the connection instead.
          res.setHeader('Connection', 'close');
          sendJson(res, 413, { ok: false, error: { code: 'invalid_input', message: `${error.message} (the limit for ${method})` } });
          res.once('finish', () => req.destroy());
          return;
        }
        let input: unknown;
        try {
          input = raw.length ? JSON.parse(raw) : {};
        } catch {
          return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'request body is not valid JSON' } });
        }
        const result = await core.invokeForWire(method, input, {
          via: 'browser',
          session: sessionOf(req),
          onSession: (session) => {
            if (session) issued.add(session);
            else {
              const old = sessionOf(req);
              if (old) issued.delete(old);
            }
            res.setHeader('Set-Cookie', sessionCookie(session));
          },
        });
        return sendResult(res, result);
      }

      if (url.pathname === '/api/events') {
        if (!sameToken(url.searchParams.get('token'), token)) return sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'missing or wrong session token' } });
        const streamSession = sessionOf(req);
        if (!core.hasSession(streamSession)) return sendJson(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'sign in first' } });
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        // The stream belongs to its session: once that ends (sign-out, idle time, a disabled account, a locked
        // screen) it closes instead of telling an unsigned browser what happens.
        const unsubscribers = CORE_EVENT_NAMES.map((name) =>
          core.subscribe(name, (payload) => {
            if (!core.hasSession(streamSession)) return void res.end();
            res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
          }),
        );
        req.on('close', () => unsubscribers.forEach((unsubscribe) => unsubscribe()));
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'method not allowed' } });
      const file = await loadStaticFile(options.staticDir, url.pathname);
      if (file) return send(res, 200, file.body, file.contentType);
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return send(res, 503, `The console is not built yet: run "npm run build:renderer" (looked in ${options.staticDir}).\n`, 'text/plain; charset=utf-8');
      }
      return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: (error as Error).message } });
      else res.end();
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      resolve({
        url: `http://127.0.0.1:${port}/#token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
