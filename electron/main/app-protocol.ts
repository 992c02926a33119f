// The console is served from the custom scheme attest://app/ (standard + secure), mapped onto the
// files of dist/renderer. A custom scheme instead of file:// keeps the page from reading arbitrary
// local files and lets us attach the CSP header to every response. Pure and testable in Node
// (uses the global Request/Response that both Node and Electron's main process provide).
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';

export const APP_SCHEME = 'attest';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps attest://app/<path> to a file inside `rendererDir`, or null when it is outside / malformed. */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const file = join(rendererDir, pathname);
  const rel = relative(rendererDir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

export interface AppProtocolOptions {
  rendererDir: string;
  contentSecurityPolicy: string;
  read?: (file: string) => Promise<Uint8Array>;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = options.read ?? ((file: string) => readFile(file));
  const securityHeaders = {
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const fail = (status: number, text: string) =>
    new Response(text, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request: Request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'method not allowed');
    const file = resolveAppAsset(options.rendererDir, request.url);
    if (!file) return fail(404, 'not found');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      // Client-side routes without an extension fall back to the console's entry page.
      if (extname(file) !== '') return fail(404, 'not found');
      try {
        body = await read(join(options.rendererDir, 'index.html'));
      } catch {
        return fail(404, 'not found');
      }
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: { ...securityHeaders, 'Content-Type': MIME_TYPES['.html']! },
      });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...securityHeaders, 'Content-Type': mimeTypeOf(file) },
    });
  };
}
