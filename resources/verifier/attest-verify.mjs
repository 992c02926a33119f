#!/usr/bin/env node
// attest-verify.mjs — the independent verifier of an Attest pack or receipt.
//
//   node attest-verify.mjs PACK_DIR      [--key FILE]… [--checkpoint FILE]… [--json]
//   node attest-verify.mjs RECEIPT.json  [--key FILE]… [--checkpoint FILE]… [--json]
//
// A second implementation, on purpose sharing no code with Attest, of the rules its README publishes:
// the hash chain (SHA-256 over RFC 8785 canonical JSON), RFC 9162 Merkle roots and inclusion proofs,
// C2SP signed notes, checkpoints and Ed25519 cosignatures (tlog-cosignature, key type 0x04), and the
// outcome semantics from which every statement figure follows. Plain Node ≥ 18, node:* modules only.
// Money is integer minor units throughout; nothing is trusted because Attest wrote it.
//
// --key FILE: a verifier key line (name+hexid+base64) or an Ed25519 public key PEM. A type-0x01 key pins
// the installation key; a type-0x04 key (or a PEM, matched by a signature line's name) is a trusted cosigner, and
// something in the pack must be cosigned by it. --checkpoint FILE: a checkpoint note the auditor kept (the one they
// cosigned, say); the pack's events must have its root at its size, or the pack shows them another history.
import { createHash, createPublicKey, verify as ed25519Verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// ─── Findings ──────────────────────────────────────────────────────────────────────────────────────────
const problems = [];
const notes = [];
const problem = (kind, message, extra = {}) => problems.push({ kind, message, ...extra });
const note = (message) => notes.push(message);

/** Input that is not what it should be; its message names the file (and line), and is printed as is. */
class BadInput extends Error {}
const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
/** JSON of a named file, or a BadInput naming it. */
function parseJson(bytes, name) {
  try {
    return JSON.parse(Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes);
  } catch (error) {
    throw new BadInput(`${name}: not valid JSON (${error.message})`);
  }
}
/** A list of sequence numbers from an event field (anything else counts as none). */
const seqList = (x) => (Array.isArray(x) ? x.map(Number).filter(Number.isSafeInteger) : []);

// ─── Bytes, hashes, canonical JSON (RFC 8785) ──────────────────────────────────────────────────────────
const sha256 = (data) => createHash('sha256').update(data).digest();
const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

/** RFC 8785 JCS: keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string forms. */
function jcs(value) {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('a number that is not finite has no canonical JSON');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (typeof value === 'object') {
    // Plain < and > on JS strings compare UTF-16 code units, as RFC 8785 §3.2.3 requires.
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(',')}}`;
  }
  throw new Error(`a value of type ${typeof value} has no JSON form`);
}

function strictBase64(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

// ─── Merkle tree (RFC 9162 §2.1) ───────────────────────────────────────────────────────────────────────
const leafHash = (leaf) => sha256(Buffer.concat([Buffer.from([0]), leaf]));
const nodeHash = (left, right) => sha256(Buffer.concat([Buffer.from([1]), left, right]));

/**
 * Roots of the first n leaves for every n asked, in one pass: a stack of complete subtrees (one per set bit
 * of n), folded from the right — the same tree as splitting at the largest power of two below n.
 */
function merkleRoots(leaves, sizes) {
  const wanted = new Set(sizes);
  const roots = new Map();
  const stack = []; // [{height, hash}]
  const rootNow = () => {
    if (stack.length === 0) return sha256(Buffer.alloc(0));
    let acc = stack[stack.length - 1].hash;
    for (let i = stack.length - 2; i >= 0; i--) acc = nodeHash(stack[i].hash, acc);
    return acc;
  };
  if (wanted.has(0)) roots.set(0, rootNow());
  leaves.forEach((leaf, index) => {
    let top = { height: 0, hash: leafHash(leaf) };
    while (stack.length > 0 && stack[stack.length - 1].height === top.height) {
      const left = stack.pop();
      top = { height: top.height + 1, hash: nodeHash(left.hash, top.hash) };
    }
    stack.push(top);
    if (wanted.has(index + 1)) roots.set(index + 1, rootNow());
  });
  return roots;
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof has the wrong shape. */
function rootFromInclusionProof(leafIndex, treeSize, leaf, proof) {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// ─── Keys and signed notes (C2SP signed-note, tlog-checkpoint, tlog-cosignature) ───────────────────────
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const ed25519Ok = (raw, message, signature) =>
  signature.length === 64 && ed25519Verify(null, message, createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' }), signature);
/** Key ID: SHA-256(name ‖ "\n" ‖ signature type ‖ public key)[:4]. */
const keyIdOf = (name, type, raw) => sha256(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), raw])).subarray(0, 4);

/** A verifier key line `name+hexid+base64(type ‖ key)`; its key ID must match. */
function parseVerifierKey(line) {
  const text = String(line).trim();
  const [name, idHex] = text.split('+');
  const material = strictBase64(text.split('+').slice(2).join('+'));
  if (!name || !/^[0-9a-f]{8}$/.test(idHex ?? '') || !material || material.length !== 33) throw new Error(`"${text.slice(0, 60)}" is not an Ed25519 verifier key`);
  const type = material[0];
  const raw = material.subarray(1);
  if (type !== 0x01 && type !== 0x04) throw new Error(`verifier key ${name} has type 0x${type.toString(16)}, not 0x01 or 0x04`);
  if (!keyIdOf(name, type, raw).equals(Buffer.from(idHex, 'hex'))) throw new Error(`verifier key ${name}: key ID ${idHex} does not match its name and key`);
  return { name, type, raw, text };
}

function rawFromPem(pem) {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType})`);
  return key.export({ type: 'spki', format: 'der' }).subarray(-32);
}

/** A signed note: text (ending in \n), blank line, signature lines "— name base64(keyID ‖ sig)". */
function parseNote(note) {
  if (typeof note !== 'string' || !note.endsWith('\n')) throw new Error('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n').map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const bytes = m && strictBase64(m[2]);
    if (!bytes || bytes.length < 5) throw new Error(`"${line.slice(0, 60)}" is not a signature line`);
    return { line, name: m[1], keyId: bytes.subarray(0, 4), body: bytes.subarray(4) };
  });
  return { text, signatures };
}

/** Checkpoint text: origin, decimal size, base64 root (extension lines allowed). */
function parseCheckpointText(text) {
  const [origin, size, root] = text.split('\n');
  const rootHash = strictBase64(root);
  if (!origin || !/^(0|[1-9]\d*)$/.test(size ?? '') || !rootHash || rootHash.length !== 32) throw new Error('not a checkpoint (origin, size, base64 root)');
  return { origin, treeSize: Number(size), root: rootHash, rootB64: root };
}

/** Whether a note carries a valid signature by an Ed25519 (type 0x01) key. */
function signedBy(note, key) {
  const id = keyIdOf(key.name, 0x01, key.raw);
  return note.signatures.some((s) => s.name === key.name && s.keyId.equals(id) && ed25519Ok(key.raw, Buffer.from(note.text, 'utf8'), s.body));
}

/** The message a tlog-cosignature/v1 Ed25519 cosigner signs. */
const cosignedMessage = (timestamp, text) => Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');

/**
 * One signature line checked as an Ed25519 cosignature by a (name, raw key):
 * 'ok' with its timestamp, 'forged' when it names the key but does not verify, or null when it is not by it.
 */
function checkCosignature(sig, text, cosigner) {
  if (sig.name !== cosigner.name) return null;
  if (!sig.keyId.equals(keyIdOf(cosigner.name, 0x04, cosigner.raw)) || sig.body.length !== 72) return { status: 'forged' };
  const timestamp = sig.body.readBigUInt64BE(0);
  return ed25519Ok(cosigner.raw, cosignedMessage(timestamp, text), sig.body.subarray(8)) ? { status: 'ok', timestamp } : { status: 'forged' };
}

// ─── Command line ──────────────────────────────────────────────────────────────────────────────────────
function parseArgs(argv) {
  const args = { target: null, keyFiles: [], checkpointFiles: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--key') args.keyFiles.push(argv[++i]);
    else if (argv[i] === '--checkpoint') args.checkpointFiles.push(argv[++i]);
    else if (!args.target && !argv[i].startsWith('--')) args.target = argv[i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!args.target || args.keyFiles.includes(undefined) || args.checkpointFiles.includes(undefined))
    throw new Error('usage: node attest-verify.mjs PACK_DIR|RECEIPT.json [--key FILE]… [--checkpoint FILE]… [--json]');
  return args;
}

/** Given keys: pins (type 0x01), cosigners (type 0x04) and PEM keys (either role, by the name they sign under). */
function loadKeys(files) {
  const keys = { pins: [], cosigners: [], pems: [] };
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
      if (text.includes('-----BEGIN')) keys.pems.push({ file, raw: rawFromPem(text), used: false });
      else {
        const key = { ...parseVerifierKey(text), file, used: false, named: false };
        (key.type === 0x01 ? keys.pins : keys.cosigners).push(key);
      }
    } catch (error) {
      throw new BadInput(`${file}: ${text === undefined ? 'cannot be read' : 'not a key'} (${error.message})`);
    }
  }
  return keys;
}

/** The given cosigner keys under which a signature line with this name could be (a PEM takes the line's name). */
const cosignersNamed = (keys, name) => [...keys.cosigners.filter((k) => k.name === name), ...keys.pems.map((p) => ({ name, raw: p.raw, pem: p }))];

/** Pins the installation key (a type 0x01 --key, or a PEM of that very key), or notes that it is not pinned. */
function pinInstallation(installation, keys, where) {
  const pemOfIt = keys.pems.some((p) => p.raw.equals(installation.raw));
  for (const p of keys.pems) if (p.raw.equals(installation.raw)) p.used = true;
  if (keys.pins.length === 0 && !pemOfIt) note(`installation key not pinned: ${installation.text} (pass --key with the installation's public key to pin it)`);
  else if (keys.pins.length > 0 && !keys.pins.some((k) => k.raw.equals(installation.raw)))
    problem('key_mismatch', `${where}: the installation key ${installation.text} is not the pinned key ${keys.pins.map((k) => k.text).join(', ')}`);
  else note(`installation key pinned: ${installation.name}`);
}

