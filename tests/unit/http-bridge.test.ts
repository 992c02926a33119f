import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_BODY_LIMITS, MAX_BODY_BYTES, startHttpBridge, type HttpBridge } from '../../electron/adapters/http/server.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { SMALL_FIXTURE, smallLedgerWithConsole, tempDb, tempDir } from './helpers.ts';

let bridge: HttpBridge | undefined;
let core: CoreHandle | undefined;
afterEach(async () => {
  await bridge?.close();
  core?.close();
  bridge = undefined;
  core = undefined;
});

async function start(role: 'admin' | 'supervisor' | 'auditor' = 'supervisor') {
  const { path, staticDir } = smallLedgerWithConsole();
  core = openCore({ dbPath: path, role });
  bridge = await startHttpBridge({ core, staticDir });
  return bridge;
}

function rpc(b: HttpBridge, method: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${b.port}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Attest-Token': b.token, ...headers },
    body: JSON.stringify(body),
  });
}

describe('HTTP bridge', () => {
  it('binds to 127.0.0.1 and serves the contract', async () => {
    const b = await start();
    expect(b.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    const page = await (await rpc(b, 'tickets.list', { filter: { status: ['solved'] } })).json();
    expect(page).toMatchObject({ ok: true, value: { total: 1, rows: [{ id: 'T-1', resolvedBy: 'ai' }] } });
    const detail = await (await rpc(b, 'tickets.get', { id: 'T-2' })).json();
    expect(detail.value.events.map((e: { seq: number }) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    // "Verify now" waits for a full re-read; the status then reports it, with how many events and when.
    const verified = await (await rpc(b, 'ledger.verify', {})).json();
    expect(verified.value).toMatchObject({ state: 'verified', verifiedEvents: 16, status: { intact: true, eventCount: 16 } });
    const status = await (await rpc(b, 'ledger.status', {})).json();
    expect(status.value).toMatchObject({ state: 'verified', status: { intact: true, eventCount: 16 } });
    expect(Date.parse(status.value.verifiedAt)).not.toBeNaN();
  });

  it('validates input at the boundary and names the bad field', async () => {
    const b = await start();
    const result = await (await rpc(b, 'tickets.list', { filter: { status: ['exploded'] }, limit: 100000 })).json();
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.details.join('\n')).toMatch(/filter\.status\.0/);
    expect(result.error.details.join('\n')).toMatch(/limit/);
    expect(await (await rpc(b, 'tickets.drop', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await (await rpc(b, 'tickets.get', { id: 'T-404' })).json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses calls without the session token or from a foreign Host', async () => {
    const b = await start();
    expect((await rpc(b, 'tickets.list', {}, { 'X-Attest-Token': 'wrong' })).status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: b.port, path: '/', headers: { Host: 'evil.example:80' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('enforces roles in the core: an auditor may read but not import', async () => {
    const b = await start('auditor');
    expect((await (await rpc(b, 'tickets.list', {})).json()).ok).toBe(true);
    const result = await (await rpc(b, 'import.jsonl', { fileName: 'x.jsonl', text: '' })).json();
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('imports through the contract, reports file:line errors, and pushes ledger.changed', async () => {
    const b = await start();
    const bad = await (await rpc(b, 'import.jsonl', { fileName: 'upload.jsonl', text: '{"ticket":"N-1","type":"csat","at":"yesterday","score":3}\n' })).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'import_failed', message: 'upload.jsonl:1: at: "yesterday" is not an ISO 8601 timestamp with a time zone' } });

    const events = await fetch(`http://127.0.0.1:${b.port}/api/events?token=${b.token}`);
    const reader = events.body!.getReader();
    const good = await (await rpc(b, 'import.jsonl', { fileName: 'upload.jsonl', text: '{"ticket":"N-1","type":"csat","at":"2026-10-05T09:00:00Z","score":3}\n' })).json();
    expect(good).toMatchObject({ ok: true, value: { eventsAdded: 1 } });
    let received = '';
    while (!received.includes('ledger.changed')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).toMatch(/event: ledger\.changed\ndata: \{"eventCount":18,/);
    await reader.cancel();
  });

  it('serves the console with a strict CSP and never a path outside its folder', async () => {
    const b = await start();
    const index = await fetch(`http://127.0.0.1:${b.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect((await fetch(`http://127.0.0.1:${b.port}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});

/** A raw request, so a test controls the body's framing (declared length, chunked) and sees the status as sent. */
function rawRpc(b: HttpBridge, path: string, chunks: Buffer[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: b.port, method: 'POST', path, headers: { 'Content-Type': 'application/json', 'X-Attest-Token': b.token, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    // The server may close the connection before the whole body is sent: that is the point of the 413.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** The attest-upload-* folders in `dir`. */
const uploadFolders = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('attest-upload-'));

describe('HTTP bridge against hostile requests', () => {
  it('caps request bodies at 1 MB with 413, without reading past the limit, and states the larger limits of file uploads', async () => {
    const b = await start();
    const json = Buffer.from(JSON.stringify({ filter: { text: 'x'.repeat(MAX_BODY_BYTES) } }));
    // Sent in pieces without a declared length (chunked): refused once the running count passes the limit.
    const pieces = Array.from({ length: Math.ceil(json.length / 65536) }, (_, i) => json.subarray(i * 65536, (i + 1) * 65536));
    const chunked = await rawRpc(b, '/api/rpc/tickets.list', pieces);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'request body larger than 1 MB (the limit for tickets.list)' } });
    // A declared length past the limit is refused before any of the body is read.
    const declared = await rawRpc(b, '/api/rpc/tickets.list', [Buffer.from('{}')], { 'Content-Length': String(300 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    // Just under the limit is read and judged by the contract as usual.
    const under = await rpc(b, 'tickets.list', { filter: { text: 'x'.repeat(1000) } });
    expect(under.status).toBe(200);
    // A file upload's chunk may be larger than 1 MB (one 8 MB chunk, base64), but not unbounded.
    expect(FILE_BODY_LIMITS['imports.upload']).toBe(13 * 1024 * 1024);
    const chunk = await rpc(b, 'imports.upload', { offset: 0, chunkBase64: Buffer.alloc(2 * 1024 * 1024, 'a').toString('base64') });
    expect(await chunk.json()).toMatchObject({ ok: true, value: { bytes: 2 * 1024 * 1024 } });
    const tooBig = await rawRpc(b, '/api/rpc/imports.upload', [Buffer.from('{}')], { 'Content-Length': String(14 * 1024 * 1024) });
    expect(tooBig.status).toBe(413);
    // The bridge still answers afterwards.
    expect((await rpc(b, 'tickets.list', {})).status).toBe(200);
  });

  it('answers 400, not 500, for a method name with malformed %-encoding', async () => {
    const b = await start();
    for (const path of ['/api/rpc/tickets.%E0%A4%A', '/api/rpc/%', '/api/rpc/tickets%2', '/api/rpc/%C0%AF']) {
      const answer = await rawRpc(b, path, [Buffer.from('{}')]);
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'malformed method name (bad %-encoding)' } });
    }
    // Well-formed but unknown: the contract's own answer.
    expect(await (await rpc(b, 'tickets%2Elist', {})).json()).toMatchObject({ ok: true });
  });

  it('keeps uploads in a private folder (0700) that is removed when the import ends and when the server stops', async () => {
    const tmp = tempDir();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const b = await start();
      expect(uploadFolders(tmp)).toEqual([]);
      const csv = 'Ticket ID,Subject,Created Time\n1,Hello,2026-01-02 10:00:00\n';
      const upload = await (await rpc(b, 'imports.upload', { offset: 0, chunkBase64: Buffer.from(csv).toString('base64') })).json();
      expect(upload.ok).toBe(true);
      const [folder] = uploadFolders(tmp);
      expect(folder).toBeDefined();
      expect(statSync(join(tmp, folder!)).mode & 0o777).toBe(0o700);
      expect(statSync(join(tmp, folder!, upload.value.uploadId)).mode & 0o077).toBe(0);
      const started = await (await rpc(b, 'imports.start', { uploadId: upload.value.uploadId, fileName: 'fd.csv', format: 'freshdesk' })).json();
      let status = started.value;
      while (status.state === 'running') status = (await (await rpc(b, 'imports.status', { runId: started.value.runId })).json()).value;
      expect(status).toMatchObject({ state: 'done', report: { imported: 1 } });
      expect(uploadFolders(tmp)).toEqual([]);

      // A failed import removes it as well.
      const bad = await (await rpc(b, 'imports.upload', { offset: 0, chunkBase64: Buffer.from('Ticket ID,Subject\n"2,cut').toString('base64') })).json();
      const failed = await (await rpc(b, 'imports.start', { uploadId: bad.value.uploadId, fileName: 'cut.csv', format: 'freshdesk' })).json();
      status = failed.value;
      while (status.state === 'running') status = (await (await rpc(b, 'imports.status', { runId: failed.value.runId })).json()).value;
      expect(status.state).toBe('failed');
      expect(status.error).toMatch(/^cut\.csv:2: \(csv\): /);
      expect(uploadFolders(tmp)).toEqual([]);

      // An upload never imported is removed when the server and its core stop.
      await rpc(b, 'imports.upload', { offset: 0, chunkBase64: Buffer.from('Ticket ID\n3\n').toString('base64') });
      expect(uploadFolders(tmp)).toHaveLength(1);
      await bridge!.close();
      core!.close();
      bridge = undefined;
      core = undefined;
      expect(uploadFolders(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  /** `attest serve` on a small ledger with TMPDIR=tmp, and a function that uploads one chunk of ticket text to it. */
  async function startServe(tmp: string) {
    const bin = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
    const { db, path } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    db.close();
    const child = spawn(process.execPath, [bin, 'serve', '--db', path, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const { origin, token } = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(out);
        if (match) resolve({ origin: match[1]!, token: match[2]! });
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const uploadChunk = async (): Promise<void> => {
      const upload = await fetch(`${origin}/api/rpc/imports.upload`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Attest-Token': token },
        body: JSON.stringify({ offset: 0, chunkBase64: Buffer.from('Ticket ID,Subject\n1,private ticket text\n').toString('base64') }),
      });
      expect((await upload.json()).ok).toBe(true);
    };
    return { child, exited, uploadChunk };
  }

  it('`attest serve` stopped with SIGTERM or SIGINT leaves no upload folder behind', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const tmp = tempDir();
      const serve = await startServe(tmp);
      await serve.uploadChunk();
      expect(uploadFolders(tmp)).toHaveLength(1);
      serve.child.kill(signal);
      expect(await serve.exited).toBe(0);
      expect(uploadFolders(tmp)).toEqual([]);
    }
  });

  it('the upload folder of a `serve` killed with SIGKILL is removed by the next one, and a live one\'s is kept', async () => {
    const tmp = tempDir();
    const killed = await startServe(tmp);
    await killed.uploadChunk();
    const [abandoned] = uploadFolders(tmp);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(uploadFolders(tmp)).toEqual([abandoned]);

    const live = await startServe(tmp);
    const next = await startServe(tmp);
    try {
      await live.uploadChunk();
      const [livesFolder] = uploadFolders(tmp).filter((name) => name !== abandoned);
      await next.uploadChunk();
      const folders = uploadFolders(tmp);
      expect(folders).not.toContain(abandoned);
      expect(folders).toContain(livesFolder);
      expect(folders).toHaveLength(2);
    } finally {
      live.child.kill('SIGTERM');
      next.child.kill('SIGTERM');
      await Promise.all([live.exited, next.exited]);
    }
    expect(uploadFolders(tmp)).toEqual([]);
  });
});
