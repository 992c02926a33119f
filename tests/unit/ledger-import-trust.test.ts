// Issue 10, items 1, 2 and 9: an import takes an exported (chained) line only exactly, a file may not state
// what only Attest writes, and every line passes the same rule book as the console — through the core, the
// `attest` CLI and the contract (HTTP/IPC) alike. Every refusal must leave the database exactly as it was.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';
import { ImportError, importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { openCore } from '../../electron/core/service.ts';
import { A_FUTURE_DAY, tempDir } from './helpers.ts';
import { BUYER, contractJson } from './outcome-kit.ts';
import { policyFile } from './sla-helpers.ts';
import {
  attest,
  buildLedger,
  changePrice,
  copyOf,
  databaseDigest,
  emptyDatabase,
  eventCount,
  IMPORTER,
  independentHash,
  rehashed,
  tamperings,
  writeLines,
  sha256OfFile,
  type BuiltLedger,
  type Line,
} from './trust-kit.ts';

let built: BuiltLedger;
beforeAll(() => {
  built = buildLedger();
});
afterAll(() => rmSync(built.dir, { recursive: true, force: true }));

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hoursFrom = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

interface Refusal {
  line: number;
  field: string;
  reason: RegExp;
}

/** The import through the core refuses the file with PATH:LINE: field: reason and changes nothing. */
function expectCoreRefusal(dbPath: string, file: string, expected: Refusal): ImportError {
  const before = databaseDigest(dbPath);
  const db = openDatabase(dbPath);
  let caught: unknown = null;
  try {
    importJsonlFile(db, file, { importedBy: IMPORTER });
  } catch (error) {
    caught = error;
  } finally {
    db.close();
  }
  expect(caught, `import of ${file} was accepted`).toBeInstanceOf(ImportError);
  const error = caught as ImportError;
  expect({ line: error.line, field: error.field }).toEqual({ line: expected.line, field: expected.field });
  expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:${expected.line}: ${escapeRegExp(expected.field)}: `));
  expect(error.message).toMatch(expected.reason);
  expect(databaseDigest(dbPath)).toEqual(before);
  return error;
}

/** `attest import` refuses the file: exit 1, nothing on stdout, one line PATH:LINE: field: reason on stderr. */
function expectCliRefusal(dbPath: string, file: string, expected: Refusal): string {
  const before = databaseDigest(dbPath);
  const result = attest('import', '--db', dbPath, '--format', 'jsonl', file, '--json');
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^attest: ${escapeRegExp(file)}:${expected.line}: ${escapeRegExp(expected.field)}: [^\\n]*\\n$`));
  expect(result.stderr).toMatch(expected.reason);
  expect(databaseDigest(dbPath)).toEqual(before);
  return result.stderr;
}

/** The contract's `import.jsonl` (what the HTTP bridge and the Electron IPC call) refuses the text the same way. */
async function expectContractRefusal(dbPath: string, fileName: string, text: string, expected: Refusal): Promise<void> {
  const before = databaseDigest(dbPath);
  const core = openCore({ dbPath, role: 'supervisor', user: 'sup-9' });
  try {
    const result = await core.invoke('import.jsonl', { fileName, text });
    expect(result).toMatchObject({ ok: false, error: { code: 'import_failed' } });
    const message = (result as { ok: false; error: { message: string } }).error.message;
    expect(message).toMatch(new RegExp(`^${escapeRegExp(fileName)}:${expected.line}: ${escapeRegExp(expected.field)}: `));
    expect(message).toMatch(expected.reason);
  } finally {
    core.close();
  }
  expect(databaseDigest(dbPath)).toEqual(before);
}

describe('the ledger under test', () => {
  it('holds Attest-only events, and its export checks out with an independent JCS + SHA-256 implementation', () => {
    const lines = built.lines.map((text) => JSON.parse(text) as Line);
    expect(lines.map((line) => line.type)).toEqual(expect.arrayContaining(['import.file', 'contract.version', 'outcome.verified', 'outcome.disputed']));
    lines.forEach((line, index) => {
      expect(independentHash(line), `line ${index + 1}`).toBe(line.hash);
      expect(line.prevHash).toBe(index === 0 ? '0'.repeat(64) : lines[index - 1]!.hash);
    });
    expect(eventCount(built.dbPath)).toBe(lines.length);
  });
});