/** Checks every extra signature line of a checkpoint note against the given cosigner keys. */
function checkCosignatureLines(signed, installation, keys, where) {
  const verified = [];
  for (const sig of signed.signatures) {
    if (sig.name === installation.name && sig.keyId.equals(keyIdOf(installation.name, 0x01, installation.raw))) continue;
    const candidates = cosignersNamed(keys, sig.name).map((k) => [k, checkCosignature(sig, signed.text, k)]);
    const ok = candidates.find(([, r]) => r?.status === 'ok');
    if (ok?.[0].pem) ok[0].pem.used = true;
    if (ok && !ok[0].pem) ok[0].used = true;
    for (const k of keys.cosigners) if (k.name === sig.name) k.named = true;
    if (ok) verified.push({ name: sig.name, raw: ok[0].raw, timestamp: ok[1].timestamp });
    else if (keys.cosigners.some((k) => k.name === sig.name)) problem('forged_cosignature', `${where}: the cosignature by ${sig.name} does not verify with the given key ${sig.name}: forged or altered`);
    else note(`${where}: cosignature by ${sig.name} not checked (no --key for it)`);
  }
  return verified;
}

/** A given cosigner key under which a checkpoint.cosigned event of the ledger verified was used too. */
function markLedgerCosigners(keys, cosignatures) {
  for (const k of keys.cosigners) if (cosignatures.some((c) => c.cosigner === k.text)) k.used = true;
}

/**
 * The auditor who passes their key expects their cosignature: a type-0x04 key under which nothing is cosigned is a
 * problem (one whose name signs a line that does not verify is already reported as forged).
 */
function reportUnusedCosigners(keys, what) {
  for (const k of keys.cosigners) if (!k.used && !k.named) problem('key_unused', `${k.file}: no checkpoint in this ${what} is cosigned by ${k.name}`, { file: k.file });
}

// ─── Events: the hash chain ────────────────────────────────────────────────────────────────────────────
const ENVELOPE = new Set(['seq', 'ticket', 'type', 'at', 'actor', 'recordedAt', 'prevHash', 'hash']);
const ZERO_HASH = '0'.repeat(64);

/** An exported line's hash: SHA-256 of JCS {actor, at, payload, prevHash, recordedAt, seq, ticket, type}. */
function lineHash(line) {
  const payload = {};
  for (const [k, v] of Object.entries(line)) if (!ENVELOPE.has(k)) payload[k] = v;
  return sha256Hex(jcs({ actor: line.actor, at: line.at, payload, prevHash: line.prevHash, recordedAt: line.recordedAt, seq: line.seq, ticket: line.ticket ?? null, type: line.type }));
}

const who = (e) => `#${e.seq}${e.ticket ? ` (${e.ticket})` : ''} ${e.type}`;

/** Why a parsed line is not an exported event (its envelope fields and their types), or null. */
function notAnEvent(x) {
  if (!isObject(x)) return '';
  if (!Number.isSafeInteger(x.seq) || x.seq < 1) return ` (seq ${JSON.stringify(x.seq)} is not a positive integer)`;
  for (const f of ['type', 'at', 'recordedAt', 'hash', 'prevHash']) if (typeof x[f] !== 'string') return ` (${f} ${JSON.stringify(x[f]) ?? 'missing'} is not a string)`;
  if (x.ticket != null && typeof x.ticket !== 'string') return ` (ticket ${JSON.stringify(x.ticket)} is not a string)`;
  if (!isObject(x.actor)) return ' (actor is not an object)';
  return null;
}

/** Parses events.jsonl and names the first break of the chain (content changed, dropped, reordered, inserted). */
function checkChain(text) {
  const events = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line;
    try {
      line = JSON.parse(raw);
    } catch (error) {
      problem('bad_line', `events.jsonl:${i + 1}: not valid JSON (${error.message})`, { file: 'events.jsonl' });
      return;
    }
    const why = notAnEvent(line);
    if (why === null) events.push(line);
    else problem('bad_line', `events.jsonl:${i + 1}: not an event object${why}`, { file: 'events.jsonl' });
  });
  for (const e of events) if (!/^[0-9a-f]{64}$/.test(e.hash ?? '') || lineHash(e) !== e.hash) {
    problem('content_changed', `event ${who(e)}: content changed — its hash ${String(e.hash).slice(0, 12)}… is not the hash of its content ${lineHash(e).slice(0, 12)}…`, { seq: e.seq, ticket: e.ticket ?? null });
    break;
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const expected = i + 1;
    const previous = i === 0 ? ZERO_HASH : events[i - 1].hash;
    if (e.seq === expected + 1 && events[i + 1]?.seq === expected) {
      problem('events_reordered', `events #${expected} and #${expected + 1} are swapped: ${who(e)} stands before ${who(events[i + 1])}`, { seq: expected, ticket: events[i + 1].ticket ?? null });
    } else if (e.seq > expected) {
      problem('event_missing', `event #${expected}${e.seq > expected + 1 ? `–#${e.seq - 1}` : ''} missing: the line after #${expected - 1} is ${who(e)}`, { seq: expected, ticket: null });
    } else if (e.seq < expected) {
      problem('event_inserted', `an event was inserted before ${who(e)}: line ${i + 1} should hold #${expected}`, { seq: e.seq, ticket: e.ticket ?? null });
    } else if (e.prevHash !== previous) {
      // Its link names a different predecessor: the one before it was changed and re-hashed (or replaced).
      const before = events[i - 1];
      if (!before) problem('event_missing', `event ${who(e)}: its prevHash is not 64 zeros, so it does not start the chain`, { seq: e.seq, ticket: e.ticket ?? null });
      else problem('content_changed', `event ${who(before)}: content changed — #${e.seq} records its hash as ${String(e.prevHash).slice(0, 12)}…, it now hashes to ${previous.slice(0, 12)}…`, { seq: before.seq, ticket: before.ticket ?? null });
    } else continue;
    break; // later breaks follow from the first
  }
  return events;
}

// ─── Time in a contract's zone (calendar months, midnights, calendar days) ─────────────────────────────
function wallClock(ms, zone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second'), ms: ((ms % 1000) + 1000) % 1000 };
}
const offsetAt = (ms, zone) => { const w = wallClock(ms, zone); return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms) - ms; };
/** The instant of a wall-clock time in a zone (a time skipped by DST moves forward, as the app's luxon does). */
function instantOf(y, mo, d, h, mi, s, ms, zone) {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const first = guess - offsetAt(guess, zone);
  const second = guess - offsetAt(first, zone);
  return offsetAt(second, zone) === guess - second ? second : Math.max(first, second);
}
const periodOf = (ms, zone) => { const w = wallClock(ms, zone); return `${w.y}-${String(w.mo).padStart(2, '0')}`; };
const effectiveStart = (c) => { const [y, mo, d] = c.effectiveFrom.split('-').map(Number); return instantOf(y, mo, d, 0, 0, 0, 0, c.timezone); };
const periodEnd = (period, zone) => { const [y, mo] = period.split('-').map(Number); return instantOf(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1, 0, 0, 0, 0, zone); };
const clawbackEnd = (ms, contract) => { const w = wallClock(ms, contract.timezone); return instantOf(w.y, w.mo, w.d + contract.clawbackDays, w.h, w.mi, w.s, w.ms, contract.timezone); };
const nextPeriod = (p) => { const [y, m] = p.split('-').map(Number); return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`; };

// ─── Money: integer minor units ────────────────────────────────────────────────────────────────────────
const digitsOf = (currency) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
function toMinor(amount, digits) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(amount));
  if (!m || (m[3] ?? '').length > digits) return null;
  const minor = Number(m[2]) * 10 ** digits + Number((m[3] ?? '').padEnd(digits, '0') || '0');
  return m[1] === '-' ? -minor : minor;
}
function money(minor, digits) {
  const abs = Math.abs(minor);
  const text = digits === 0 ? String(abs) : `${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
  return minor < 0 ? `-${text}` : text;
}

// ─── The ticket lifecycle (README "Definitions") ───────────────────────────────────────────────────────
const SOLVED = new Set(['solved', 'closed']);
const WORK = new Set(['message', 'status', 'assigned', 'escalated', 'worklog']);
const byOccurrence = (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq);
const actorKindOf = (e) => (e.type === 'message' ? e.author : e.type === 'assigned' ? e.to : ['status', 'escalated', 'worklog'].includes(e.type) ? e.by : null)?.kind ?? null;

/** Solves (with whether each is an AI resolution), reopens and human touches of events in occurrence order. */
function lifecycle(events) {
  let status = 'new';
  let touched = false;
  const solves = [];
  const reopens = [];
  const touches = [];
  events.forEach((e, index) => {
    const kind = actorKindOf(e);
    const wasSolved = SOLVED.has(status);
    if (e.type === 'message' && kind === 'customer' && wasSolved) { status = 'open'; reopens.push(index); }
    else if (e.type === 'status') {
      status = String(e.status);
      if (SOLVED.has(status) && !wasSolved) solves.push({ index, byKind: kind ?? 'system', aiResolution: kind === 'ai' && !touched });
      else if (!SOLVED.has(status) && wasSolved) reopens.push(index);
    }
    if (kind === 'human' && WORK.has(e.type)) { touched = true; touches.push(index); }
  });
  return { solves, reopens, touches };
}

// ─── The outcome book and statements (README "Outcome contracts", pack spec "Statement semantics") ─────
/** Contract versions by id, from the contract.version events. */
function contractsOf(events) {
  const contracts = new Map();
  for (const e of events.filter((x) => x.type === 'contract.version')) {
    const version = {};
    for (const [k, v] of Object.entries(e)) if (!ENVELOPE.has(k)) version[k] = v;
    const why = notAContractVersion(version);
    if (why) { problem('bad_event', `event ${who(e)}: not a contract version (${why})`, { seq: e.seq }); continue; }
    const c = contracts.get(e.id) ?? { id: e.id, versions: new Map(), seqs: new Map() };
    c.versions.set(e.version, version);
    c.seqs.set(e.version, e.seq);
    contracts.set(e.id, c);
  }
  for (const c of contracts.values()) {
    const latest = c.versions.get(Math.max(...c.versions.keys()));
    Object.assign(c, { timezone: latest.timezone, currency: latest.currency, digits: digitsOf(latest.currency) });
  }
  return contracts;
}

/** Why a contract.version payload cannot be read as one (the fields billing uses, and their types), or null. */
function notAContractVersion(v) {
  if (typeof v.id !== 'string' || v.id === '') return 'id is not a string';
  if (!Number.isSafeInteger(v.version) || v.version < 1) return `version ${JSON.stringify(v.version)} is not a positive integer`;
  if (typeof v.effectiveFrom !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.effectiveFrom)) return `effectiveFrom ${JSON.stringify(v.effectiveFrom)} is not a date YYYY-MM-DD`;
  try { if (typeof v.timezone !== 'string') throw new Error(); wallClock(0, v.timezone); } catch { return `timezone ${JSON.stringify(v.timezone)} is not an IANA time zone`; }
  try { if (typeof v.currency !== 'string') throw new Error(); digitsOf(v.currency); } catch { return `currency ${JSON.stringify(v.currency)} is not an ISO 4217 code`; }
  if (!['number', 'string'].includes(typeof v.pricePerResolution)) return 'pricePerResolution is not a number';
  if (!Array.isArray(v.categories)) return 'categories is not a list';
  if (!Number.isFinite(v.clawbackDays)) return 'clawbackDays is not a number';
  if (!isObject(v.criteria) || !Number.isFinite(v.criteria.verificationWindowHours)) return 'criteria.verificationWindowHours is not a number';
  return null;
}

