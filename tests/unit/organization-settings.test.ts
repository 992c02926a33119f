// The organization's settings (name, the AI's signature, the AI disclosure): recorded in the ledger through the
// contract with a reason, refused from files and when malformed, read by the prompts, the AI's replies and knowledge
// search — and no demo company written anywhere in production code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/permissions.ts';
import { resolveTickets } from '../../electron/core/ai/resolver.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { DEMO_ORGANIZATION } from '../../electron/core/demo/demo-organization.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { queryTerms, searchArticles } from '../../electron/core/kb/kb-search.ts';
import { organizationName } from '../../electron/core/organization/organization-settings.ts';
import { openCore } from '../../electron/core/service.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import type { StandIn } from '../support/ollama-stand-in.ts';
import { withStandInAndKb } from './ai-kit.ts';
import { tempDb } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BANK = { name: 'Harbor Mutual Bank', aiSignature: 'Harbor Mutual — Customer Care', aiDisclosure: 'Written by an AI assistant of Harbor Mutual; reply "person" to reach a colleague.' };
const CONFIGURE = { ...BANK, reason: 'Go-live wording approved by compliance' };

const settingsRows = (db: Db): { actor: string; payload: string; ticket_id: string | null }[] =>
  db.prepare("SELECT actor, payload, ticket_id FROM events WHERE type = 'organization.settings' ORDER BY seq").all() as { actor: string; payload: string; ticket_id: string | null }[];

