import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpBridge, type HttpBridge } from '../../electron/adapters/http/server.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

let bridge: HttpBridge | undefined;
let core: CoreHandle | undefined;
afterEach(async () => {
  await bridge?.close();
  core?.close();
  bridge = undefined;
  core = undefined;
});

async function start(role: 'admin' | 'supervisor' | 'auditor' = 'supervisor') {
  const { db, path } = tempDb();
  importJsonlFile(db, SMALL_FIXTURE);
  db.close();
  const staticDir = join(tempDir(), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Attest</title>');
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