/** Verified cosignatures of checkpoints recorded in the ledger: [{seq, treeSize, cosigner}]. */
function ledgerCosignatures(events) {
  const checkpoints = new Map(events.filter((e) => e.type === 'checkpoint').map((e) => [e.seq, e]));
  const out = [];
  for (const e of events.filter((x) => x.type === 'checkpoint.cosigned')) {
    const where = `event ${who(e)}`;
    try {
      const cp = checkpoints.get(e.checkpointSeq);
      if (!cp || cp.treeSize !== e.treeSize || cp.rootHash !== e.rootHash) throw new Error(`names checkpoint #${e.checkpointSeq} of size ${e.treeSize}, which the ledger does not hold`);
      const key = parseVerifierKey(e.cosigner);
      const sig = parseNote(`x\n\n${e.signature}\n`).signatures[0];
      const result = checkCosignature(sig, parseNote(cp.note).text, key);
      if (key.type !== 0x04 || result?.status !== 'ok') throw new Error(`its signature line does not verify with the cosigner key ${key.name}`);
      if (BigInt(e.timestamp) !== result.timestamp) throw new Error(`records time ${e.timestamp}, the signature says ${result.timestamp}`);
      out.push({ seq: e.seq, treeSize: e.treeSize, cosigner: key.text });
    } catch (error) {
      problem('forged_cosignature', `${where}: ${error.message}`, { seq: e.seq });
    }
  }
  return out;
}

/** Each ticket's first verification of the contract, with reversal, disputes, discrepancies, from outcome events. */
function bookOf(events, contract) {
  const own = events.filter((e) => e.type?.startsWith('outcome.') && e.contract === contract.id);
  const book = new Map();
  const bySeq = new Map();
  for (const e of own.filter((x) => x.type === 'outcome.verified')) {
    if (book.has(e.ticket)) continue; // a ticket is billed at most once per contract
    const version = contract.versions.get(Number(e.version));
    const price = version ? toMinor(String(version.pricePerResolution), contract.digits) : 0;
    const r = { seq: e.seq, ticket: e.ticket, at: e.at, version: Number(e.version), versionTerms: version, price, period: String(e.period), category: String(e.category),
      evidence: seqList(e.evidence), reversal: null, disputes: [], discrepancy: !version || toMinor(String(e.price), contract.digits) !== price };
    book.set(e.ticket, r);
    bySeq.set(e.seq, r);
  }
  const target = (e) => bySeq.get(Number(e.verifiedSeq));
  for (const e of own) {
    const r = target(e);
    if (!r) continue;
    if (e.type === 'outcome.reversed' && !r.reversal) r.reversal = { seq: e.seq, period: String(e.period), reason: 'reopened', evidence: seqList(e.evidence) };
    if (e.type === 'outcome.discrepancy') r.discrepancy = true;
    if (e.type === 'outcome.disputed') r.disputes.push({ seq: e.seq, state: 'open', decisionSeq: null });
    if (e.type === 'outcome.dispute_upheld' || e.type === 'outcome.dispute_rejected') {
      const d = r.disputes.find((x) => x.seq === Number(e.disputeSeq));
      if (!d || d.state !== 'open') continue; // a dispute is decided once
      d.state = e.type === 'outcome.dispute_upheld' ? 'upheld' : 'rejected';
      d.decisionSeq = e.seq;
      if (d.state === 'upheld' && !r.reversal) r.reversal = { seq: e.seq, period: String(e.period), reason: 'dispute_upheld', evidence: [d.seq, e.seq] };
    }
  }
  return book;
}

/** The ledger as of event #limit, for one contract: its outcome events, its verified cosignatures, its issues. */
function cutOf(ctx, contract, limit) {
  return {
    contract,
    events: ctx.events.filter((e) => e.seq <= limit && e.type?.startsWith('outcome.') && e.contract === contract.id),
    cosignatures: ctx.cosignatures.filter((c) => c.seq <= limit),
    issued: (ctx.issues.get(contract.id) ?? []).filter((e) => e.seq <= limit), // the issues that keep the rules
  };
}
const shortened = (cut, seq) => ({ ...cut, events: cut.events.filter((e) => e.seq <= seq), cosignatures: cut.cosignatures.filter((c) => c.seq <= seq), issued: cut.issued.filter((i) => i.seq <= seq) });

/**
 * The book a statement uses: a reversal recorded after its outcome's billing period was closed (by the first issue
 * of that period or a later one) is credited in that original, frozen period — so it surfaces as an adjustment.
 */
function statementBook(cut) {
  const book = bookOf(cut.events, cut.contract);
  for (const r of book.values()) {
    const closing = cut.issued.find((i) => i.period >= r.period);
    if (r.reversal && closing && r.reversal.seq > closing.seq && r.reversal.period !== r.period) r.reversal = { ...r.reversal, period: r.period };
  }
  return book;
}

/** The seq of the first buyer cosignature covering a verification; 'not_required' unless its version asks for one. */
function coveringCosignature(r, cut) {
  if (!r.versionTerms?.requireCosignedCheckpoint) return 'not_required';
  const buyers = new Set((r.versionTerms.buyerKeys ?? []).map((k) => k.trim()));
  return cut.cosignatures.find((c) => buyers.has(c.cosigner) && c.treeSize >= r.seq)?.seq ?? null;
}

/** The line of every outcome billed or credited in `period`, keyed by its verification's seq (integer minor units). */
function periodLines(book, period, cut) {
  const lines = new Map();
  for (const r of book.values()) {
    const billedHere = r.period === period;
    const creditedHere = r.reversal?.period === period;
    if (!billedHere && !creditedHere) continue;
    const awaiting = coveringCosignature(r, cut) === null;
    const openDispute = r.disputes.find((d) => d.state === 'open') ?? null;
    const held = billedHere && !r.reversal && openDispute !== null;
    const charge = billedHere && !held && !awaiting ? r.price : 0;
    const credit = creditedHere && !awaiting ? r.price : 0; // an outcome never charged is never credited
    const status = held ? 'held' : awaiting ? 'awaiting_cosignature' : billedHere && creditedHere ? 'billed_and_reversed' : billedHere ? 'billed' : 'reversed';
    lines.set(r.seq, { r, status, charge, credit, held, awaiting: awaiting && !held, creditedHere, openDispute });
  }
  return lines;
}

const periodsOfBook = (book) => new Set([...book.values()].flatMap((r) => (r.reversal ? [r.period, r.reversal.period] : [r.period])));

/** Adjustments in the first period not yet issued: each outcome's line in an issued period now, against the last issue. */
function adjustmentsOf(now, lastIssue) {
  const then = shortened(now, lastIssue.seq);
  const bookNow = statementBook(now);
  const bookThen = statementBook(then);
  const periods = [...new Set([...periodsOfBook(bookNow), ...periodsOfBook(bookThen)])].filter((p) => p <= lastIssue.period).sort();
  const out = [];
  for (const period of periods) {
    const linesNow = periodLines(bookNow, period, now);
    const linesThen = periodLines(bookThen, period, then);
    for (const seq of [...new Set([...linesNow.keys(), ...linesThen.keys()])].sort((a, b) => a - b)) {
      const after = linesNow.get(seq);
      const before = linesThen.get(seq);
      const charge = (after?.charge ?? 0) - (before?.charge ?? 0);
      const credit = (after?.credit ?? 0) - (before?.credit ?? 0);
      if (charge === 0 && credit === 0 && (after?.status ?? 'absent') === (before?.status ?? 'absent')) continue;
      const r = (after ?? before).r;
      const events = now.events.filter((e) => e.ticket === r.ticket && e.seq > lastIssue.seq).map((e) => e.seq);
      const cosigned = coveringCosignature(r, now);
      if (typeof cosigned === 'number' && cosigned > lastIssue.seq) events.push(cosigned);
      out.push({ ticket: r.ticket, category: r.category, period, verifiedSeq: r.seq, was: before?.status ?? 'absent', now: after?.status ?? 'absent', charge, credit, events: events.sort((a, b) => a - b) });
    }
  }
  return out;
}

/**
 * A period's statement as of a cut. A period at or before the last issued one that was never issued itself is
 * closed: it shows what it held when the first later statement was issued. The first period after the last issued
 * one carries the adjustments.
 */
