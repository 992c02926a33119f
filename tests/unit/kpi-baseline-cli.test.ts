// Baselines frozen in the ledger, the migration board, and the CLI agreeing with the HTTP bridge.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../../shared/contracts/kpis.ts';
import { startHttpBridge, type HttpBridge } from '../../electron/adapters/http/server.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { freezeBaseline, listBaselines } from '../../electron/core/kpis/baselines.ts';
import { migrationBoard } from '../../electron/core/kpis/board.ts';
import { kpiDefinitionsHash, kpiDefinitionsMarkdown } from '../../electron/core/kpis/definitions.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { operatingSystemUser } from '../../electron/core/people/operator.ts';
import { tempDb, tempDir } from './helpers.ts';
import { readFileSync } from 'node:fs';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));
const DOCS = fileURLToPath(new URL('../../README.md', import.meta.url));

const attest = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let bridge: HttpBridge | undefined;
let core: CoreHandle | undefined;
afterEach(async () => {
  await bridge?.close();
  core?.close();
  bridge = core = undefined;
});

describe('baselines and the migration board', () => {
  it('freezes a baseline as a ledger event with the definitions hash, and refuses a duplicate name', () => {
    const { db } = tempDb();
    importJsonlFile(db, FIXTURE);
    const row = freezeBaseline(db, { name: 'pre-pilot', from: '2026-03-02', to: '2026-03-03' }, { kind: 'human', id: 'sup-1' });
    expect(row).toMatchObject({ name: 'pre-pilot', frozenBy: 'sup-1', definitionsHash: kpiDefinitionsHash(), definitionsMatch: true });
    expect(row.overall.tickets).toBe(7);
    expect(row.byCategory.password_reset!.tickets).toBe(2);
    expect(listBaselines(db)).toHaveLength(1);
    expect(() => freezeBaseline(db, { name: 'pre-pilot', from: '2026-03-02', to: '2026-03-03' }, { kind: 'human', id: 'sup-1' })).toThrow(/already frozen/);
    expect(() => freezeBaseline(db, { name: 'empty', from: '2027-01-01', to: '2027-01-02' }, { kind: 'human' })).toThrow(/no tickets/);
    expect(verifyLedger(db).intact).toBe(true);
  });

  it('orders categories by complexity tier, shows their ledger mode and compares against the baseline', () => {
    const { db } = tempDb();
    importJsonlFile(db, FIXTURE);
    const baseline = freezeBaseline(db, { name: 'b', from: '2026-03-02', to: '2026-03-03' }, { kind: 'human', id: 'sup' });
    recordEvents(db, [{ type: 'category.mode', at: '2026-03-08T00:00:00Z', actor: { kind: 'human', id: 'sup' }, category: 'how_to', mode: 'auto', reason: 'pilot passed' }]);
    const board = migrationBoard(db, { from: '2026-03-02', to: '2026-03-10', thresholds: { fcrMaxDrop: 0, csatMaxDrop: 0.1, reopenMaxRise: 0.02, minSample: 1 } });
    expect(board.baseline!.seq).toBe(baseline.seq);
    expect(board.rows.map((r) => [r.tier, r.category])).toEqual([
      [1, 'how_to'],
      [1, 'password_reset'],
      [2, 'billing_question'],
      [2, 'refund'],
      [3, 'outage'],
    ]);
    const howTo = board.rows[0]!;
    expect(howTo).toMatchObject({ mode: 'auto', reason: 'pilot passed', changedBy: 'sup' });
    expect(howTo.checks.map((c) => c.kpi)).toEqual(['fcr', 'csat', 'reopenRate']);
    expect(howTo.checks[0]!.baseline).toMatchObject({ value: 1, n: 2 });
    // refund: nothing in the baseline -> no verdict
    expect(board.rows.find((r) => r.category === 'refund')!.checks[0]!.verdict).toBe('insufficient_data');
  });

  it('documents every definition in the README exactly as the tooltips show it', () => {
    const docs = readFileSync(DOCS, 'utf8');
    expect(docs).toContain(kpiDefinitionsMarkdown());
    for (const d of KPI_DEFINITIONS) expect(docs).toContain(d.definition);
  });
});

describe('attest kpis', () => {
  it('prints the promised JSON shape, and the same numbers as the HTTP bridge', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, FIXTURE);
    db.close();
    const cli = attest('kpis', '--db', path, '--from', '2026-03-02', '--to', '2026-03-03', '--by', 'category', '--json');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const json = JSON.parse(cli.stdout);
    for (const key of ['from', 'to', 'tickets', 'fcr', 'deflection', 'ahtMinutes', 'ahtSource', 'csatMean', 'csatSatisfiedShare', 'csatResponses', 'slaCompliance', 'reopenRate', 'escalationRate', 'costPerResolution', 'groups']) {
      expect(json).toHaveProperty(key);
    }
    expect(json).toMatchObject({ from: '2026-03-02', to: '2026-03-03', tickets: 7, ahtMinutes: 20, ahtSource: 'worklog', slaCompliance: null, costPerResolution: { human: 20, ai: null } });
    expect(Object.keys(json.groups)).toEqual(['billing_question', 'how_to', 'outage', 'password_reset']);

    const staticDir = join(tempDir(), 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Attest</title>');
    core = openCore({ dbPath: path, role: 'auditor' });
    bridge = await startHttpBridge({ core, staticDir });
    const response = await fetch(`http://127.0.0.1:${bridge.port}/api/rpc/kpis.report`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Attest-Token': bridge.token },
      body: JSON.stringify({ from: '2026-03-02', to: '2026-03-03', by: 'category' }),
    });
    const body = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(body.value).toEqual(json);
    // an auditor may read but not freeze
    const freeze = await fetch(`http://127.0.0.1:${bridge.port}/api/rpc/kpis.freezeBaseline`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Attest-Token': bridge.token },
      body: JSON.stringify({ name: 'x', from: '2026-03-02', to: '2026-03-03' }),
    });
    expect(((await freeze.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('exits 2 on bad usage with the reason on stderr', () => {
    const { db, path } = tempDb();
    importJsonlFile(db, FIXTURE);
    db.close();
    const missing = attest('kpis', '--db', path, '--from', '2026-03-02', '--json');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/--to DATE is required/);
    expect(attest('kpis', '--db', path, '--from', '2026-03-02', '--to', '2026-03-03', '--by', 'priority').stderr).toMatch(/--by priority: must be one of category, channel, actor/);
    expect(attest('kpis', '--db', path, '--from', '2026-13-02', '--to', '2026-03-03').code).toBe(2);
  });

  it('freezes and lists baselines and prints the board from the CLI', () => {
    const { db, path } = tempDb();
    importJsonlFile(db, FIXTURE);
    db.close();
    const frozen = attest('baseline', 'freeze', '--db', path, '--from', '2026-03-02', '--to', '2026-03-03', '--name', 'pre', '--json');
    expect(frozen.code).toBe(0);
    // A ledger without accounts: the baseline is frozen by the operating-system user.
    expect(JSON.parse(frozen.stdout)).toMatchObject({ name: 'pre', frozenBy: operatingSystemUser().id, definitionsMatch: true });
    const list = JSON.parse(attest('baseline', 'list', '--db', path, '--json').stdout);
    expect(list).toHaveLength(1);
    const board = attest('board', '--db', path, '--from', '2026-03-02', '--to', '2026-03-10', '--json');
    expect(board.code).toBe(0);
    expect(JSON.parse(board.stdout).rows[0]).toMatchObject({ tier: 1, mode: 'off' });
  });
});