describe('organization settings through the contract', () => {
  it('say plainly that nothing is set, until a supervisor records them with a reason as a ledger-wide event', async () => {
    const { db, path } = tempDb();
    const auditor = openCore({ dbPath: path, role: 'auditor' });
    const unset = await auditor.invoke('organization.settings', {});
    expect(unset).toMatchObject({ ok: true, value: { name: null, aiSignature: null, aiDisclosure: null, recorded: null } });
    if (!unset.ok) throw new Error('unreachable');
    expect(unset.value.effectiveDisclosure).toBe(unset.value.defaultDisclosure);
    expect(unset.value.effectiveDisclosure).toMatch(/\bAI\b/);
    expect(await auditor.invoke('organization.configure', CONFIGURE)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    auditor.close();
    expect(organizationName(db)).toBeNull();

    const core = openCore({ dbPath: path, role: 'supervisor', user: 'sup-7' });
    expect(await core.invoke('organization.configure', { ...CONFIGURE, reason: ' ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const short = await core.invoke('organization.configure', { ...CONFIGURE, aiDisclosure: 'AI.' });
    expect(short).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(short)).toContain('aiDisclosure');
    expect(settingsRows(db)).toHaveLength(0);

    const saved = await core.invoke('organization.configure', CONFIGURE);
    expect(saved).toMatchObject({ ok: true, value: { ...BANK, effectiveDisclosure: BANK.aiDisclosure, recorded: { by: 'sup-7', reason: CONFIGURE.reason } } });
    // The AI settings card reads them in the same call (one access record per look at the settings).
    expect(await core.invoke('ai.settings', {})).toMatchObject({ ok: true, value: { organization: { name: BANK.name, aiSignature: BANK.aiSignature } } });
    // Empty text clears a setting: the name is "not set" again, the disclosure the product's own.
    expect(await core.invoke('organization.configure', { name: '', aiSignature: '', aiDisclosure: '', reason: 'Rebranding under way' })).toMatchObject({
      ok: true,
      value: { name: null, aiSignature: null, aiDisclosure: null },
    });
    core.close();

    const rows = settingsRows(db);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.ticket_id).toBeNull();
    expect(JSON.parse(rows[0]!.actor)).toEqual({ kind: 'human', id: 'sup-7' });
    expect(JSON.parse(rows[0]!.payload)).toEqual({ name: BANK.name, ai_signature: BANK.aiSignature, ai_disclosure: BANK.aiDisclosure, reason: CONFIGURE.reason });
    expect(JSON.parse(rows[1]!.payload)).toEqual({ name: null, ai_signature: null, ai_disclosure: null, reason: 'Rebranding under way' });
    expect(organizationName(db)).toBeNull();
  });

  it('are changed by supervisors and admins and read by everyone, in the one permission table', () => {
    expect(PERMISSIONS['organization.configure'].roles).toEqual(PERMISSIONS['ai.configure'].roles);
    expect(PERMISSIONS['organization.settings'].roles).toEqual(['admin', 'supervisor', 'auditor']);
  });

  it('are refused from a file (only Attest records them) and, on every append path, when the disclosure says nothing', () => {
    const { db } = tempDb();
    const line = { type: 'organization.settings', at: '2026-01-05T10:00:00Z', actor: { kind: 'human', id: 'x' }, name: 'Forged Ltd', ai_signature: null, ai_disclosure: null, reason: 'sneak' };
    expect(() => importJsonlText(db, 'forged.jsonl', `${JSON.stringify(line)}\n`)).toThrow(/^forged\.jsonl:1: type: "organization\.settings"/);
    expect(settingsRows(db)).toHaveLength(0);
    expect(() => recordEvents(db, [{ ...line, ai_disclosure: 'AI' }])).toThrow(/ai_disclosure/);
    expect(settingsRows(db)).toHaveLength(0);
  });
});

describe('the AI reads the organization settings', () => {
  let standIn: StandIn;
  let db: Db;
  withStandInAndKb((s, d) => {
    standIn = s;
    db = d;
  });

  it('without settings, prompts say "the company" and a reply ends with the product disclosure, no signature', async () => {
    setMode(db, 'how_to', 'auto');
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    expect((await resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, backoffMs: 5 })).sentSolved).toBe(1);
    // The instructions only: the knowledge-base articles appended below them are the (demo) organization's own text.
    const systems = standIn.chats.map((chat) => chat.body.messages[0]!.content.split(/\n(?:\nKnowledge-base articles:|Categories: )/)[0]!);
    expect(systems.length).toBeGreaterThanOrEqual(3);
    for (const system of systems) expect(system).not.toMatch(/Kestrel|Harbor/);
    expect(systems.find((s) => s.startsWith('You triage'))).toContain('You triage support tickets for the company.');
    const reply = db.prepare("SELECT payload FROM events WHERE type = 'message' AND ticket_id = ? AND json_extract(actor, '$.kind') = 'ai'").pluck().get(ticket!.id) as string;
    const { body, disclosure } = JSON.parse(reply) as { body: string; disclosure: string };
    const text = body.slice(0, body.length - disclosure.length);
    expect(disclosure).toMatch(/\bAI\b/);
    expect(body.endsWith(`\n\n${disclosure}`)).toBe(true);
    expect(text).not.toContain(BANK.aiSignature);
  });

  it('with settings, every prompt names the organization, the recorded template hash covers it, and replies end with signature then disclosure', async () => {
    recordEvents(db, [{ type: 'organization.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'sup-1' }, name: BANK.name, ai_signature: BANK.aiSignature, ai_disclosure: BANK.aiDisclosure, reason: 'go-live' }]);
    setMode(db, 'how_to', 'auto');
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    expect((await resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, backoffMs: 5 })).sentSolved).toBe(1);
    const triage = standIn.chats.find((chat) => chat.step === 'triage')!.body.messages[0]!.content;
    const draft = standIn.chats.find((chat) => chat.step === 'draft')!.body.messages[0]!.content;
    expect(triage).toContain(`You triage support tickets for ${BANK.name}.`);
    expect(draft).toContain(`You write replies for the customer support of ${BANK.name}.`);
    const steps = db.prepare("SELECT type, payload FROM events WHERE ticket_id = ? AND type IN ('ai.triage', 'ai.draft')").all(ticket!.id) as { type: string; payload: string }[];
    const { createHash } = await import('node:crypto');
    const triageStep = JSON.parse(steps.find((s) => s.type === 'ai.triage')!.payload) as { prompt: { template_id: string; template_hash: string } };
    // The template as the model read it (the system message before the category list), hashed independently.
    const triageTemplate = triage.slice(0, triage.lastIndexOf('\nCategories: '));
    expect(triageStep.prompt.template_hash).toBe(createHash('sha256').update(`${triageStep.prompt.template_id}\n${triageTemplate}`).digest('hex'));
    const reply = JSON.parse(db.prepare("SELECT payload FROM events WHERE type = 'message' AND ticket_id = ? AND json_extract(actor, '$.kind') = 'ai'").pluck().get(ticket!.id) as string) as { body: string; disclosure: string };
    expect(reply.disclosure).toBe(BANK.aiDisclosure);
    expect(reply.body.endsWith(`\n\n${BANK.aiSignature}\n\n${BANK.aiDisclosure}`)).toBe(true);
  });

  it('knowledge search drops the words of the organization name, from the settings only', () => {
    const question = 'How do I invite my husband to the Kestrel app?';
    expect(queryTerms(question)).toContain('kestrel');
    expect(searchArticles(db, question).query.split(' ')).toContain('kestrel');
    recordEvents(db, [{ type: 'organization.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'sup-1' }, name: DEMO_ORGANIZATION.name, ai_signature: null, ai_disclosure: null, reason: 'demo' }]);
    const query = searchArticles(db, question).query.split(' ');
    expect(query).not.toContain('kestrel');
    expect(query).toEqual(expect.arrayContaining(['invite', 'husband', 'app']));
  });
});

/** Every source file under `dir`, skipping the demo generator's own folder. */
function productionFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (relative(ROOT, path) === join('electron', 'core', 'demo') || name === 'node_modules' || name === 'dist') continue;
      found.push(...productionFiles(path));
    } else if (/\.(ts|tsx|js|mjs|css|html|json)$/.test(name)) {
      found.push(path);
    }
  }
  return found;
}

describe('production code names no demo company', () => {
  it('has neither the demo organization nor its signature outside electron/core/demo (prompts, signature, stop-words come from settings)', () => {
    const names = [/kestrel/i, new RegExp(DEMO_ORGANIZATION.aiSignature!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')];
    const files = ['electron', 'shared', 'renderer'].flatMap((dir) => productionFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    const offending = files.filter((file) => names.some((name) => name.test(readFileSync(file, 'utf8')))).map((file) => relative(ROOT, file));
    expect(offending).toEqual([]);
  });
});