function computeStatement(ctx, contract, period, limit) {
  const cut = cutOf(ctx, contract, limit);
  const lastIssue = cut.issued.at(-1);
  const closing = lastIssue && period <= lastIssue.period ? cut.issued.find((i) => i.period > period) : undefined;
  const view = closing ? shortened(cut, closing.seq) : cut;
  const lines = [...periodLines(statementBook(view), period, view).values()].map((l) => ({
    ticket: l.r.ticket, category: l.r.category, version: l.r.version, status: l.status, verifiedSeq: l.r.seq, verifiedAt: l.r.at, charge: l.charge, credit: l.credit,
    held: l.held ? l.r.price : 0, awaiting: l.awaiting && l.r.period === period ? l.r.price : 0, reversedSeq: l.creditedHere ? l.r.reversal.seq : null,
    reversalReason: l.creditedHere ? l.r.reversal.reason : null, disputeSeq: l.held ? l.openDispute.seq : null,
    discrepancy: l.r.discrepancy, evidence: [...new Set([...l.r.evidence, l.r.seq, ...(l.r.reversal ? [...l.r.reversal.evidence, l.r.reversal.seq] : [])])].sort((a, b) => a - b),
  }));
  const adjustments = lastIssue && period === nextPeriod(lastIssue.period) ? adjustmentsOf(cut, lastIssue) : [];
  const sum = (list, f) => list.reduce((n, x) => n + f(x), 0);
  const totals = {
    verified: lines.filter((l) => l.charge > 0).length, reversed: lines.filter((l) => l.credit > 0).length, disputed: lines.filter((l) => l.held > 0).length,
    awaiting: lines.filter((l) => l.awaiting > 0).length, discrepancies: lines.filter((l) => l.discrepancy).length,
    subtotal: sum(lines, (l) => l.charge), credits: sum(lines, (l) => l.credit), heldBack: sum(lines, (l) => l.held), awaitingAmount: sum(lines, (l) => l.awaiting),
    adjustmentsTotal: sum(adjustments, (a) => a.charge - a.credit),
  };
  totals.total = totals.subtotal - totals.credits + totals.adjustmentsTotal;
  const byCategory = {};
  const categoryOf = (name) => (byCategory[name] ??= { verified: 0, reversed: 0, disputed: 0, awaiting: 0, subtotal: 0, credits: 0, adjustments: 0 });
  for (const l of lines) {
    const c = categoryOf(l.category);
    c.verified += l.charge > 0 ? 1 : 0;
    c.reversed += l.credit > 0 ? 1 : 0;
    c.disputed += l.held > 0 ? 1 : 0;
    c.awaiting += l.awaiting > 0 ? 1 : 0;
    c.subtotal += l.charge;
    c.credits += l.credit;
  }
  for (const a of adjustments) categoryOf(a.category).adjustments += a.charge - a.credit;
  const versions = [...contract.versions.values()].filter((v) => effectiveStart(v) < periodEnd(period, contract.timezone)).map((v) => v.version).sort((a, b) => a - b);
  return { lines, adjustments, totals, byCategory, versions };
}

/** Periods with a statement as of a cut: billed or credited in, issued, and the frontier when it has adjustments. */
function statementPeriodsOf(ctx, contract, limit) {
  const cut = cutOf(ctx, contract, limit);
  const periods = periodsOfBook(statementBook(cut));
  for (const i of cut.issued) periods.add(i.period);
  const last = cut.issued.at(-1);
  if (last && computeStatement(ctx, contract, nextPeriod(last.period), limit).adjustments.length > 0) periods.add(nextPeriod(last.period));
  return [...periods].sort();
}

/** The statement document the events give (without `signatures`), in the published field names and forms. */
function expectedDocument(calc, contract, period) {
  const m = (minor) => money(minor, contract.digits);
  const t = calc.totals;
  const byCategory = {};
  for (const [name, c] of Object.entries(calc.byCategory)) {
    byCategory[name] = { verified: c.verified, reversed: c.reversed, disputed: c.disputed, subtotal: m(c.subtotal), credits: m(c.credits),
      total: m(c.subtotal - c.credits + c.adjustments), awaiting: c.awaiting, adjustments: m(c.adjustments) };
  }
  return {
    period, contract: { id: contract.id, versions: calc.versions, timezone: contract.timezone }, currency: contract.currency,
    verified: t.verified, reversed: t.reversed, disputed: t.disputed, discrepancies: t.discrepancies,
    subtotal: m(t.subtotal), credits: m(t.credits), heldBack: m(t.heldBack), awaiting: t.awaiting, awaitingAmount: m(t.awaitingAmount),
    adjustments: calc.adjustments.map((a) => ({ ticket: a.ticket, category: a.category, period: a.period, verifiedSeq: a.verifiedSeq, was: a.was, now: a.now,
      charge: m(a.charge), credit: m(a.credit), net: m(a.charge - a.credit), events: a.events })),
    adjustmentsTotal: m(t.adjustmentsTotal), total: m(t.total),
    lines: calc.lines.map((l) => ({ ticket: l.ticket, category: l.category, version: l.version, status: l.status, verifiedSeq: l.verifiedSeq, verifiedAt: l.verifiedAt,
      charge: m(l.charge), credit: m(l.credit), net: m(l.charge - l.credit), reversedSeq: l.reversedSeq, reversalReason: l.reversalReason, disputeSeq: l.disputeSeq,
      discrepancy: l.discrepancy, evidence: l.evidence })),
    byCategory,
  };
}

const HEADER_FIELDS = ['period', 'currency', 'verified', 'reversed', 'disputed', 'discrepancies', 'subtotal', 'credits', 'heldBack', 'awaiting', 'awaitingAmount', 'adjustmentsTotal', 'total'];
const LINE_FIELDS = ['ticket', 'category', 'version', 'status', 'verifiedSeq', 'verifiedAt', 'charge', 'credit', 'net', 'reversedSeq', 'reversalReason', 'disputeSeq', 'discrepancy', 'evidence'];
const CATEGORY_FIELDS = ['verified', 'reversed', 'disputed', 'awaiting', 'subtotal', 'credits', 'adjustments', 'total'];
/** A value as a message shows it: strings bare, anything else as JSON. */
const shown = (v) => (v === undefined ? 'nothing' : typeof v === 'string' ? v : JSON.stringify(v));
const same = (a, b) => a !== undefined && b !== undefined && jcs(a) === jcs(b);

/** Why a parsed statement file cannot be compared field by field (its lists and maps), or null. */
function notAStatement(doc) {
  if (!isObject(doc)) return 'not a JSON object';
  if (!isObject(doc.contract)) return 'contract is not an object';
  for (const f of ['lines', 'adjustments']) if (!Array.isArray(doc[f]) || !doc[f].every(isObject)) return `${f} is not a list of objects`;
  if (!isObject(doc.byCategory) || !Object.values(doc.byCategory).every(isObject)) return 'byCategory is not an object of objects';
  return null;
}

/** Compares a statement document with the recomputation, every field: one problem per differing figure. */
function compareStatement(doc, calc, contract, period, where) {
  const differ = (what, stated, computed, extra = {}) =>
    problem('statement_mismatch', `${where}: ${what}: the statement says ${shown(stated)}, the events give ${shown(computed)}`, { period, contract: contract.id, ...extra });
  const why = notAStatement(doc);
  if (why) { problem('bad_statement', `${where}: not a statement (${why})`, { period, contract: contract.id }); return; }
  const want = expectedDocument(calc, contract, period);
  for (const f of HEADER_FIELDS) if (!same(doc[f], want[f])) differ(f, doc[f], want[f]);
  for (const f of ['id', 'versions', 'timezone']) if (!same(doc.contract[f], want.contract[f])) differ(`contract.${f}`, doc.contract[f], want.contract[f]);

  const stated = new Map(doc.lines.map((l) => [l.verifiedSeq, l]));
  for (const l of want.lines) {
    const s = stated.get(l.verifiedSeq);
    if (!s) { differ(`ticket ${l.ticket}`, 'no line', `${l.status} charge ${l.charge} credit ${l.credit}`, { ticket: l.ticket }); continue; }
    stated.delete(l.verifiedSeq);
    for (const f of LINE_FIELDS) if (!same(s[f], l[f])) differ(`ticket ${l.ticket} ${f}`, s[f], l[f], { ticket: l.ticket });
  }
  for (const s of stated.values()) differ(`ticket ${s.ticket}`, `${s.status} charge ${s.charge}`, 'no line', { ticket: s.ticket });

  for (const [name, c] of Object.entries(want.byCategory)) {
    const s = doc.byCategory[name] ?? {};
    for (const f of CATEGORY_FIELDS) if (!same(s[f], c[f])) differ(`byCategory.${name}.${f}`, s[f], c[f]);
  }
  for (const name of Object.keys(doc.byCategory)) if (!want.byCategory[name]) differ(`byCategory.${name}`, 'present', 'absent');

  const statedAdj = new Map(doc.adjustments.map((a) => [`${a.period} #${a.verifiedSeq}`, a]));
  const text = (x) => `${x.was}→${x.now} charge ${x.charge} credit ${x.credit} net ${x.net} events ${jcs(x.events ?? null)}`;
  for (const a of want.adjustments) {
    const key = `${a.period} #${a.verifiedSeq}`;
    const s = statedAdj.get(key);
    statedAdj.delete(key);
    const what = `adjustment ${a.ticket} (period ${a.period})`;
    if (!s) { differ(what, 'no line', text(a), { ticket: a.ticket }); continue; }
    if (text(s) !== text(a)) differ(what, text(s), text(a), { ticket: a.ticket });
    for (const f of ['ticket', 'category']) if (!same(s[f], a[f])) differ(`${what} ${f}`, s[f], a[f], { ticket: a.ticket });
  }
  for (const s of statedAdj.values()) differ(`adjustment ${s.ticket} (period ${s.period})`, text(s), 'no adjustment', { ticket: s.ticket });
}

