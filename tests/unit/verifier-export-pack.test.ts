// The verifier on a real `attest export --pack` of the demo: two issued periods, then a dispute opened and upheld on
// an outcome of the last issued one. The issued statements stay as issued, the first open period carries the
// adjustment, and an auditor given only the pack folder and attest-verify.mjs reproduces every statement.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { tempDir } from './helpers.ts';
import { runVerifier, sealManifest, VERIFIER } from './verifier-kit.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const CONTRACT = 'demo-ai-pilot-2026';
const root = mkdtempSync(join(tmpdir(), 'attest-verifier-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The CLI, signed in as a demo account (its published password from a file). */
function attestAs(account: 'mrivera' | 'jlindqvist', ...args: string[]): string {
  const passwordFile = join(root, `${account}.pw`);
  writeFileSync(passwordFile, account === 'mrivera' ? 'copper-meadow-17\n' : 'amber-glacier-93\n');
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_USER: account, ATTEST_PASSWORD_FILE: passwordFile } });
  if (result.status !== 0) throw new Error(`attest ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

interface StatementJson {
  total: string;
  lines: { ticket: string; status: string; verifiedSeq: number }[];
  adjustments: { ticket: string; period: string; was: string; now: string; net: string; events: number[] }[];
}

const pack = join(root, 'pack');
const db = join(root, 'demo.db');
let disputed: string;
let issuedSeptember: string;

beforeAll(() => {
  attestAs('mrivera', 'demo', '--db', db, '--tickets', '300');
  attestAs('mrivera', 'outcomes', '--db', db);
  attestAs('mrivera', 'statement', 'issue', '--db', db, '--period', '2026-08');
  attestAs('mrivera', 'statement', 'issue', '--db', db, '--period', '2026-09');
  const september = JSON.parse(attestAs('mrivera', 'statement', '--db', db, '--period', '2026-09', '--json')) as StatementJson;
  issuedSeptember = attestAs('mrivera', 'statement', '--db', db, '--period', '2026-09', '--format', 'json');
  disputed = september.lines.find((l) => l.status === 'billed')!.ticket;
  const opened = JSON.parse(attestAs('jlindqvist', 'dispute', 'open', '--db', db, '--ticket', disputed, '--reason', 'the customer wrote back by phone', '--json')) as { seq: number };
  attestAs('mrivera', 'dispute', 'uphold', '--db', db, '--dispute', String(opened.seq), '--reason', 'confirmed by the call log', '--meaning', 'approved');
  attestAs('mrivera', 'export', '--db', db, '--pack', pack);
}, 120_000);

const statementIn = (dir: string, period: string): string => readFileSync(join(dir, 'statements', CONTRACT, `${period}.json`), 'utf8');

describe('a real pack of the demo with issued periods and a dispute decided after issue', () => {
  it('is reproduced to the cent by the verifier the pack carries', () => {
    expect(readFileSync(join(pack, 'attest-verify.mjs'))).toEqual(readFileSync(VERIFIER));
    const result = spawnSync(process.execPath, [join(pack, 'attest-verify.mjs'), pack, '--key', join(pack, 'installation.pub')], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/^PACK OK: \d+ events, 3 statements reproduced to the cent\n$/);
    expect(result.status).toBe(0);
  });

  it('the issued period is unchanged; the next open one carries the adjustment', () => {
    expect(statementIn(pack, '2026-09')).toBe(issuedSeptember);
    const october = JSON.parse(statementIn(pack, '2026-10')) as StatementJson;
    expect(october.adjustments.map((a) => [a.ticket, a.period, a.was, a.now, a.net])).toEqual([[disputed, '2026-09', 'billed', 'billed_and_reversed', '-0.99']]);
  });

  it('an issued statement edited in the pack, even re-sealed with the installation key, is named', () => {
    const dir = join(tempDir(), 'pack');
    cpSync(pack, dir, { recursive: true });
    const text = statementIn(dir, '2026-09');
    const edited = text.replace(/"total": "(\d+\.\d\d)"/, '"total": "0.00"');
    expect(edited).not.toBe(text);
    writeFileSync(join(dir, 'statements', CONTRACT, '2026-09.json'), edited);
    sealManifest(dir, loadOrCreateInstallationKey());
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    const canonicalHash = (json: string): string => createHash('sha256').update(JSON.stringify(JSON.parse(json))).digest('hex');
    expect(canonicalHash(edited)).not.toBe(canonicalHash(text));
    expect(run.stdout).toMatch(new RegExp(`^statements/${CONTRACT}/2026-09\\.json: not the document issued by event #\\d+ \\(SHA-256 of its canonical JSON [0-9a-f]{64}, issued [0-9a-f]{64}\\)$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^statements/${CONTRACT}/2026-09\\.csv:\\d+: TOTAL row net: the CSV says \\d+\\.\\d\\d, the JSON says 0\\.00$`, 'm'));
  });
});
