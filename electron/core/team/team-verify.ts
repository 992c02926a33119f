// `attest verify --pg URL`: verifies the team ledger on the server itself, read-only (one REPEATABLE READ READ ONLY
// snapshot), streaming the events in chunks so a ledger of tens of millions of events never sits in memory:
//  - every event's hash recomputed from its content, every link, the numbering without gaps;
//  - the database's own protections (the append-only and chain triggers) present and enabled;
//  - every stored checkpoint event: its note states what its payload states, is signed by the key it names (and by
//    --key when given), and its root is the root of the first treeSize events, all roots from the same one pass;
//  - every replica's cosignature of a checkpoint verifies against the cosigner key it was stored with;
//  - every password hash on the server is the one the account's events vouch for (their `credential` digest).
// The result mirrors the desktop `attest verify` (ChainStatus and its findings, `checkpoints`), plus `cosignatures`.
import type { ChainFinding, ChainStatus } from '../../../shared/contract.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import { parseKeyOption, type CheckpointCheck } from '../checkpoints/checkpoint-check.ts';
import { ledgerOrigin, parseCheckpointText, type CheckpointBody } from '../checkpoints/checkpoint.ts';
import { cosignatureVerifies, parseCosignatureLine, parseCosignerKey } from '../checkpoints/cosignature.ts';
import { NoteFormatError, parseSignedNote, parseVerifierKey, verifySignedNote, type SignedNote, type VerifierKey } from '../checkpoints/signed-note.ts';
import { pgSchemaProblem } from '../db/pg-migrate.ts';
import { eventHash } from '../ledger/hashing.ts';
import { PASSWORD_EVENT_TYPES } from '../people/accounts.ts';
import { credentialDigest } from '../people/passwords.ts';
import type { RawEventRow } from '../ledger/ledger-repository.ts';
import { leafHashOfHex, RootsAtSizes } from '../ledger/merkle.ts';
import { describeTeam } from './team-connection.ts';
import { withTeamClient, type ReplicaCosignatureRow, type TeamQueries } from './team-repository.ts';

/** Events read per query: enough to keep round trips few, small enough to keep memory flat. */
const CHUNK = 5000;
/** Chain findings kept (the count of all of them is still reported): a wholesale rewrite is not a million lines. */
const MAX_CHAIN_FINDINGS = 100;
/** The triggers 001_team_ledger.sql installs on `events`; each must be there and enabled. */
const PROTECTING_TRIGGERS = ['events_continue_chain', 'events_no_delete', 'events_no_truncate', 'events_no_update'];

export class TeamVerifyError extends Error {}

export interface TeamVerifyOptions {
  /** A verifier key string or an Ed25519 public key PEM: every checkpoint must be signed by it too. */
  key?: string;
  onProgress?: (checked: number, total: number) => void;
}

/** One stored checkpoint event, checked: the desktop's CheckpointCheck and the event's seq. */
export interface TeamCheckpointCheck extends CheckpointCheck {
  seq: number;
}

export interface TeamCosignatureCheck {
  checkpointSeq: number;
  replicaId: string;
  /** The cosigner key's name. */
  cosigner: string;
  treeSize: number;
  ok: boolean;
  problem?: string;
}

export interface TeamVerification {
  team: string;
  ledgerId: string;
  status: ChainStatus;
  checkpoints: TeamCheckpointCheck[];
  cosignatures: TeamCosignatureCheck[];
}

interface StoredCheckpoint {
  seq: number;
  ticket: string | null;
  body: CheckpointBody | null;
  note: SignedNote | null;
  reasons: string[];
  signature: CheckpointCheck['signature'];
}

/** What the checkpoint event at `row` states, and what is wrong with it already before the roots are known. */
function readCheckpoint(row: RawEventRow, origin: string, trusted: VerifierKey | null): StoredCheckpoint {
  const [seq, ticket] = row;
  const checkpoint: StoredCheckpoint = { seq, ticket, body: null, note: null, reasons: [], signature: 'unverified' };
  try {
    const payload = JSON.parse(row[6]) as { origin: string; treeSize: number; rootHash: string; note: string; key: string };
    const note = parseSignedNote(payload.note);
    const body = parseCheckpointText(note.text);
    checkpoint.note = note;
    checkpoint.body = body;
    if (body.origin !== payload.origin || body.treeSize !== payload.treeSize || body.rootHash.toString('base64') !== payload.rootHash) {
      checkpoint.reasons.push(`event #${seq} states another origin, size or root than the note it stores`);
    }
    if (body.origin !== origin) checkpoint.reasons.push(`its origin is ${body.origin}, not this ledger's ${origin}`);
    // A checkpoint covers events recorded before it, never itself or later ones.
    if (body.treeSize >= seq) checkpoint.reasons.push(`event #${seq} cannot state a size of ${body.treeSize} (only ${seq - 1} events came before it)`);
    const namedOk = verifySignedNote(note, [parseVerifierKey(payload.key)]).status === 'verified';
    if (!namedOk) checkpoint.reasons.push(`its note is not signed by the key it names (${payload.key.split('+')[0]})`);
    const givenOk = trusted ? verifySignedNote(note, [trusted]).status === 'verified' : null;
    if (trusted && !givenOk) checkpoint.reasons.push(`it is not signed by the given key (${trusted.name}+${trusted.keyId.toString('hex')})`);
    // Without --key the key it names proves only that the note is intact, not who signed it: "unverified", as on the desktop.
    checkpoint.signature = !namedOk || givenOk === false ? 'invalid' : givenOk ? 'verified' : 'unverified';
  } catch (error) {
    if (!(error instanceof NoteFormatError) && !(error instanceof SyntaxError)) throw error;
    checkpoint.signature = 'invalid';
    checkpoint.reasons.push(`event #${seq} does not hold a valid checkpoint note (${error.message})`);
  }
  return checkpoint;
}