// ─── Statement CSV (RFC 4180, CRLF; README "Statements") ───────────────────────────────────────────────
const CSV_COLUMNS = ['ticket', 'category', 'version', 'status', 'verified_seq', 'verified_at', 'charge', 'credit', 'net', 'reversed_seq', 'reversal_reason', 'dispute_seq', 'discrepancy', 'evidence'];

/** RFC 4180 records (CRLF between and after them; quoted fields with "" for a quote). Throws on anything else. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let record = 1;
  const endField = () => { row.push(field); field = ''; };
  while (i < text.length) {
    if (field === '' && text[i] === '"') {
      const close = (() => { let j = i + 1; for (;;) { j = text.indexOf('"', j); if (j < 0) return -1; if (text[j + 1] !== '"') return j; j += 2; } })();
      if (close < 0) throw new Error(`record ${record}: a quoted field is not closed`);
      field = text.slice(i + 1, close).replaceAll('""', '"');
      i = close + 1;
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`record ${record}: text after a closing quote`);
      if (i >= text.length) throw new Error(`record ${record}: does not end with CRLF`);
      continue;
    }
    const c = text[i];
    if (c === ',') { endField(); i++; } else if (c === '\r' && text[i + 1] === '\n') { endField(); rows.push(row); row = []; record++; i += 2; } else if (c === '\r' || c === '\n') {
      throw new Error(`record ${record}: a line break that is not CRLF`);
    } else if (c === '"') throw new Error(`record ${record}: a quote inside an unquoted field`);
    else { field += c; i++; }
  }
  if (field !== '' || row.length > 0) throw new Error(`record ${record}: does not end with CRLF`);
  return rows;
}

/**
 * The CSV rows a statement JSON gives: its column names, one row per line, the TOTAL row. Text a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a CR, and not a plain decimal number) is written with a leading
 * apostrophe (OWASP CSV injection guidance), so the CSV cell is the JSON value with that apostrophe.
 */
function csvRowsOf(doc) {
  const formula = (s) => /^[=+\-@\t\r]/.test(s) && !/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s);
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return formula(s) ? `'${s}` : s;
  };
  return [
    CSV_COLUMNS,
    ...doc.lines.map((l) => [l.ticket, l.category, l.version, l.status, l.verifiedSeq, l.verifiedAt, l.charge, l.credit, l.net, l.reversedSeq, l.reversalReason, l.disputeSeq, l.discrepancy,
      Array.isArray(l.evidence) ? l.evidence.join(' ') : l.evidence].map(cell)),
    ['TOTAL', '', '', `${doc.currency} ${doc.period}`, '', '', doc.subtotal, doc.credits, doc.total, '', '', '', '', ''].map(cell),
  ];
}

/** Checks that a statement's CSV says exactly what its JSON says: every cell of every row, and the TOTAL row. */
function compareCsv(bytes, doc, path, period, contract) {
  const mismatch = (message, extra = {}) => problem('csv_mismatch', `${path}${message}`, { file: path, period, contract, ...extra });
  let rows;
  try {
    rows = parseCsv(bytes.toString('utf8'));
  } catch (error) {
    mismatch(`: not an RFC 4180 CSV (${error.message})`);
    return;
  }
  const want = csvRowsOf(doc);
  const count = Math.max(rows.length, want.length);
  for (let i = 0; i < count; i++) {
    const [got, exp] = [rows[i], want[i]];
    const label = i === 0 ? 'header' : i === want.length - 1 ? 'TOTAL row' : exp ? `ticket ${exp[0]}` : `row ${i + 1}`;
    if (!got) { mismatch(`:${i + 1}: ${label}: missing — the JSON has ${exp.join(',')}`); continue; }
    if (!exp) { mismatch(`:${i + 1}: ${got.join(',')}: a row the JSON does not have`); continue; }
    if (got.length !== exp.length) { mismatch(`:${i + 1}: ${label}: ${got.length} columns, not ${exp.length}`); continue; }
    exp.forEach((v, c) => {
      const cell = (x) => (x === '' ? '(empty)' : x);
      if (got[c] !== v) mismatch(`:${i + 1}: ${label} ${i === 0 ? `column ${c + 1}` : CSV_COLUMNS[c]}: the CSV says ${cell(got[c])}, the JSON says ${cell(v)}`, i > 0 && i < want.length - 1 ? { ticket: exp[0] } : {});
    });
  }
}

// ─── Re-judging verifications and reversals from each ticket's own events ──────────────────────────────
function rejudge(ctx, contract) {
  const byTicket = new Map();
  const bySeq = new Map();
  for (const e of ctx.events) {
    bySeq.set(e.seq, e);
    if (e.ticket) (byTicket.get(e.ticket) ?? byTicket.set(e.ticket, []).get(e.ticket)).push(e);
  }
  const eventAt = (seq) => bySeq.get(seq);
  const book = bookOf(ctx.events, contract);
  let checked = 0;
  for (const r of book.values()) {
    const v = eventAt(r.seq);
    const fail = (why) => problem('verification_unfounded', `ticket ${r.ticket}: outcome.verified #${r.seq} (period ${r.period}) does not follow from the ticket's events: ${why}`, { seq: r.seq, ticket: r.ticket, period: r.period });
    // The ticket as the verification saw it: events recorded before it that happened by its time.
    const evs = (byTicket.get(r.ticket) ?? []).filter((e) => e.seq < r.seq && e.at <= r.at).sort(byOccurrence);
    const created = evs.find((e) => e.type === 'created');
    if (!created) { fail('no created event'); continue; }
    const createdMs = Date.parse(created.at);
    const governing = [...contract.versions.values()].filter((c) => effectiveStart(c) <= createdMs).sort((a, b) => b.version - a.version)[0];
    if (!governing) { fail(`created ${created.at}, before the contract took effect`); continue; }
    if (governing.version !== r.version) { fail(`created under version ${governing.version}, the verification names ${r.version}`); continue; }
    if (governing.categories.length > 0 && !governing.categories.includes(created.category)) { fail(`category ${created.category} is not in the contract`); continue; }
    if (created.category !== r.category) { fail(`category ${r.category} recorded, the ticket's is ${created.category}`); continue; }
    const lc = lifecycle(evs);
    const solve = lc.solves[0];
    if (!solve) { fail('the ticket was not solved'); continue; }
    const solveEvent = evs[solve.index];
    if (solveEvent.seq !== Number(v.solveSeq)) { fail(`its first solve is #${solveEvent.seq}, not #${v.solveSeq}`); continue; }
    if (!solve.aiResolution) { fail(solve.byKind === 'ai' ? 'a human touched the ticket before the AI solve' : `solved by ${solve.byKind}, not the AI`); continue; }
    const before = evs.slice(0, solve.index);
    const c = governing.criteria;
    if (c.noHumanPublicReply && before.some((e) => e.type === 'message' && e.public === true && e.author?.kind === 'human')) { fail('a human replied publicly before the solve'); continue; }
    if (c.noEscalation && before.some((e) => e.type === 'escalated')) { fail('escalated before the solve'); continue; }
    const windowEnd = Date.parse(solveEvent.at) + c.verificationWindowHours * 3_600_000;
    if (Date.parse(r.at) !== windowEnd) { fail(`verified at ${r.at}, the window ends ${new Date(windowEnd).toISOString()}`); continue; }
    if (r.period !== periodOf(windowEnd, contract.timezone)) { fail(`period ${r.period}, the window ends in ${periodOf(windowEnd, contract.timezone)}`); continue; }
    const reopen = lc.reopens.map((i) => evs[i]).find((e) => Date.parse(e.at) < windowEnd);
    if (reopen) { fail(`reopened at ${reopen.at} (#${reopen.seq}), inside the window`); continue; }
    const lowCsat = evs.slice(solve.index + 1).find((e) => e.type === 'csat' && c.minCsat != null && Number(e.score) < c.minCsat && Date.parse(e.at) < windowEnd);
    if (lowCsat) { fail(`CSAT ${lowCsat.score} at ${lowCsat.at} (#${lowCsat.seq}), inside the window`); continue; }
    checked++;
    // A reopen at or after the verification and within the clawback must be reversed (README "Semantics",
    // Clawback): with none recorded — verification not run since the reopen was imported, or its event withheld —
    // the statement still bills an outcome the contract takes back.
    if (!r.reversal) {
      const all = [...(byTicket.get(r.ticket) ?? [])].sort(byOccurrence);
      const verifiedMs = Date.parse(r.at);
      const due = lifecycle(all).reopens.map((i) => all[i]).find((e) => Date.parse(e.at) >= verifiedMs && Date.parse(e.at) <= clawbackEnd(verifiedMs, governing));
      if (due) {
        problem('reversal_missing', `ticket ${r.ticket}: reopened at ${due.at} (#${due.seq} ${due.type}), within the clawback of ${governing.clawbackDays} days after outcome.verified #${r.seq} ` +
          `(${r.at}), but no outcome.reversed records it: the statement of ${r.period} (statements/${contract.id}/${r.period}.json) still bills it`,
        { seq: due.seq, ticket: r.ticket, period: r.period, contract: contract.id, verifiedSeq: r.seq });
      }
    }
    // A reversal for a reopen: a reopen after the solve, at or after the verification, within the clawback.
    if (r.reversal?.reason === 'reopened') {
      const all = (byTicket.get(r.ticket) ?? []).filter((e) => e.seq < r.reversal.seq).sort(byOccurrence);
      const reopenSeq = r.reversal.evidence[0];
      const reopenIdx = lifecycle(all).reopens.find((i) => all[i].seq === reopenSeq);
      const rev = eventAt(r.reversal.seq);
      const ms = reopenIdx === undefined ? NaN : Date.parse(all[reopenIdx].at);
      if (reopenIdx === undefined || ms < Date.parse(r.at) || ms > clawbackEnd(Date.parse(r.at), governing) || rev.at !== all[reopenIdx].at || rev.period !== periodOf(ms, contract.timezone))
        problem('reversal_unfounded', `ticket ${r.ticket}: outcome.reversed #${r.reversal.seq} does not follow from a reopen (#${reopenSeq}) within the clawback of ${governing.clawbackDays} days`, { seq: r.reversal.seq, ticket: r.ticket });
    }
    if (r.reversal?.reason === 'dispute_upheld') {
      const up = eventAt(r.reversal.seq);
      if (up.period !== periodOf(Date.parse(up.at), contract.timezone)) problem('reversal_unfounded', `ticket ${r.ticket}: outcome.dispute_upheld #${up.seq} names period ${up.period}, it was decided in ${periodOf(Date.parse(up.at), contract.timezone)}`, { seq: up.seq, ticket: r.ticket });
    }
  }
  const sla = [...new Set([...contract.versions.values()].flatMap((v) => v.criteria.requireSla ?? []))];
  if (sla.length > 0) note(`${contract.id}: SLA clauses (${sla.join(', ')}) taken from the ledger, not re-evaluated`);
  note(`${contract.id}: ${checked} of ${book.size} verified outcomes re-judged from their tickets' events`);
}