describe('an exported line is accepted only exactly (item 1)', () => {
  it('the untampered export imports into an empty database byte-identically and adds nothing to the original', () => {
    const dir = tempDir();
    const emptyPath = emptyDatabase(dir);
    const replica = openDatabase(emptyPath);
    try {
      const report = importJsonlFile(replica, built.exportPath, { importedBy: IMPORTER });
      expect(report).toMatchObject({ eventsAdded: built.lines.length, duplicatesSkipped: 0 });
      const again = join(dir, 'again.jsonl');
      exportJsonl(replica, again);
      expect(readFileSync(again)).toEqual(readFileSync(built.exportPath));
      expect(verifyLedger(replica)).toMatchObject({ intact: true, eventCount: built.lines.length });
    } finally {
      replica.close();
    }

    const original = copyOf(built.dbPath, dir, 'original.db');
    const before = databaseDigest(original);
    const db = openDatabase(original);
    try {
      expect(importJsonlFile(db, built.exportPath, { importedBy: IMPORTER })).toMatchObject({ eventsAdded: 0, duplicatesSkipped: built.lines.length });
    } finally {
      db.close();
    }
    const cli = attest('import', '--db', original, '--format', 'jsonl', built.exportPath, '--json');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ eventsAdded: 0, duplicatesSkipped: built.lines.length });
    expect(databaseDigest(original)).toEqual(before);
  });

  interface TamperCase {
    name: string;
    lines: () => string[];
    /** Every line of the tampered file still carries a hash that matches its own content. */
    selfConsistent: boolean;
    intoEmpty: Refusal | null;
    intoOriginal: Refusal;
  }

  const headRecordedAt = (): string => (JSON.parse(built.lines[built.lines.length - 1]!) as Line).recordedAt as string;
  const cases: TamperCase[] = [
    {
      name: '1. content changed, old hash kept',
      lines: () => tamperings.contentChangedHashKept(built.lines, 2),
      selfConsistent: false,
      intoEmpty: { line: 3, field: 'hash', reason: /does not match the content of the line/ },
      intoOriginal: { line: 3, field: 'hash', reason: /does not match the content of the line/ },
    },
    {
      name: '2. content changed and re-hashed',
      lines: () => tamperings.contentChangedRehashed(built.lines, 2),
      selfConsistent: true,
      intoEmpty: { line: 4, field: 'prevHash', reason: /does not link to the line before it \(#3,/ },
      intoOriginal: { line: 3, field: 'payload', reason: /differs from event #3 already in the ledger \(payload, hash differ/ },
    },
    {
      name: '3. link broken (prevHash changed, re-hashed)',
      lines: () => tamperings.linkBroken(built.lines, 4),
      selfConsistent: true,
      intoEmpty: { line: 5, field: 'prevHash', reason: /does not link to the line before it \(#4,/ },
      intoOriginal: { line: 5, field: 'prevHash', reason: /does not link to the line before it \(#4,/ },
    },
    {
      name: '4. a dropped line',
      lines: () => tamperings.dropped(built.lines, 4),
      selfConsistent: true,
      intoEmpty: { line: 5, field: 'seq', reason: /is #6 right after #4/ },
      intoOriginal: { line: 5, field: 'seq', reason: /is #6 right after #4/ },
    },
    {
      name: '5. two lines swapped',
      lines: () => tamperings.swapped(built.lines, 4),
      selfConsistent: true,
      intoEmpty: { line: 5, field: 'seq', reason: /is #6 right after #4/ },
      intoOriginal: { line: 5, field: 'seq', reason: /is #6 right after #4/ },
    },
    {
      // Only the original can tell: into an empty database a fully re-chained file is a ledger of its own
      // (that is what signed checkpoints are for).
      name: '6. a re-chained export (the verified price raised, every later line re-hashed and re-linked)',
      lines: () => tamperings.rechained(built.lines, 17, changePrice),
      selfConsistent: true,
      intoEmpty: null,
      intoOriginal: { line: 18, field: 'payload', reason: /differs from event #18 already in the ledger \(payload, hash differ/ },
    },
    {
      name: '7. a chained line continuing the head with a back-dated recordedAt',
      lines: () => tamperings.continuedAt(built.lines, hoursFrom(headRecordedAt(), -1)),
      selfConsistent: true,
      intoEmpty: { line: 20, field: 'recordedAt', reason: /is before the recordedAt of #19 .*the ledger records events in time order/ },
      intoOriginal: { line: 20, field: 'recordedAt', reason: /is before the recordedAt of #19 .*the ledger records events in time order/ },
    },
    {
      name: '8. a chained line continuing the head with recordedAt in the future',
      lines: () => tamperings.continuedAt(built.lines, hoursFrom(new Date().toISOString(), 24)),
      selfConsistent: true,
      intoEmpty: { line: 20, field: 'recordedAt', reason: /is in the future/ },
      intoOriginal: { line: 20, field: 'recordedAt', reason: /is in the future/ },
    },
  ];

  for (const tampering of cases) {
    it(`${tampering.name}: refused through the core and the CLI, the database unchanged`, () => {
      expect(built.lines).toHaveLength(19);
      const dir = tempDir();
      const lines = tampering.lines();
      expect(lines).not.toEqual(built.lines);
      if (tampering.selfConsistent) {
        for (const text of lines) {
          const line = JSON.parse(text) as Line;
          expect(independentHash(line)).toBe(line.hash);
        }
      }
      const file = writeLines(dir, 'tampered.jsonl', lines);
      if (tampering.intoEmpty) {
        expectCoreRefusal(emptyDatabase(dir, 'empty-core.db'), file, tampering.intoEmpty);
        expectCliRefusal(emptyDatabase(dir, 'empty-cli.db'), file, tampering.intoEmpty);
      }
      expectCoreRefusal(copyOf(built.dbPath, dir, 'original-core.db'), file, tampering.intoOriginal);
      expectCliRefusal(copyOf(built.dbPath, dir, 'original-cli.db'), file, tampering.intoOriginal);
    });
  }

  it('a chained continuation whose event happens after it was recorded is refused naming at', () => {
    const dir = tempDir();
    const recordedAt = new Date(Date.parse(headRecordedAt()) + 1).toISOString();
    const lines = tamperings.continuedAt(built.lines, recordedAt);
    const last = JSON.parse(lines[lines.length - 1]!) as Line;
    lines[lines.length - 1] = JSON.stringify(rehashed({ ...last, at: new Date(Date.parse(recordedAt) + 1).toISOString() }));
    const file = writeLines(dir, 'after-recorded.jsonl', lines);
    expectCoreRefusal(copyOf(built.dbPath, dir, 'original.db'), file, { line: 20, field: 'at', reason: /is after the time the ledger records the event/ });
  });

  it('the same continuation recorded at a plausible time is accepted (the time checks refuse only what is wrong)', () => {
    const dir = tempDir();
    const recordedAt = new Date(Math.max(Date.parse(headRecordedAt()) + 1, Date.now() - 1000)).toISOString();
    const file = writeLines(dir, 'continued.jsonl', tamperings.continuedAt(built.lines, recordedAt));
    const original = copyOf(built.dbPath, dir, 'original.db');
    const db = openDatabase(original);
    try {
      expect(importJsonlFile(db, file, { importedBy: IMPORTER })).toMatchObject({ eventsAdded: 1, duplicatesSkipped: 19 });
      expect(db.prepare('SELECT recorded_at FROM events WHERE seq = 20').pluck().get()).toBe(recordedAt);
      expect(verifyLedger(db).intact).toBe(true);
    } finally {
      db.close();
    }
  });
});

// A refund ticket's facts from a helpdesk export: lines a file may carry (seq 20–23 in the original).
const REFUND_TICKET: Line[] = [
  { ticket: 'R-1', type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'refund', subject: 'Refund please', requester: 'c-77' },
  { ticket: 'R-1', type: 'message', at: '2026-10-05T09:00:01Z', author: { kind: 'customer', id: 'c-77' }, public: true, body: 'I want my money back.' },
  { ticket: 'R-1', type: 'message', at: '2026-10-05T09:02:00Z', author: { kind: 'ai', model: 'llama3.2:3b' }, public: true, body: 'Refund issued.' },
  { ticket: 'R-1', type: 'status', at: '2026-10-05T09:02:01Z', status: 'solved', by: { kind: 'ai', model: 'llama3.2:3b' } },
];

const ATTEST_ONLY_LINES: [string, Line][] = [
  [
    'outcome.verified (a refund billed at 999.99 "by attest-verifier")',
    {
      ticket: 'R-1',
      type: 'outcome.verified',
      at: '2026-10-08T09:02:01Z',
      actor: { kind: 'system', id: 'attest-verifier' },
      contract: 'acme-ai-2026',
      version: 1,
      price: '999.99',
      currency: 'EUR',
      period: '2026-10',
      category: 'refund',
      solveSeq: 23,
      evidence: [20, 23],
    },
  ],
  [
    'outcome.disputed (as "auditor-jane")',
    { ticket: 'T-1', type: 'outcome.disputed', at: '2026-11-01T10:00:00Z', actor: { kind: 'human', id: 'auditor-jane' }, contract: 'acme-ai-2026', verifiedSeq: 18, reason: 'wrong answer' },
  ],
  [
    'import.file',
    {
      type: 'import.file',
      at: '2026-11-01T10:00:00Z',
      actor: { kind: 'human', id: 'ops-1' },
      file: 'history.csv',
      sha256: 'ab'.repeat(32),
      format: 'jsonl',
      rows: 4,
      imported: 4,
      updated: 0,
      duplicates: 0,
      skipped: 0,
      events: 4,
      firstSeq: 20,
      lastSeq: 23,
      anomalies: {},
    },
  ],
  [
    'ai.decision',
    {
      ticket: 'R-1',
      type: 'ai.decision',
      at: '2026-10-05T09:02:00Z',
      run_id: 'run-1',
      attempt_key: 'm21',
      model: { name: 'llama3.2:3b', digest: 'sha256:0123' },
      mode: 'auto',
      action: 'send_solve',
      confidence: 0.99,
      threshold: 0.75,
      topic: 'refund',
      category: 'refund',
      note: 'looks fine',
      draft: 'Refund issued.',
      citations: [],
    },
  ],
  [
    'checkpoint',
    {
      type: 'checkpoint',
      at: '2026-11-01T10:00:00Z',
      origin: 'attest.local/00000000000000000000000000000000',
      treeSize: 19,
      rootHash: Buffer.alloc(32, 7).toString('base64'),
      note: 'attest.local/00000000000000000000000000000000\n19\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n',
      key: 'attest-00000000+deadbeef+AQ==',
    },
  ],
];

const ATTEST_ONLY: Refusal = { line: 5, field: 'type', reason: /is written only by Attest itself; a file may carry it only as an exact chained line of an Attest export/ };

describe('a file may state only what a source system can state (item 2)', () => {
  it('the refund ticket alone is accepted: the refusals below are about the Attest-only line', () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const db = openDatabase(original);
    try {
      expect(importJsonlFile(db, writeLines(dir, 'refund.jsonl', REFUND_TICKET), { importedBy: IMPORTER })).toMatchObject({ eventsAdded: 4 });
      expect(db.prepare('SELECT seq FROM events WHERE ticket_id = ? AND type = ?').pluck().get('R-1', 'status')).toBe(23);
    } finally {
      db.close();
    }
  });

  for (const [name, line] of ATTEST_ONLY_LINES) {
    it(`an unchained ${name} line is refused naming type, into the original and an empty database`, () => {
      const dir = tempDir();
      const file = writeLines(dir, 'forged.jsonl', [...REFUND_TICKET, line]);
      expectCoreRefusal(copyOf(built.dbPath, dir, 'original.db'), file, ATTEST_ONLY);
      expectCoreRefusal(emptyDatabase(dir), file, ATTEST_ONLY);
    });
  }

  it('a forged outcome.verified dressed as a chained line continuing the head is refused too (two imports by a supervisor)', async () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const text = (lines: readonly Line[]): string => lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
    const core = openCore({ dbPath: original, role: 'supervisor', user: 'sup-9' });
    try {
      expect(await core.invoke('import.jsonl', { fileName: 'refund.jsonl', text: text(REFUND_TICKET) })).toMatchObject({ ok: true, value: { eventsAdded: 4 } });
      // Everything a forger needs is in an export: the head's seq, hash and recordedAt.
      const exported = join(dir, 'now.jsonl');
      const db = openDatabase(original, { readonly: true });
      try {
        exportJsonl(db, exported);
      } finally {
        db.close();
      }
      const head = JSON.parse(readFileSync(exported, 'utf8').trimEnd().split('\n').pop()!) as Line;
      const forged = rehashed({
        seq: (head.seq as number) + 1,
        ...ATTEST_ONLY_LINES[0]![1],
        at: '2026-10-08T09:02:01.000Z', // exported lines carry normalized times, and the hash covers them
        recordedAt: new Date(Math.max(Date.parse(head.recordedAt as string) + 1, Date.now() - 1000)).toISOString(),
        prevHash: head.hash,
      });
      const before = databaseDigest(original);
      const result = await core.invoke('import.jsonl', { fileName: 'forged.jsonl', text: text([forged]) });
      expect(result).toMatchObject({ ok: false, error: { code: 'import_failed' } });
      expect((result as { ok: false; error: { message: string } }).error.message).toMatch(
        /^forged\.jsonl:1: type: "outcome\.verified" is written only by Attest itself; a file may add it only when a whole export is restored into an empty ledger/,
      );
      expect(databaseDigest(original)).toEqual(before);
    } finally {
      core.close();
    }
  });

  it('the CLI refuses the forged outcome.verified line, and nothing is billed', () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    expectCliRefusal(original, writeLines(dir, 'forged.jsonl', [...REFUND_TICKET, ATTEST_ONLY_LINES[0]![1]]), ATTEST_ONLY);
    const statement = JSON.parse(attest('statement', '--db', original, '--period', '2026-10', '--json').stdout) as { lines: { ticket: string }[] };
    expect(statement.lines.map((l) => l.ticket)).not.toContain('R-1');
  });

  it('an unchained line is recorded at the import time with its own actor; import.file names the importer and the file SHA-256', () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const file = writeLines(dir, 'history.jsonl', REFUND_TICKET);
    const before = new Date().toISOString();
    const result = attest('import', '--db', original, '--format', 'jsonl', file, '--json');
    const after = new Date().toISOString();
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ eventsAdded: 4, duplicatesSkipped: 0 });

    const db = openDatabase(original, { readonly: true });
    try {
      const recorded = db.prepare('SELECT seq, type, recorded_at, actor, payload FROM events WHERE seq > 19 ORDER BY seq').all() as {
        seq: number;
        type: string;
        recorded_at: string;
        actor: string;
        payload: string;
      }[];
      // The import command records its session.started first (#20), in the same transaction and at the same time.
      expect(recorded[0]).toMatchObject({ seq: 20, type: 'session.started', recorded_at: recorded[1]!.recorded_at });
      const rows = recorded.slice(1);
      expect(rows.map((r) => r.type)).toEqual(['created', 'message', 'message', 'status', 'import.file']);
      const recordedAt = rows[0]!.recorded_at;
      expect(recordedAt >= before && recordedAt <= after).toBe(true);
      expect(new Set(rows.map((r) => r.recorded_at))).toEqual(new Set([recordedAt]));
      expect(rows.slice(0, 4).map((r) => JSON.parse(r.actor))).toEqual([
        { kind: 'customer', id: 'c-77' },
        { kind: 'customer', id: 'c-77' },
        { kind: 'ai', model: 'llama3.2:3b' },
        { kind: 'ai', model: 'llama3.2:3b' },
      ]);
      const record = rows[4]!;
      expect(JSON.parse(record.actor)).toEqual({ kind: 'human', id: `os:${userInfo().username}` });
      expect(JSON.parse(record.payload)).toMatchObject({ file: 'history.jsonl', sha256: sha256OfFile(file), format: 'jsonl', events: 4, imported: 4, firstSeq: 21, lastSeq: 24 });
    } finally {
      db.close();
    }

    // The same file again adds nothing, not even a second import.file record.
    const digest = databaseDigest(original);
    const again = attest('import', '--db', original, '--format', 'jsonl', file, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ eventsAdded: 0, duplicatesSkipped: 4 });
    expect(databaseDigest(original)).toEqual(digest);
  });

  it('a line cannot bring its own recordedAt, and an event may not happen in the future', () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const ownTime = writeLines(dir, 'own-time.jsonl', [{ ...REFUND_TICKET[0]!, recordedAt: '2026-10-05T09:00:00Z' }]);
    expectCoreRefusal(original, ownTime, { line: 1, field: 'seq', reason: /is required when an exported line carries seq, recordedAt, prevHash or hash/ });
    const future = writeLines(dir, 'future.jsonl', [...REFUND_TICKET, { ticket: 'R-1', type: 'csat', at: hoursFrom(new Date().toISOString(), 24), score: 5 }]);
    const refusal = { line: 5, field: 'at', reason: /is after the time the ledger records the event .*an event cannot be recorded before it happens/ };
    expectCoreRefusal(original, future, refusal);
    expectCliRefusal(original, future, refusal);
  });
});

describe('one rule book on every append path (item 9)', () => {
  it('a back-dated sla.policy v2 is refused from JSONL exactly as `attest sla import` refuses it', async () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const v1 = join(dir, 'v1.json');
    writeFileSync(v1, JSON.stringify(policyFile(), null, 2));
    expect(attest('sla', 'import', '--db', original, v1).code).toBe(0);

    const backDated = policyFile({ version: 2, effectiveFrom: '2026-09-01T00:00:00Z' });
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, JSON.stringify(backDated, null, 2));
    const digest = databaseDigest(original);
    const bySlaImport = attest('sla', 'import', '--db', original, v2);
    expect(bySlaImport.code).toBe(1);
    const slaMatch = /^attest: v2\.json:\d+: effectiveFrom: (.*)\n$/.exec(bySlaImport.stderr);
    expect(slaMatch, bySlaImport.stderr).not.toBeNull();
    expect(databaseDigest(original)).toEqual(digest);

    const line: Line = { type: 'sla.policy', at: '2026-11-01T00:00:00Z', actor: { kind: 'human', id: 'sup-1' }, ...backDated };
    const file = writeLines(dir, 'policy.jsonl', [line]);
    const refusal = { line: 1, field: 'effectiveFrom', reason: /^.*2026-09-01T00:00:00Z is before the time/ };
    const byCore = expectCoreRefusal(original, file, refusal);
    const byCli = expectCliRefusal(original, file, refusal);
    // The same rule, the same words; only the instant it was judged against differs.
    const sameWords = (reason: string): string => reason.replace(/\(\d{4}-\d\d-\d\dT[^)]*\)/g, '(T)');
    expect(sameWords(byCore.message.slice(`${file}:1: effectiveFrom: `.length))).toBe(sameWords(slaMatch![1]!));
    expect(sameWords(byCli.trimEnd().slice(`attest: ${file}:1: effectiveFrom: `.length))).toBe(sameWords(slaMatch![1]!));
    // And the console's policy import (contract method sla.importPolicies) says the same.
    const core = openCore({ dbPath: original, role: 'supervisor', user: 'sup-9' });
    try {
      const byContract = await core.invoke('sla.importPolicies', { fileName: 'v2.json', text: readFileSync(v2, 'utf8') });
      expect(byContract).toMatchObject({ ok: false, error: { code: 'import_failed' } });
      const contractMatch = /^v2\.json:\d+: effectiveFrom: (.*)$/.exec((byContract as { ok: false; error: { message: string } }).error.message);
      expect(sameWords(contractMatch![1]!)).toBe(sameWords(slaMatch![1]!));
    } finally {
      core.close();
    }
    expect(databaseDigest(original)).toEqual(digest);

    // Not a blanket refusal: v2 effective from a future date is taken from a file as from `attest sla import`.
    const forward = writeLines(dir, 'forward.jsonl', [{ ...line, effectiveFrom: `${A_FUTURE_DAY}T00:00:00Z` }]);
    const db = openDatabase(original);
    try {
      expect(importJsonlFile(db, forward, { importedBy: IMPORTER })).toMatchObject({ eventsAdded: 1 });
    } finally {
      db.close();
    }
  });

  it('a contract line that `attest contract import` would refuse is refused from JSONL too', () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const contractLine = (overrides: Record<string, unknown>): Line => ({
      type: 'contract.version',
      at: '2026-11-01T00:00:00Z',
      actor: BUYER,
      ...(JSON.parse(contractJson(overrides)) as Line),
    });

    const otherPrice = { pricePerResolution: 9.99 };
    const secondV1 = { line: 1, field: 'version', reason: /acme-ai-2026 version 1 is already in the ledger with other terms; history is never rewritten/ };
    expectCoreRefusal(original, writeLines(dir, 'second-v1.jsonl', [contractLine(otherPrice)]), secondV1);
    const v1File = join(dir, 'contract-v1b.json');
    writeFileSync(v1File, contractJson(otherPrice));
    const viaContractImport = attest('contract', 'import', '--db', original, v1File);
    expect(viaContractImport.code).toBe(1);
    expect(viaContractImport.stderr).toMatch(/version: acme-ai-2026 version 1 is already in the ledger with other terms/);

    const backDated = { version: 2, effectiveFrom: '2026-11-01' };
    const v2Refusal = { line: 1, field: 'effectiveFrom', reason: /2026-11-01 \(Europe\/Berlin\) is before the version is recorded/ };
    expectCoreRefusal(original, writeLines(dir, 'back-dated-v2.jsonl', [contractLine(backDated)]), v2Refusal);
    const v2File = join(dir, 'contract-v2.json');
    writeFileSync(v2File, contractJson(backDated));
    const digest = databaseDigest(original);
    const v2ViaContractImport = attest('contract', 'import', '--db', original, v2File);
    expect(v2ViaContractImport.code).toBe(1);
    expect(v2ViaContractImport.stderr).toMatch(/^attest: contract-v2\.json: effectiveFrom: 2026-11-01 \(Europe\/Berlin\) is before the version is recorded \(/);
    expect(databaseDigest(original)).toEqual(digest);

    // A later version effective from a future date is a legitimate change, from a file as from the importer.
    const db = openDatabase(original);
    try {
      const future = writeLines(dir, 'v2.jsonl', [contractLine({ version: 2, effectiveFrom: A_FUTURE_DAY })]);
      expect(importJsonlFile(db, future, { importedBy: IMPORTER })).toMatchObject({ eventsAdded: 1 });
    } finally {
      db.close();
    }
  });

  it('the contract (HTTP/IPC) import.jsonl refuses the same lines, even to a supervisor', async () => {
    const dir = tempDir();
    const original = copyOf(built.dbPath, dir, 'original.db');
    const text = (lines: readonly (string | Line)[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

    // The case: a supervisor who may not open a dispute may not import one either.
    const core = openCore({ dbPath: original, role: 'supervisor', user: 'sup-9' });
    try {
      expect(await core.invoke('outcomes.disputeOpen', { ticket: 'T-1', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      core.close();
    }
    for (const [, line] of ATTEST_ONLY_LINES) await expectContractRefusal(original, 'forged.jsonl', text([...REFUND_TICKET, line]), ATTEST_ONLY);

    const rehashedContent = tamperings.contentChangedRehashed(built.lines, 2);
    await expectContractRefusal(original, 'export.jsonl', text(rehashedContent), { line: 3, field: 'payload', reason: /differs from event #3 already in the ledger/ });
    await expectContractRefusal(original, 'export.jsonl', text(tamperings.rechained(built.lines, 17, changePrice)), {
      line: 18,
      field: 'payload',
      reason: /differs from event #18 already in the ledger/,
    });
    await expectContractRefusal(original, 'export.jsonl', text(tamperings.continuedAt(built.lines, hoursFrom(headRecordedAt(), -1))), {
      line: 20,
      field: 'recordedAt',
      reason: /is before the recordedAt of #19/,
    });
    await expectContractRefusal(
      original,
      'contract.jsonl',
      text([{ type: 'contract.version', at: '2026-11-01T00:00:00Z', actor: BUYER, ...(JSON.parse(contractJson({ pricePerResolution: 9.99 })) as Line) }]),
      { line: 1, field: 'version', reason: /is already in the ledger with other terms/ },
    );
    await expectContractRefusal(
      original,
      'policy.jsonl',
      text([{ type: 'sla.policy', at: '2026-11-01T00:00:00Z', actor: { kind: 'human', id: 'sup-1' }, ...policyFile({ version: 1 }) }, { type: 'sla.policy', at: '2026-11-01T00:00:01Z', actor: { kind: 'human', id: 'sup-1' }, ...policyFile({ version: 2, effectiveFrom: '2026-09-01T00:00:00Z' }) }]),
      { line: 2, field: 'effectiveFrom', reason: /is before the time/ },
    );
  });

  function headRecordedAt(): string {
    return (JSON.parse(built.lines[built.lines.length - 1]!) as Line).recordedAt as string;
  }
});