function checkCosignature(row: ReplicaCosignatureRow, checkpoints: ReadonlyMap<number, StoredCheckpoint>): TeamCosignatureCheck {
  const cosignerName = row.cosigner.split('+')[0] ?? row.cosigner;
  const result: TeamCosignatureCheck = { checkpointSeq: row.checkpointSeq, replicaId: row.replicaId, cosigner: cosignerName, treeSize: row.treeSize, ok: true };
  const fail = (reason: string): TeamCosignatureCheck => ({
    ...result,
    ok: false,
    problem: `replica ${row.replicaId}'s cosignature of checkpoint #${row.checkpointSeq} does not verify: ${reason}`,
  });
  const checkpoint = checkpoints.get(row.checkpointSeq);
  if (!checkpoint?.note || !checkpoint.body) return fail(`event #${row.checkpointSeq} is not a checkpoint`);
  if (row.treeSize !== checkpoint.body.treeSize || row.rootHash !== checkpoint.body.rootHash.toString('base64')) {
    return fail(`it states size ${row.treeSize} and root ${row.rootHash}, the checkpoint size ${checkpoint.body.treeSize} and root ${checkpoint.body.rootHash.toString('base64')}`);
  }
  try {
    const key = parseCosignerKey(row.cosigner);
    if (!cosignatureVerifies(parseCosignatureLine(row.signature), checkpoint.note.text, key)) return fail(`its signature is not by ${key.name} over this checkpoint`);
  } catch (error) {
    if (!(error instanceof NoteFormatError)) throw error;
    return fail(error.message);
  }
  return result;
}

/** Streams every event once: chain findings, and the Merkle root at each wanted size. */
async function checkChain(
  queries: TeamQueries,
  total: number,
  sizes: readonly number[],
  onProgress?: (checked: number, total: number) => void,
): Promise<{ findings: ChainFinding[]; more: number; count: number; headHash: string; roots: Map<number, Buffer>; credentials: Map<string, string | null> }> {
  const collector = new RootsAtSizes(sizes);
  const findings: ChainFinding[] = [];
  let more = 0;
  const found = (finding: ChainFinding): void => {
    if (findings.length < MAX_CHAIN_FINDINGS) findings.push(finding);
    else more++;
  };
  let previous = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  // The `credential` digest of the last event that set each account's password (null: written before digests existed).
  const credentials = new Map<string, string | null>();
  for (;;) {
    const rows = await queries.rowsAfter(previous.seq, CHUNK);
    if (rows.length === 0) break;
    for (const [seq, ticket, type, at, recordedAt, actor, payload, prevHash, hash] of rows) {
      if (seq > previous.seq + 1) {
        found({ problem: 'event_missing', seq: previous.seq + 1, ticket: null, message: `event #${previous.seq + 1}: event missing (${seq - previous.seq - 1} event(s) #${previous.seq + 1}..#${seq - 1} are not on the server)` });
      } else if (prevHash !== previous.hash) {
        found({ problem: 'link_broken', seq, ticket, message: `event #${seq}: link broken (its prev_hash is not the hash of #${previous.seq})` });
      }
      if (eventHash({ seq, ticket, type, at, recordedAt, actor, payload, prevHash }) !== hash) {
        found({ problem: 'content_changed', seq, ticket, message: `event #${seq}: content changed (its hash no longer matches its fields)` });
      }
      if (ticket === null && PASSWORD_EVENT_TYPES.has(type)) {
        const fields = JSON.parse(payload) as { account?: unknown; credential?: unknown };
        if (typeof fields.account === 'string') credentials.set(fields.account, typeof fields.credential === 'string' ? fields.credential : null);
      }
      // The Merkle leaves are the stored hashes, as on the desktop: a content change is named above by its seq.
      if (/^[0-9a-f]{64}$/.test(hash)) collector.appendLeafHash(leafHashOfHex(hash));
      previous = { seq, hash };
      count++;
    }
    onProgress?.(count, total);
  }
  return { findings, more, count, headHash: previous.hash, roots: collector.roots, credentials };
}