// ─── The pack ──────────────────────────────────────────────────────────────────────────────────────────
function filesUnder(dir) {
  const out = [];
  const walk = (d) => { for (const name of readdirSync(d)) { const p = join(d, name); if (statSync(p).isDirectory()) walk(p); else out.push(relative(dir, p).split(sep).join('/')); } };
  walk(dir);
  return out.sort();
}

/** Why a parsed manifest.json cannot be read as a pack manifest, or null. */
function notAManifest(m) {
  if (!isObject(m)) return 'not a JSON object';
  if (!Number.isSafeInteger(m.treeSize) || m.treeSize < 0) return `treeSize ${JSON.stringify(m.treeSize)} is not a size`;
  for (const f of ['origin', 'rootHash']) if (typeof m[f] !== 'string') return `${f} is not a string`;
  if (!Array.isArray(m.files)) return 'files is not a list';
  const bad = m.files.findIndex((f) => !isObject(f) || typeof f.path !== 'string' || typeof f.sha256 !== 'string' || !Number.isSafeInteger(f.bytes));
  return bad < 0 ? null : `files[${bad}] is not {path, sha256, bytes}`;
}

function verifyPack(dir, keys, keptFiles) {
  const read = (p) => {
    if (!existsSync(join(dir, p))) throw new BadInput(`${p}: missing from the pack`);
    return readFileSync(join(dir, p));
  };
  const manifestBytes = read('manifest.json');
  const manifest = parseJson(manifestBytes, 'manifest.json');
  const notManifest = notAManifest(manifest);
  if (notManifest) throw new BadInput(`manifest.json: not a pack manifest (${notManifest})`);
  if (manifest.format !== 'attest-pack/v1') problem('manifest', `manifest.json: format "${manifest.format}" is not attest-pack/v1`);

  // The installation key and its pinning.
  const installation = parseVerifierKey(read('installation.pub').toString('utf8'));
  if (installation.type !== 0x01) throw new Error('installation.pub is not a type 0x01 (Ed25519 signer) key');
  if (manifest.installationKey?.trim() !== installation.text) problem('key_mismatch', `manifest.json: installationKey ${manifest.installationKey} is not installation.pub ${installation.text}`);
  pinInstallation(installation, keys, 'installation.pub');

  // Every file listed, with its SHA-256 and size; nothing unlisted.
  const listed = new Map((manifest.files ?? []).map((f) => [f.path, f]));
  for (const path of filesUnder(dir)) {
    if (path === 'manifest.json' || path === 'manifest.sig') continue;
    const entry = listed.get(path);
    listed.delete(path);
    if (!entry) { problem('file_unlisted', `${path}: not listed in manifest.json`, { file: path }); continue; }
    const bytes = read(path);
    if (bytes.length !== entry.bytes) problem('file_changed', `${path}: ${bytes.length} bytes, manifest.json says ${entry.bytes}`, { file: path });
    if (sha256Hex(bytes) !== entry.sha256) problem('file_changed', `${path}: SHA-256 ${sha256Hex(bytes)}, manifest.json says ${entry.sha256}`, { file: path });
  }
  for (const path of listed.keys()) problem('file_missing', `${path}: listed in manifest.json but missing`, { file: path });

  // manifest.sig: a note by the installation key over the pack's head and the manifest's hash.
  const sig = parseNote(read('manifest.sig').toString('utf8'));
  const expectedText = `attest-pack/v1\n${manifest.origin}\n${manifest.treeSize}\n${manifest.rootHash}\nmanifest sha256 ${sha256Hex(manifestBytes)}\n`;
  if (sig.text !== expectedText) problem('manifest_signature', `manifest.sig: signs "${sig.text.trim().split('\n').join(' | ')}", not this manifest.json (${sha256Hex(manifestBytes)})`, { file: 'manifest.sig' });
  else if (!signedBy(sig, installation)) problem('manifest_signature', `manifest.sig: no valid signature by the installation key ${installation.name}`, { file: 'manifest.sig' });

  // The hash chain, then the Merkle root at every checkpoint.
  const events = checkChain(read('events.jsonl').toString('utf8'));
  if (events.length !== manifest.treeSize) problem('manifest', `manifest.json: treeSize ${manifest.treeSize}, events.jsonl holds ${events.length} events`);
  const leaves = events.map((e) => Buffer.from(/^[0-9a-f]{64}$/.test(e.hash ?? '') ? e.hash : ZERO_HASH, 'hex'));
  const checkpointFiles = existsSync(join(dir, 'checkpoints')) ? readdirSync(join(dir, 'checkpoints')).filter((n) => n.endsWith('.checkpoint')) : [];
  const checkpointEvents = events.filter((e) => e.type === 'checkpoint');
  const keptCheckpoints = readKeptCheckpoints(keptFiles);
  const sizes = [manifest.treeSize, ...checkpointEvents.map((e) => e.treeSize), ...checkpointFiles.map((n) => Number(n.split('.')[0])), ...keptCheckpoints.map((k) => k.cp.treeSize)].filter((n) => Number.isSafeInteger(n) && n <= events.length);
  const roots = merkleRoots(leaves, sizes);
  const rootAt = (n) => roots.get(n)?.toString('base64') ?? null;
  if (rootAt(manifest.treeSize) !== manifest.rootHash) problem('root_mismatch', `manifest.json: rootHash ${manifest.rootHash}, the events' root is ${rootAt(manifest.treeSize)}`);

  // Checkpoint files: installation signature, root at their size, cosignature lines.
  const ledgerKeys = new Map(checkpointEvents.map((e) => [e.treeSize, e.key]));
  const fileTexts = new Map();
  let newest = -1;
  for (const name of checkpointFiles.sort((a, b) => parseInt(a) - parseInt(b))) {
    const where = `checkpoints/${name}`;
    try {
      const n = parseNote(read(`checkpoints/${name}`).toString('utf8'));
      const cp = parseCheckpointText(n.text);
      fileTexts.set(cp.treeSize, n.text);
      newest = Math.max(newest, cp.treeSize);
      if (`${cp.treeSize}.checkpoint` !== name) problem('checkpoint', `${where}: holds a checkpoint of size ${cp.treeSize}`);
      if (cp.origin !== manifest.origin) problem('checkpoint', `${where}: origin ${cp.origin}, the pack's is ${manifest.origin}`);
      if (!signedBy(n, installation)) {
        const recorded = ledgerKeys.get(cp.treeSize) && parseVerifierKey(ledgerKeys.get(cp.treeSize));
        if (recorded && signedBy(n, recorded)) note(`${where}: signed by ${recorded.name}, the key its checkpoint event records, not installation.pub`);
        else problem('checkpoint_signature', `${where}: no valid signature by the installation key ${installation.name}`, { file: where });
      }
      if (cp.treeSize > events.length) problem('checkpoint_beyond_head', `${where}: size ${cp.treeSize}, but events.jsonl holds ${events.length} events: the history was truncated`, { file: where });
      else if (rootAt(cp.treeSize) !== cp.rootB64)
        problem('history_rewritten', `${where}: root ${cp.rootB64}, the first ${cp.treeSize} events give ${rootAt(cp.treeSize)}: the history behind this checkpoint was rewritten`, { file: where });
      const cosigned = checkCosignatureLines(n, installation, keys, where);
      for (const c of cosigned) note(`${where}: cosigned by ${c.name} at ${new Date(Number(c.timestamp) * 1000).toISOString()} (verified)`);
    } catch (error) {
      problem('checkpoint', `${where}: ${error.message}`, { file: where });
    }
  }
  if (newest !== manifest.treeSize) problem('checkpoint', `the pack's own checkpoint (size ${manifest.treeSize}) is ${newest < 0 ? 'missing' : `not the newest file (newest: ${newest})`}`);

  // Checkpoint events inside the ledger agree with the events and with the files.
  for (const e of checkpointEvents) {
    const where = `event ${who(e)}`;
    try {
      const n = parseNote(e.note);
      const cp = parseCheckpointText(n.text);
      if (cp.treeSize !== e.treeSize || cp.rootB64 !== e.rootHash || cp.origin !== e.origin) problem('checkpoint', `${where}: its note says size ${cp.treeSize} root ${cp.rootB64}, its fields ${e.treeSize} ${e.rootHash}`, { seq: e.seq });
      if (e.seq <= e.treeSize) problem('checkpoint', `${where}: a checkpoint of size ${e.treeSize} cannot be event #${e.seq}: it covers only events recorded before it`, { seq: e.seq });
      if (rootAt(e.treeSize) !== e.rootHash) problem('history_rewritten', `${where}: root ${e.rootHash}, the first ${e.treeSize} events give ${rootAt(e.treeSize)}`, { seq: e.seq });
      const key = parseVerifierKey(e.key);
      if (!signedBy(n, key)) problem('checkpoint_signature', `${where}: not signed by the key it names (${key.name})`, { seq: e.seq });
      else if (key.text !== installation.text) note(`${where}: signed by ${key.name}, not the installation key of installation.pub`);
      if (!fileTexts.has(e.treeSize)) problem('checkpoint', `${where}: checkpoints/${e.treeSize}.checkpoint is missing from the pack`, { seq: e.seq });
      else if (fileTexts.get(e.treeSize) !== n.text) problem('checkpoint', `${where}: differs from checkpoints/${e.treeSize}.checkpoint`, { seq: e.seq });
    } catch (error) {
      problem('checkpoint', `${where}: ${error.message}`, { seq: e.seq });
    }
  }
  note(`${sizes.length > 0 ? new Set(sizes).size : 0} checkpoint roots recomputed from the one event list: consistent with each other`);
  const cosignatures = ledgerCosignatures(events);

  // Contracts: files equal their contract.version events.
  const contracts = contractsOf(events);
  for (const path of filesUnder(dir).filter((p) => /^contracts\/.+\.json$/.test(p))) {
    const m = /^contracts\/(.+)\.v(\d+)\.json$/.exec(path);
    const c = m && contracts.get(m[1]);
    const version = c?.versions.get(Number(m[2]));
    if (!version) { problem('contract_file', `${path}: no contract.version event holds this contract version`, { file: path }); continue; }
    let file;
    try {
      file = parseJson(read(path), path);
    } catch (error) {
      problem('contract_file', error.message, { file: path });
      continue;
    }
    if (!isObject(file)) { problem('contract_file', `${path}: not a JSON object`, { file: path }); continue; }
    if (jcs(file) !== jcs(version)) {
      const fields = [...new Set([...Object.keys(file), ...Object.keys(version)])].filter((k) => jcs(file[k] ?? null) !== jcs(version[k] ?? null));
      problem('contract_file', `${path}: differs from contract.version event #${c.seqs.get(version.version)}: ${fields.map((f) => `${f} ${jcs(file[f] ?? null)} vs ${jcs(version[f] ?? null)}`).join('; ')}`, { file: path });
    }
  }

  // Outcomes, issued statements and every statement file, recomputed from the raw events.
  const statementDirs = existsSync(join(dir, 'statements')) ? readdirSync(join(dir, 'statements')) : [];
  for (const name of statementDirs) if (!contracts.has(name)) problem('statement_unfounded', `statements/${name}: no contract.version event of a contract "${name}" in events.jsonl`, { file: `statements/${name}` });
  const ctx = { events, cosignatures, issues: new Map() };
  const reproduced = new Set();
  let pdfs = 0;
  for (const contract of contracts.values()) {
    try {
      rejudge(ctx, contract);
      const issuedEvents = events.filter((e) => e.type === 'statement.issued' && e.contract === contract.id);
      const issues = issueRules(issuedEvents, contract);
      ctx.issues.set(contract.id, issues);
      for (const e of issuedEvents) if (checkIssued(ctx, contract, e, issues.includes(e))) reproduced.add(`${contract.id}/${e.period}`);
      pdfs += checkStatementFiles(ctx, contract, { dir, read, manifest, issues, reproduced });
    } catch (error) {
      problem('unreadable', `contract ${contract.id}: cannot be recomputed: ${error.message}`, { contract: contract.id });
    }
  }
  if (pdfs > 0) note(`${pdfs} statement PDFs: covered by manifest.json's SHA-256 only; their figures are not read (the JSON and CSV of each statement are)`);
  for (const k of keptCheckpoints) checkKeptCheckpoint(k, installation, events.length, rootAt);
  markLedgerCosigners(keys, cosignatures);
  return { events: events.length, statements: reproduced.size, summary: `PACK OK: ${events.length} events, ${reproduced.size} statements reproduced to the cent` };
}

