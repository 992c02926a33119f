// `attest serve` on a ledger with accounts: --role (the single-user role) is ignored and says so on stderr;
// --demo makes the sign-in screen list the demo accounts whose published password still works, and without it none
// are listed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_\-.~%]+)/;

const running: ChildProcess[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill('SIGTERM');
});

/** Starts `attest serve` and resolves once it printed its URL, with what it wrote to stderr by then. */
function serve(...args: string[]): Promise<{ origin: string; token: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = URL_PATTERN.exec(stdout);
      if (match) resolve({ origin: match[1]!, token: decodeURIComponent(match[2]!), stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`attest serve exited with ${code}: ${stderr}`)));
  });
}

async function authState(origin: string, token: string): Promise<{ mode: string; person: unknown; demoAccounts: { account: string; role: string }[] }> {
  const response = await fetch(`${origin}/api/rpc/auth.state`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Attest-Token': token }, body: '{}' });
  const body = (await response.json()) as { ok: boolean; value: never };
  expect(body.ok).toBe(true);
  return body.value;
}

describe('attest serve on a ledger with accounts', () => {
  const demoDb = (): string => {
    const path = join(tempDir(), 'demo.db');
    createDemoDatabase(path, { tickets: 20, seed: 3 });
    return path;
  };

  it('ignores --role with a note on stderr, and lists the demo accounts only with --demo', async () => {
    const db = demoDb();
    const withDemo = await serve('--db', db, '--role', 'auditor', '--demo');
    expect(withDemo.stderr()).toContain('--role auditor is ignored: this ledger has accounts');
    const listed = await authState(withDemo.origin, withDemo.token);
    expect(listed.mode).toBe('accounts');
    expect(listed.person).toBeNull();
    expect(listed.demoAccounts.map((a) => a.role).sort()).toEqual(['admin', 'auditor', 'supervisor', 'supervisor']);
    running.pop()!.kill('SIGTERM');

    const plain = await serve('--db', db);
    expect(plain.stderr()).not.toContain('is ignored');
    const unlisted = await authState(plain.origin, plain.token);
    expect(unlisted.mode).toBe('accounts');
    expect(unlisted.demoAccounts).toEqual([]);
  }, 60_000);

  it('stops listing a demo account once its password was changed, even by another process', async () => {
    const dir = tempDir();
    const db = demoDb();
    const server = await serve('--db', db, '--demo');
    expect((await authState(server.origin, server.token)).demoAccounts.map((a) => a.account)).toContain('tokafor');

    // The demo admin changes Tunde Okafor's password with the CLI while the console runs.
    const admin = DEMO_ACCOUNTS.find((a) => a.account === 'admin')!;
    const file = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, `${text}\n`, { mode: 0o600 });
      return path;
    };
    const changed = spawnSync(process.execPath, [BIN, 'user', 'passwd', '--db', db, '--name', 'tokafor', '--password-file', file('new', 'maple-signal-4471')], {
      encoding: 'utf8',
      env: { ...process.env, ATTEST_USER: admin.account, ATTEST_PASSWORD_FILE: file('admin', admin.password) },
    });
    expect(changed.status, changed.stderr).toBe(0);

    const after = (await authState(server.origin, server.token)).demoAccounts.map((a) => a.account);
    expect(after).not.toContain('tokafor');
    expect(after.sort()).toEqual(['admin', 'jlindqvist', 'mrivera']);
  }, 60_000);
});