/** Password hashes on the server that the ledger does not vouch for: no account, or another hash than its event's digest. */
async function credentialFindings(queries: TeamQueries, bound: ReadonlyMap<string, string | null>): Promise<ChainFinding[]> {
  return (await queries.credentials()).flatMap((row): ChainFinding[] => {
    const digest = bound.get(row.account);
    if (digest === null) {
      return [{ problem: 'credential_unbound', seq: null, ticket: null, message: `the password hash stored for "${row.account}" cannot be checked: its account event predates credential digests (an admin resets the password to bind it)` }];
    }
    if (digest === undefined) {
      return [{ problem: 'credential_unbound', seq: null, ticket: null, message: `a password hash is stored for "${row.account}", which no account event of the ledger created` }];
    }
    if (credentialDigest(row.password) === digest) return [];
    return [{ problem: 'credential_unbound', seq: null, ticket: null, message: `the password hash stored for "${row.account}" is not the one its last account event vouches for (it was changed outside the ledger)` }];
  });
}

async function protectionFindings(queries: TeamQueries): Promise<ChainFinding[]> {
  const triggers = new Map((await queries.eventTriggers()).map((t) => [t.name, t.enabled]));
  return PROTECTING_TRIGGERS.flatMap((name): ChainFinding[] => {
    const enabled = triggers.get(name);
    if (enabled === true) return [];
    const what = enabled === undefined ? 'was dropped' : 'is disabled';
    return [{ problem: 'protection_removed', seq: null, ticket: null, message: `the trigger ${name} on events ${what}: the database no longer refuses changes to the ledger` }];
  });
}

/** Verifies the team ledger at `url` (read-only); throws TeamVerifyError when there is no team ledger of this schema. */
export async function verifyTeamLedger(url: string, options: TeamVerifyOptions = {}): Promise<TeamVerification> {
  const trusted = options.key ? parseKeyOption(options.key) : null;
  return withTeamClient(url, 'attest-verify', async (client, queries) => {
    return await queries.inReadOnlySnapshot(async () => {
      const problem = await pgSchemaProblem(client);
      if (problem) throw new TeamVerifyError(problem);
      const ledgerId = await queries.ledgerId();
      const head = await queries.head();
      const origin = ledgerOrigin(ledgerId);
      const stored = (await queries.checkpointRows()).map((row) => readCheckpoint(row, origin, trusted));
      const sizes = stored.flatMap((c) => (c.body ? [c.body.treeSize] : []));
      const chain = await checkChain(queries, head.seq, sizes, options.onProgress);
      const checkpoints = stored.map((c): TeamCheckpointCheck => {
        const reasons = [...c.reasons];
        if (c.body) {
          const root = chain.roots.get(c.body.treeSize);
          if (!root) reasons.push(`the ledger has only ${chain.count} events`);
          else if (!root.equals(c.body.rootHash)) {
            reasons.push(`the checkpoint's root is ${c.body.rootHash.toString('base64')}, the ledger's first ${c.body.treeSize} events have root ${root.toString('base64')}`);
          }
        }
        const check: TeamCheckpointCheck = { seq: c.seq, origin: c.body?.origin ?? '?', treeSize: c.body?.treeSize ?? 0, source: 'stored', ok: reasons.length === 0, signature: c.signature };
        if (reasons.length > 0) check.problem = `checkpoint #${c.seq} of size ${check.treeSize} (${check.origin}) does not match the ledger: ${reasons.join('; ')}`;
        return check;
      });
      const bySeq = new Map(stored.map((c) => [c.seq, c]));
      const cosignatures = (await queries.replicaCosignatures()).map((row) => checkCosignature(row, bySeq));
      const findings: ChainFinding[] = [
        ...chain.findings,
        ...(chain.more > 0 ? [{ problem: chain.findings.at(-1)!.problem, seq: null, ticket: null, message: `… and ${chain.more} more broken event(s) not listed` }] : []),
        ...(await protectionFindings(queries)),
        ...(await credentialFindings(queries, chain.credentials)),
        ...checkpoints.filter((c) => !c.ok).map((c): ChainFinding => ({ problem: 'checkpoint_mismatch', seq: c.seq, ticket: bySeq.get(c.seq)!.ticket, message: c.problem! })),
        ...cosignatures.filter((c) => !c.ok).map((c): ChainFinding => ({ problem: 'checkpoint_mismatch', seq: c.checkpointSeq, ticket: null, message: c.problem! })),
      ];
      const checkedAt = new Date().toISOString();
      const chainIntact = chain.findings.length === 0;
      const first = findings[0];
      const status: ChainStatus = first
        ? { intact: false, chainIntact, eventCount: chain.count, headHash: chain.headHash, firstBadSeq: first.seq, problem: first.problem, message: first.message, problems: findings, checkedAt }
        : { intact: true, chainIntact, eventCount: chain.count, headHash: chain.headHash, firstBadSeq: null, problem: null, message: `chain intact: ${chain.count} events, head ${chain.headHash}`, problems: [], checkedAt };
      return { team: describeTeam(url), ledgerId, status, checkpoints, cosignatures };
    });
  });
}
