import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importContract, parseContractText } from '../../electron/core/outcomes/contract-import.ts';
import { formatMinor, toMinor } from '../../electron/core/outcomes/money.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, BUYER, contractJson, record } from './outcome-kit.ts';

const CLI = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const DEMO_CONTRACT = fileURLToPath(new URL('../../resources/contracts/demo-contract.json', import.meta.url));

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  return cliAs({}, ...args);
}

function cliAs(env: Record<string, string>, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** The environment that signs the CLI in as `account` (its password in a file of its own). */
function signedInAs(dir: string, account: string, password: string): Record<string, string> {
  const file = join(dir, `${account}.password`);
  writeFileSync(file, `${password}\n`);
  return { ATTEST_USER: account, ATTEST_PASSWORD_FILE: file };
}

describe('contract files', () => {
  it('accept the example of the issue and the demo contract', () => {
    expect(parseContractText('c.json', contractJson({}, { requireSla: ['first_reply', 'total_resolution'] }))).toMatchObject({ id: 'acme-ai-2026', criteria: { minCsat: 3 } });
    expect(parseContractText('demo.json', readFileSync(DEMO_CONTRACT, 'utf8'))).toMatchObject({ id: 'demo-ai-pilot-2026' });
  });

  it('refuse bad input naming file, line and field', () => {
    const bad = (overrides: Record<string, unknown>, criteria: Record<string, unknown> = {}) => () => parseContractText('c.json', contractJson(overrides, criteria));
    expect(bad({ timezone: 'Mars/Base' })).toThrow('c.json:5: timezone: must be an IANA time zone such as "Europe/Berlin"');
    expect(bad({ currency: 'EURO' })).toThrow('c.json:6: currency: must be an ISO 4217 currency code');
    expect(bad({ pricePerResolution: 0.999 })).toThrow('c.json:7: pricePerResolution: "0.999" has more than 2 decimal places for EUR');
    expect(bad({ effectiveFrom: '2026-02-30' })).toThrow('c.json:4: effectiveFrom: is not a calendar date');
    expect(bad({}, { minCsat: 6 })).toThrow('c.json:17: criteria.minCsat:');
    expect(bad({}, { requireSla: ['first_reply', 'speed'] })).toThrow('c.json:20: criteria.requireSla.1:');
    expect(bad({ discount: 5 })).toThrow('c.json:21: discount: unknown field');
    expect(() => parseContractText('c.json', '{"id": "x",\n "version": }')).toThrow(/^c\.json:2: not valid JSON/);
  });

  it('nothing is half-imported: a refused version leaves the ledger as it was', () => {
    const { db } = tempDb();
    const count = () => db.prepare('SELECT count(*) FROM events').pluck().get();
    expect(() => importContract(db, 'c.json', contractJson({ categories: ['a', 'a'] }), BUYER)).toThrow('c.json:8: categories: lists a category twice');
    expect(count()).toBe(0);
    importContract(db, 'c.json', contractJson(), BUYER, '2026-09-01T00:00:00Z');
    expect(new OutcomeRepository(db).contractVersions()).toMatchObject([{ contract: { id: 'acme-ai-2026', version: 1 }, at: '2026-09-01T00:00:00.000Z' }]);
    expect(db.prepare("SELECT ticket_id FROM events WHERE type = 'contract.version'").pluck().get()).toBeNull();
  });

  it('money is integer minor units printed as decimal strings', () => {
    expect(toMinor(0.99, 2)).toBe(99);
    expect(toMinor('1.5', 2)).toBe(150);
    expect(toMinor(0.1 + 0.2 === 0.3 ? 0.3 : '0.30', 2)).toBe(30);
    expect(formatMinor(-99, 2)).toBe('-0.99');
    expect(formatMinor(123456, 2)).toBe('1234.56');
    expect(formatMinor(7, 0)).toBe('7');
    // 100 resolutions at 0.99 are exactly 99.00, never 98.99999999999999.
    expect(formatMinor(100 * toMinor(0.99, 2), 2)).toBe('99.00');
  });
});

describe('outcome CLI', () => {
  it('imports a contract, verifies as of an instant, explains, and prints statements (json, csv, pdf) identical across reruns', () => {
    const { db, path, dir } = tempDb();
    for (let i = 1; i <= 3; i++) record(db, aiSolved(`T-${i}`, `2026-10-0${i}T10:00:00Z`, i === 2 ? [{ kind: 'csat', at: '2026-10-02T12:00:00Z', score: 2 }] : []));
    db.close();
    const file = join(dir, 'contract.json');
    writeFileSync(file, contractJson());
    const imported = cli('contract', 'import', '--db', path, file, '--json');
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'acme-ai-2026', version: 1, added: true });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, contractJson({ clawbackDays: -1 }));
    const refused = cli('contract', 'import', '--db', path, bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('bad.json:20: clawbackDays: must not be negative');

    expect(cli('outcomes', '--db', path, '--as-of', 'yesterday').status).toBe(2);
    const run = cli('outcomes', '--db', path, '--as-of', '2026-10-20T00:00:00Z', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ verifiedAdded: 2, reversedAdded: 0, examined: 3 });

    const explained = cli('explain', '--db', path, '--ticket', 'T-2', '--json');
    const explanation = JSON.parse(explained.stdout);
    expect(Object.keys(explanation).slice(0, 4)).toEqual(['ticket', 'state', 'reason', 'evidence']);
    expect(explanation).toMatchObject({ ticket: 'T-2', state: 'not_billable', reason: 'CSAT 2 inside the verification window, below the minimum of 3' });
    expect(cli('explain', '--db', path, '--ticket', 'T-1').stdout).toMatch(/^T-1: verified — verified 2026-10-04T10:10:00.000Z under version 1/);
    expect(cli('explain', '--db', path, '--ticket', 'T-99').status).toBe(1);

    const json1 = cli('statement', '--db', path, '--period', '2026-10').stdout;
    const csv1 = cli('statement', '--db', path, '--period', '2026-10', '--format', 'csv').stdout;
    expect(JSON.parse(json1)).toMatchObject({ period: '2026-10', currency: 'EUR', verified: 2, reversed: 0, disputed: 0, subtotal: '1.98', credits: '0.00', total: '1.98' });
    expect(JSON.parse(json1).lines.map((l: { ticket: string }) => l.ticket)).toEqual(['T-1', 'T-3']);
    const pdf1 = join(dir, 'a.pdf');
    const pdf2 = join(dir, 'b.pdf');
    const eventsBefore = JSON.parse(cli('verify', '--db', path, '--json').stdout).eventCount as number;
    // The same ledger, kept as it is now: its PDF must come out byte for byte the same.
    const twin = join(dir, 'twin.db');
    for (const suffix of ['', '-wal']) if (existsSync(path + suffix)) copyFileSync(path + suffix, twin + suffix);
    const written = cli('statement', '--db', path, '--period', '2026-10', '--format', 'pdf', '--out', pdf1, '--json');
    expect(written.status).toBe(0);
    // Handed on as a file, the statement gets the signed checkpoint of the ledger it was computed from beside it.
    expect(JSON.parse(written.stdout)).toMatchObject({ file: pdf1, checkpoint: `${pdf1}.checkpoint` });
    expect(readFileSync(`${pdf1}.checkpoint`, 'utf8').split('\n')[1]).toBe(String(eventsBefore));
    cli('outcomes', '--db', path, '--as-of', '2026-10-21T00:00:00Z');
    expect(cli('statement', '--db', path, '--period', '2026-10').stdout).toBe(json1);
    expect(cli('statement', '--db', path, '--period', '2026-10', '--format', 'csv').stdout).toBe(csv1);
    cli('statement', '--db', twin, '--period', '2026-10', '--format', 'pdf', '--out', pdf2);
    const pdf = readFileSync(pdf1);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(pdf2).equals(pdf)).toBe(true);
    expect(cli('statement', '--db', path, '--period', '2026-13').status).toBe(1);

    // People with accounts flag and decide the dispute, each signed in with their own password.
    const secrets = dirname(path);
    const admin = signedInAs(secrets, 'boss', 'tidal-furnace-8831');
    expect(cli('user', 'add', '--db', path, '--name', 'boss', '--display', 'Bo Sterling', '--role', 'admin', '--password-file', admin.ATTEST_PASSWORD_FILE!).status).toBe(0);
    for (const [name, display, role, password] of [['aud-1', 'Ada Udo', 'auditor', 'quiet-harbor-5512'], ['sup-1', 'Sam Upton', 'supervisor', 'violet-canyon-7720']] as const) {
      const own = signedInAs(secrets, name, password);
      expect(cliAs(admin, 'user', 'add', '--db', path, '--name', name, '--display', display, '--role', role, '--password-file', own.ATTEST_PASSWORD_FILE!).status).toBe(0);
    }
    const auditor = signedInAs(secrets, 'aud-1', 'quiet-harbor-5512');
    const supervisor = signedInAs(secrets, 'sup-1', 'violet-canyon-7720');
    const opened = cliAs(auditor, 'dispute', 'open', '--db', path, '--ticket', 'T-1', '--reason', 'wrong answer', '--json');
    const dispute = JSON.parse(opened.stdout);
    expect(dispute).toMatchObject({ ticket: 'T-1', openedBy: 'acct:aud-1', state: 'open' });
    expect(JSON.parse(cli('statement', '--db', path, '--period', '2026-10').stdout)).toMatchObject({ verified: 1, disputed: 1, total: '0.99' });
    // The auditor flags disputes but may not decide them.
    const decidedByAuditor = cliAs(auditor, 'dispute', 'uphold', '--db', path, '--dispute', String(dispute.seq), '--reason', 'confirmed');
    expect(decidedByAuditor).toMatchObject({ status: 1, stdout: '' });
    expect(decidedByAuditor.stderr).toMatch(/forbidden: the auditor role may not uphold a dispute/);
    // The decision is signed: without --meaning it is refused and nothing is decided.
    const unsigned = cliAs(supervisor, 'dispute', 'uphold', '--db', path, '--dispute', String(dispute.seq), '--reason', 'confirmed', '--json');
    expect(unsigned).toMatchObject({ status: 2, stdout: '' });
    expect(unsigned.stderr).toMatch(/this act needs your electronic signature: add --meaning reviewed\|approved\|responsible\|authored/);
    expect(JSON.parse(cli('disputes', '--db', path, '--json').stdout).disputes[0]).toMatchObject({ state: 'open' });
    const upheld = cliAs(supervisor, 'dispute', 'uphold', '--db', path, '--dispute', String(dispute.seq), '--reason', 'confirmed', '--meaning', 'approved', '--json');
    expect(JSON.parse(upheld.stdout)).toMatchObject({ state: 'upheld', decidedBy: 'acct:sup-1' });
    const [decided] = JSON.parse(cli('disputes', '--db', path, '--json').stdout).disputes;
    // --sign-reason defaults to the decision's --reason; the signature names the decision by seq and hash.
    expect(decided.decisionSignatures).toMatchObject([{ signer: 'acct:sup-1', display: 'Sam Upton', meaning: 'approved', reason: 'confirmed', signedSeq: decided.decisionSeq, valid: true }]);
  }, 180_000);
});