/**
 * The issue rules (README "Issued statements are closed documents"): a contract's period is issued once, in
 * increasing period order, and only after it ended in the contract's time zone. Returns the issues that keep them —
 * the first issue of each period — which every statement computation then uses.
 */
function issueRules(issuedEvents, contract) {
  const kept = [];
  for (const e of issuedEvents) {
    const where = `event ${who(e)} (period ${e.period})`;
    const broken = (why) => problem('issue_rule', `${where}: ${why}`, { seq: e.seq, period: e.period, contract: contract.id });
    if (typeof e.period !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(e.period)) { broken('its period is not a month YYYY-MM'); continue; }
    const first = kept.find((i) => i.period === e.period);
    const last = kept.at(-1);
    const end = periodEnd(e.period, contract.timezone);
    if (first) broken(`${contract.id} ${e.period} was already issued by event #${first.seq}; a period is issued once, and the first issue stands`);
    else if (last && e.period < last.period) broken(`issued after ${last.period} (event #${last.seq}); periods are issued in increasing order`);
    else if (!(Date.parse(e.at) >= end)) broken(`issued at ${e.at}, before the period ended (${new Date(end).toISOString()}, ${contract.timezone})`);
    else kept.push(e);
  }
  return kept;
}

/**
 * One `statement.issued` event: its document's hash and totals, the checkpoint it was issued under, and (for an issue
 * that keeps the rules) the document itself recomputed from the events up to that checkpoint. True when recomputed.
 */
function checkIssued(ctx, contract, e, kept) {
  const where = `event ${who(e)} (period ${e.period})`;
  const bad = (why) => problem('issued_statement', `${where}: ${why}`, { seq: e.seq, period: e.period });
  if (typeof e.document !== 'string') { bad('its document is not the statement file\'s text (a string)'); return false; }
  let doc;
  try {
    doc = parseJson(e.document, `${where}: document`);
  } catch (error) {
    problem('issued_statement', error.message, { seq: e.seq, period: e.period });
    return false;
  }
  if (sha256Hex(jcs(doc)) !== e.sha256) bad(`sha256 ${e.sha256} is not the hash of its document's canonical JSON, ${sha256Hex(jcs(doc))}`);
  const cp = ctx.events[e.checkpoint?.seq - 1];
  if (!cp || cp.type !== 'checkpoint' || cp.treeSize !== e.checkpoint.treeSize || cp.rootHash !== e.checkpoint.rootHash || cp.treeSize !== cp.seq - 1 || e.seq !== cp.seq + 1) {
    bad(`names checkpoint #${e.checkpoint?.seq} (size ${e.checkpoint?.treeSize}), which is not the checkpoint recorded just before it`);
    return false;
  }
  for (const [k, v] of Object.entries(isObject(e.totals) ? e.totals : {})) {
    const stated = isObject(doc) ? doc[k === 'adjustments' ? 'adjustmentsTotal' : k] : undefined;
    if (stated !== v) bad(`totals.${k} ${v}, its document says ${stated}`);
  }
  if (!kept) return false;
  compareStatement(doc, computeStatement(ctx, contract, e.period, e.checkpoint.treeSize), contract, e.period, `${where}: document (as of event #${e.checkpoint.treeSize})`);
  return true;
}

/**
 * Every statement file of a contract: an issued period's JSON is the issued text byte for byte; an open one is
 * recomputed at the pack's head; each CSV must say what its JSON says. Returns how many PDFs there were.
 */
function checkStatementFiles(ctx, contract, { dir, read, manifest, issues, reproduced }) {
  const dirPath = `statements/${contract.id}`;
  const names = existsSync(join(dir, dirPath)) ? readdirSync(join(dir, dirPath)) : [];
  const jsonFiles = names.filter((n) => /^\d{4}-\d{2}\.json$/.test(n));
  for (const name of names.filter((n) => /^\d{4}-\d{2}\.csv$/.test(n))) {
    if (!jsonFiles.includes(name.replace(/csv$/, 'json'))) problem('statement_missing', `${dirPath}/${name}: a CSV without its JSON statement`, { file: `${dirPath}/${name}` });
  }
  for (const name of jsonFiles) {
    const period = name.slice(0, 7);
    const path = `${dirPath}/${name}`;
    const bytes = read(path);
    let doc;
    try {
      doc = parseJson(bytes, path);
    } catch (error) {
      problem('bad_statement', error.message, { file: path, period });
      continue;
    }
    const issued = issues.find((e) => e.period === period);
    if (issued) {
      if (!bytes.equals(Buffer.from(issued.document, 'utf8')))
        problem('issued_statement', `${path}: not the document issued by event #${issued.seq} (SHA-256 of its canonical JSON ${sha256Hex(jcs(doc))}, issued ${issued.sha256})`, { file: path, period });
    } else {
      compareStatement(doc, computeStatement(ctx, contract, period, manifest.treeSize), contract, period, path);
      reproduced.add(`${contract.id}/${period}`);
    }
    const csv = `${dirPath}/${period}.csv`;
    if (!names.includes(`${period}.csv`)) problem('statement_missing', `${csv}: the pack holds ${path} but not its CSV`, { file: csv, period });
    else if (!notAStatement(doc)) compareCsv(read(csv), doc, csv, period, contract.id);
  }
  if (manifest.period == null && (manifest.contract == null || manifest.contract === contract.id)) {
    for (const p of statementPeriodsOf(ctx, contract, manifest.treeSize))
      if (!jsonFiles.includes(`${p}.json`)) problem('statement_missing', `${dirPath}/${p}.json: the contract has a statement for ${p}, but the pack does not hold it`, { period: p, contract: contract.id });
  }
  return names.filter((n) => n.endsWith('.pdf')).length;
}

// ─── Checkpoints the auditor kept (--checkpoint FILE) ──────────────────────────────────────────────────
/** Reads each kept checkpoint note: [{file, note, cp}]; one that cannot be read is a problem naming the file. */
function readKeptCheckpoints(files) {
  const out = [];
  for (const file of files) {
    try {
      const n = parseNote(readFileSync(file, 'utf8'));
      out.push({ file, note: n, cp: parseCheckpointText(n.text) });
    } catch (error) {
      problem('checkpoint_mismatch', `${file}: not a checkpoint note (${error.message})`, { file });
    }
  }
  return out;
}

/**
 * A checkpoint the auditor kept (the one they cosigned, say) must be the installation's and the pack's events must
 * have its root at its size — else the pack shows them another history than the one they saw (a split view).
 * Compared by root: the origin may differ.
 */
