import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service.ts';
import type { ImportRunStatus } from '../../shared/contracts/importers.ts';
import { tempDb, tempDir } from './helpers.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/importers/${name}`, import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

async function waitDone(core: ReturnType<typeof openCore>, runId: string): Promise<ImportRunStatus> {
  for (;;) {
    const status = await core.invoke('imports.status', { runId });
    if (!status.ok) throw new Error(status.error.message);
    if (status.value.state !== 'running') return status.value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('imports through the contract', () => {
  it('uploads in chunks, imports in the background, reports; auditors may not import', async () => {
    const { path, db } = tempDb();
    db.close();
    const core = openCore({ dbPath: path, role: 'supervisor' });
    try {
      const bytes = readFileSync(fixture('freshdesk-tickets.csv'));
      const first = await core.invoke('imports.upload', { offset: 0, chunkBase64: bytes.subarray(0, 1000).toString('base64') });
      expect(first.ok).toBe(true);
      const uploadId = first.ok ? first.value.uploadId : '';
      const wrongOffset = await core.invoke('imports.upload', { uploadId, offset: 5, chunkBase64: 'AA==' });
      expect(wrongOffset.ok).toBe(false);
      // The same chunk sent twice without waiting (a chunk is written off the console's thread): one lands, the other
      // is refused, and the file holds it once.
      const rest = bytes.subarray(1000).toString('base64');
      const twice = await Promise.all([
        core.invoke('imports.upload', { uploadId, offset: 1000, chunkBase64: rest }),
        core.invoke('imports.upload', { uploadId, offset: 1000, chunkBase64: rest }),
      ]);
      expect(twice.map((answer) => answer.ok).sort()).toEqual([false, true]);
      expect(twice.find((answer) => answer.ok)).toMatchObject({ ok: true, value: { uploadId, bytes: bytes.length } });
      const started = await core.invoke('imports.start', { uploadId, fileName: 'freshdesk-tickets.csv', format: 'freshdesk' });
      expect(started.ok).toBe(true);
      const done = await waitDone(core, started.ok ? started.value.runId : '');
      expect(done).toMatchObject({ state: 'done', error: null, report: { rows: 8, imported: 6, duplicates: 1 } });
      const list = await core.invoke('tickets.list', { filter: { search: 'fd-1001' } });
      expect(list.ok && list.value.total).toBeGreaterThan(0);
      const preview = await core.invoke('imports.preview', { text: readFileSync(fixture('generic.csv'), 'utf8') });
      expect(preview.ok && preview.value.guess).toMatchObject({ id: 'Ticket ID', created: 'Created', csat: 'Rating' });
    } finally {
      core.close();
    }
    const auditor = openCore({ dbPath: path, role: 'auditor' });
    try {
      const refused = await auditor.invoke('imports.upload', { offset: 0, chunkBase64: '' });
      expect(refused.ok === false && refused.error.code).toBe('forbidden');
    } finally {
      auditor.close();
    }
  });

  it('a failing import reports FILE:LINE: field: reason and leaves the database as it was', async () => {
    const { path, db } = tempDb();
    db.close();
    const core = openCore({ dbPath: path, role: 'admin' });
    try {
      const text = 'Ticket ID,Created time\n1,2024-01-01 10:00:00\n2,someday\n';
      const up = await core.invoke('imports.upload', { offset: 0, chunkBase64: Buffer.from(text).toString('base64') });
      const started = await core.invoke('imports.start', { uploadId: up.ok ? up.value.uploadId : '', fileName: 'bad.csv', format: 'freshdesk' });
      const done = await waitDone(core, started.ok ? started.value.runId : '');
      expect(done).toMatchObject({ state: 'failed', error: 'bad.csv:3: Created time: "someday" is not a date and time (expected ISO 8601 or a common date format such as yyyy-MM-dd HH:mm:ss)' });
      const status = await core.invoke('tickets.list', {});
      expect(status.ok && status.value.total).toBe(0);
    } finally {
      core.close();
    }
  });
});

describe('attest import CLI', () => {
  const attest = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('--json prints exactly the report document; errors name file, line and field; usage errors exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const ok = attest('import', '--db', db, '--format', 'csv', '--mapping', fixture('generic-mapping.json'), fixture('generic.csv'), '--json');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(Object.keys(report).slice(0, 2)).toEqual(['file', 'format']);
    expect(report).toMatchObject({ file: fixture('generic.csv'), rows: 5, imported: 4, duplicates: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(report.anomalies[0]).toMatchObject({ row: 4, ticket: 'T-3', kind: 'csat_out_of_range' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"id":1,"created_at":"2024-01-01T00:00:00Z"}\n{"id":2,"created_at":"later"}\n');
    const failed = attest('import', '--db', db, '--format', 'zendesk', bad, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`${bad}:2: created_at: "later" is not a date and time`);
    expect(attest('import', '--db', db, '--format', 'csv', fixture('generic.csv')).code).toBe(2);
    const badMapping = join(dir, 'map.json');
    writeFileSync(badMapping, '{"columns":{"created":"Created"}}');
    const mappingError = attest('import', '--db', db, '--format', 'csv', '--mapping', badMapping, fixture('generic.csv'));
    expect(mappingError.code).toBe(2);
    expect(mappingError.stderr).toContain(`${badMapping}: columns.id: is required`);
  });
});