function checkKeptCheckpoint({ file, note: n, cp }, installation, eventCount, rootAt) {
  if (!signedBy(n, installation)) problem('checkpoint_signature', `${file}: no valid signature by the installation key ${installation.name}`, { file });
  if (cp.treeSize > eventCount) problem('checkpoint_mismatch', `${file}: a checkpoint of size ${cp.treeSize}, but the pack holds only ${eventCount} events: it does not show the history you kept`, { file });
  else if (rootAt(cp.treeSize) !== cp.rootB64)
    problem('checkpoint_mismatch', `${file}: root ${cp.rootB64} at size ${cp.treeSize}, the pack's first ${cp.treeSize} events give ${rootAt(cp.treeSize)}: the pack shows a different history from the one this checkpoint signs`, { file });
  else note(`${file}: the pack's first ${cp.treeSize} events have its root (verified)`);
}

// ─── A receipt ─────────────────────────────────────────────────────────────────────────────────────────
/** Why a parsed receipt cannot be read as one, or null. */
function notAReceipt(r) {
  if (!isObject(r)) return 'not a JSON object';
  for (const f of ['ticket', 'contract', 'installationKey', 'checkpoint']) if (typeof r[f] !== 'string') return `${f} is not a string`;
  if (!Array.isArray(r.events)) return 'events is not a list';
  const bad = r.events.findIndex((x) => !isObject(x) || notAnEvent(x.line) !== null || !Array.isArray(x.proof) || !Number.isSafeInteger(x.leafIndex));
  return bad < 0 ? null : `events[${bad}] is not {line, leafIndex, proof}`;
}

/** Sequence numbers an event names: its `evidence` and every `…Seq` field (solveSeq, verifiedSeq, disputeSeq, signedSeq). */
function namedSeqs(e) {
  const out = seqList(e.evidence).map((seq) => ['evidence', seq]);
  for (const [k, v] of Object.entries(e)) if (/Seq$/.test(k) && !ENVELOPE.has(k) && Number.isSafeInteger(v)) out.push([k, v]);
  return out;
}

function verifyReceipt(path, keys, keptFiles) {
  const receipt = parseJson(readFileSync(path), path);
  const notReceipt = notAReceipt(receipt);
  if (notReceipt) throw new BadInput(`${path}: not a receipt (${notReceipt})`);
  if (receipt.format !== 'attest-receipt/v1') problem('receipt', `${path}: format "${receipt.format}" is not attest-receipt/v1`);
  const installation = parseVerifierKey(receipt.installationKey);
  pinInstallation(installation, keys, 'the receipt');
  const n = parseNote(receipt.checkpoint);
  const cp = parseCheckpointText(n.text);
  if (cp.treeSize !== receipt.treeSize || cp.origin !== receipt.origin) problem('receipt', `the receipt's checkpoint is of size ${cp.treeSize} (${cp.origin}), the receipt says ${receipt.treeSize} (${receipt.origin})`);
  if (!signedBy(n, installation)) problem('checkpoint_signature', `the receipt's checkpoint has no valid signature by the installation key ${installation.name}`);
  const cosigned = checkCosignatureLines(n, installation, keys, 'the receipt\'s checkpoint');
  for (const c of cosigned) note(`checkpoint cosigned by ${c.name} (verified)`);
  // A kept checkpoint can be compared with the receipt's only at the same size (a pack shows every size).
  for (const k of readKeptCheckpoints(keptFiles)) {
    if (k.cp.treeSize !== cp.treeSize) note(`${k.file}: size ${k.cp.treeSize}, the receipt's checkpoint is of size ${cp.treeSize}: not comparable (check it against a pack)`);
    else if (!k.cp.root.equals(cp.root)) problem('checkpoint_mismatch', `${k.file}: root ${k.cp.rootB64} at size ${cp.treeSize}, the receipt's checkpoint has ${cp.rootB64}: the receipt shows a different history from the one this checkpoint signs`, { file: k.file });
    else note(`${k.file}: the receipt's checkpoint has its root (verified)`);
  }

  // Each event: its hash from its content, then its inclusion proof to the checkpoint's root.
  const events = [];
  for (const item of receipt.events ?? []) {
    const e = item.line;
    const where = `event ${who(e)}`;
    if (lineHash(e) !== e.hash) { problem('content_changed', `${where}: content changed — its hash is not the hash of its content`, { seq: e.seq, ticket: e.ticket ?? null }); continue; }
    if (item.leafIndex !== e.seq - 1) problem('proof', `${where}: leaf index ${item.leafIndex}, should be ${e.seq - 1}`, { seq: e.seq });
    const proof = (item.proof ?? []).map((p) => strictBase64(p) ?? Buffer.alloc(0));
    const root = rootFromInclusionProof(item.leafIndex, cp.treeSize, Buffer.from(e.hash, 'hex'), proof);
    if (!root || !root.equals(cp.root)) { problem('proof', `${where}: its inclusion proof does not lead to the checkpoint's root (size ${cp.treeSize})`, { seq: e.seq, ticket: e.ticket ?? null }); continue; }
    events.push(e);
  }

  // The outcome, from the events in the receipt.
  const contracts = contractsOf(events);
  const contract = contracts.get(receipt.contract);
  const stated = receipt.outcome ?? {};
  if (!contract) { problem('receipt', `the receipt holds no proven contract.version event of ${receipt.contract}`); return { summary: '' }; }
  const r = bookOf(events, contract).get(receipt.ticket);
  if (!r) { problem('receipt', `the receipt holds no proven outcome.verified of ${receipt.ticket}`); return { summary: '' }; }
  const have = new Set(events.map((e) => e.seq));
  const named = [...r.evidence, ...(r.reversal?.evidence ?? [])].filter((s) => !have.has(s));
  if (named.length > 0) problem('receipt', `the outcome names evidence events ${named.map((s) => `#${s}`).join(', ')}, which the receipt does not prove`);
  // A receipt proves the events it holds, not that none was left out; but an event in it that names a later event
  // the receipt leaves out (a decision's signature without the decision, say) shows one was.
  for (const e of events) {
    for (const [field, seq] of namedSeqs(e)) {
      if (seq > r.seq && !have.has(seq) && !named.includes(seq))
        problem('receipt_incomplete', `event ${who(e)}: its ${field} names #${seq}, a later event the receipt leaves out — an outcome event of ${receipt.ticket} may have been withheld`, { seq, ticket: receipt.ticket });
    }
  }
  // Two-party metering: the version's buyer keys (from its proven contract.version event) must cosign the checkpoint.
  const buyers = (r.versionTerms?.buyerKeys ?? []).flatMap((k) => { try { return [parseVerifierKey(k)]; } catch { return []; } });
  // Covered by a buyer's cosignature line on the receipt's checkpoint, or by a proven checkpoint.cosigned event
  // (with the checkpoint event it names) of a checkpoint that covers the verification.
  const cosignedByBuyer = n.signatures.some((sig) => buyers.some((b) => checkCosignature(sig, n.text, b)?.status === 'ok'));
  const provenCosignature = ledgerCosignatures(events).some((c) => c.treeSize >= r.seq && buyers.some((b) => b.text === c.cosigner));
  const awaiting = r.versionTerms?.requireCosignedCheckpoint && !((cosignedByBuyer && cp.treeSize >= r.seq) || provenCosignature);
  const state = r.reversal ? 'reversed' : r.disputes.some((d) => d.state === 'open') ? 'held' : awaiting ? 'awaiting_cosignature' : 'billed';
  const price = money(r.price, contract.digits);
  const want = { state, price, currency: contract.currency, period: r.period, verifiedSeq: r.seq };
  for (const [k, v] of Object.entries(want)) if (stated[k] !== undefined && stated[k] !== v) problem('outcome_mismatch', `${receipt.ticket}: the receipt says ${k} ${stated[k]}, its events give ${v}`, { ticket: receipt.ticket });
  if (r.versionTerms?.requireCosignedCheckpoint) note(`${receipt.ticket}: the contract requires a checkpoint cosigned by a buyer key: ${awaiting ? 'the receipt\'s checkpoint is not' : 'the receipt\'s checkpoint is (verified)'}`);
  return { events: events.length, summary:
      `RECEIPT OK: ${receipt.ticket} ${state} ${price} ${contract.currency} in ${r.period} as of checkpoint of size ${cp.treeSize} (${events.length} events proven; ` +
      'events after them or left out of the receipt are not ruled out — compare with a pack or a newer cosigned receipt)' };
}

// ─── Main ──────────────────────────────────────────────────────────────────────────────────────────────
function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  let result = { summary: '' };
  try {
    const keys = loadKeys(args.keyFiles);
    if (!existsSync(args.target)) throw new BadInput(`${args.target}: no such pack folder or receipt file`);
    const isPack = statSync(args.target).isDirectory();
    result = isPack ? verifyPack(args.target, keys, args.checkpointFiles) : verifyReceipt(args.target, keys, args.checkpointFiles);
    reportUnusedCosigners(keys, isPack ? 'pack' : 'receipt');
    // A PEM has no name, so it may be meant as the pin or as a cosigner; one that is neither was meant as something
    // this pack does not have — most likely the real installation key of a pack signed by another one.
    for (const p of keys.pems) if (!p.used) problem('key_mismatch', `${p.file}: this Ed25519 key is neither the installation key of ${args.target} nor the key of any cosignature in it`);
  } catch (error) {
    // Bad input names its own file (and line); anything else still gets a sentence, never a stack trace.
    problem('unreadable', error instanceof BadInput ? error.message : `${args.target}: cannot be checked further: ${error.message}`);
  }
  const ok = problems.length === 0;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ok, events: result.events ?? 0, statements: result.statements ?? 0, problems, notes })}\n`);
  } else {
    if (ok) process.stdout.write(`${result.summary}\n`);
    for (const p of problems) process.stdout.write(`${p.message}\n`);
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
  }
  return ok ? 0 : 1;
}

// Run when started as a program; imported (by Attest's own tests), it only exports its building blocks.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) process.exitCode = main();

export { jcs, merkleRoots, rootFromInclusionProof };
