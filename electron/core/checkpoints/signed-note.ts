// C2SP signed notes (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line, then
// signature lines "— <key name> <base64(key ID ‖ signature)>". Only Ed25519 (signature type 0x01) is
// produced and verified here; signatures by other keys are kept and ignored, as the spec requires.
import { createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';

export const ED25519_SIGNATURE_TYPE = 0x01;
const EM_DASH = '\u2014';
/** The spec asks verifiers to accept at least 16; more than this is not a note we wrote or expect. */
const MAX_SIGNATURES = 100;
/** SPKI DER of an Ed25519 public key is this fixed prefix followed by the 32 raw key bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteFormatError extends Error {}

export interface NoteSignature {
  keyName: string;
  /** The first 4 bytes of the decoded signature. */
  keyId: Buffer;
  /** The signature bytes after the key ID. */
  signature: Buffer;
}

export interface SignedNote {
  /** The signed text, ending in a newline, without the separating blank line. */
  text: string;
  signatures: NoteSignature[];
}

/** An Ed25519 verifier key: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export interface VerifierKey {
  name: string;
  keyId: Buffer;
  rawPublicKey: Buffer;
  publicKey: KeyObject;
}

export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
  rawPublicKey: Buffer;
}

/** Key names must be non-empty and contain no Unicode space and no "+". */
export function checkKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name)) throw new NoteFormatError(`key name "${name}" must be non-empty, without spaces or "+"`);
}

/** SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte Ed25519 public key)[:4]. */
export function ed25519KeyId(name: string, rawPublicKey: Uint8Array): Buffer {
  const digest = hash('sha256', Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]), rawPublicKey]), 'buffer');
  return digest.subarray(0, 4);
}

/** The 32 raw bytes of an Ed25519 public key (the tail of its SPKI DER encoding). */
export function rawEd25519PublicKey(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new NoteFormatError(`expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? 'a secret key'}`);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteFormatError(`an Ed25519 public key has 32 bytes, not ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function formatVerifierKey(name: string, rawPublicKey: Uint8Array): string {
  checkKeyName(name);
  const material = Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), rawPublicKey]).toString('base64');
  return `${name}+${ed25519KeyId(name, rawPublicKey).toString('hex')}+${material}`;
}

/** Strict standard base64 (RFC 4648 §4, with padding): decoding and re-encoding must give the same text. */
export function decodeBase64Strictly(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || bytes.toString('base64') !== text) throw new NoteFormatError(`${what} is not standard base64`);
  return bytes;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const parts = vkey.trim().split('+');
  // The base64 part may itself contain "+", so split off the name and the ID only.
  const [name, idHex] = parts;
  const material = parts.slice(2).join('+');
  if (parts.length < 3 || !name || !idHex || !material) throw new NoteFormatError('a verifier key is <name>+<hex key ID>+<base64 key>');
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteFormatError('the key ID of a verifier key is 8 lowercase hex digits');
  const decoded = decodeBase64Strictly(material, 'the verifier key material');
  if (decoded[0] !== ED25519_SIGNATURE_TYPE || decoded.length !== 33) {
    throw new NoteFormatError(`only Ed25519 verifier keys (type 0x01, 32 bytes) are supported, got type 0x${(decoded[0] ?? 0).toString(16).padStart(2, '0')} with ${decoded.length - 1} bytes`);
  }
  const rawPublicKey = decoded.subarray(1);
  const keyId = Buffer.from(idHex, 'hex');
  if (!keyId.equals(ed25519KeyId(name, rawPublicKey))) throw new NoteFormatError(`verifier key ${name}: key ID ${idHex} does not match its name and public key`);
  return { name, keyId, rawPublicKey: Buffer.from(rawPublicKey), publicKey: ed25519PublicKeyFromRaw(rawPublicKey) };
}

function checkCharacters(note: string): void {
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(note);
  if (control) throw new NoteFormatError(`the note contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (!note.isWellFormed()) throw new NoteFormatError('the note is not valid UTF-8 text');
}

/** Parses a signed note strictly. Bytes must be valid UTF-8. Signatures are not verified here. */
export function parseSignedNote(input: string | Uint8Array): SignedNote {
  let note: string;
  if (typeof input === 'string') note = input;
  else {
    try {
      note = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      throw new NoteFormatError('the note is not valid UTF-8 text');
    }
  }
  checkCharacters(note);
  if (!note.endsWith('\n')) throw new NoteFormatError('a signed note ends with a newline');
  // The text is separated from the signatures by the last empty line.
  const separator = note.lastIndexOf('\n\n');
  if (separator < 0) throw new NoteFormatError('a signed note has a blank line between its text and its signatures');
  const text = note.slice(0, separator + 1);
  if (text.length === 0) throw new NoteFormatError('a signed note has a non-empty text');
  const lines = note.slice(separator + 2, -1).split('\n');
  if (lines.length === 1 && lines[0] === '') throw new NoteFormatError('a signed note has at least one signature line');
  if (lines.length > MAX_SIGNATURES) throw new NoteFormatError(`a note with more than ${MAX_SIGNATURES} signatures is refused`);
  const signatures = lines.map((line, index) => {
    const match = /^\u2014 ([^ ]+) ([^ ]+)$/u.exec(line);
    if (!match) throw new NoteFormatError(`signature line ${index + 1} is not "${EM_DASH} <key name> <base64 signature>"`);
    const keyName = match[1]!;
    checkKeyName(keyName);
    const bytes = decodeBase64Strictly(match[2]!, `the signature of ${keyName}`);
    if (bytes.length < 5) throw new NoteFormatError(`the signature of ${keyName} is too short`);
    return { keyName, keyId: Buffer.from(bytes.subarray(0, 4)), signature: Buffer.from(bytes.subarray(4)) };
  });
  return { text, signatures };
}

export function formatSignedNote(note: SignedNote): string {
  checkCharacters(note.text);
  if (!note.text.endsWith('\n') || note.text.length === 0) throw new NoteFormatError('the note text must end with a newline');
  if (note.signatures.length === 0) throw new NoteFormatError('a signed note needs at least one signature');
  const lines = note.signatures.map((s) => {
    checkKeyName(s.keyName);
    return `${EM_DASH} ${s.keyName} ${Buffer.concat([s.keyId, s.signature]).toString('base64')}\n`;
  });
  return `${note.text}\n${lines.join('')}`;
}

/** Signs `text` (which must end in a newline) with an Ed25519 key and returns the whole signed note. */
export function signNote(text: string, signer: NoteSigner): string {
  checkCharacters(text);
  if (!text.endsWith('\n')) throw new NoteFormatError('the note text must end with a newline');
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return formatSignedNote({ text, signatures: [{ keyName: signer.name, keyId: ed25519KeyId(signer.name, signer.rawPublicKey), signature }] });
}

export type NoteVerification =
  | { status: 'verified'; key: VerifierKey }
  /** A signature line names a known key (same name and ID) but does not verify. */
  | { status: 'bad_signature'; key: VerifierKey }
  /** No signature line is by any of the given keys. */
  | { status: 'no_known_signature' };

/**
 * Checks the note's signatures against the given keys. Signatures by unknown keys are ignored (the spec's
 * rule: a key is known when both name and ID match); one failing signature by a known key fails the note.
 */
export function verifySignedNote(note: SignedNote, keys: readonly VerifierKey[]): NoteVerification {
  const text = Buffer.from(note.text, 'utf8');
  let verifiedBy: VerifierKey | null = null;
  for (const line of note.signatures) {
    const key = keys.find((k) => k.name === line.keyName && k.keyId.equals(line.keyId));
    if (!key) continue;
    if (line.signature.length !== 64 || !verify(null, text, key.publicKey, line.signature)) return { status: 'bad_signature', key };
    verifiedBy ??= key;
  }
  return verifiedBy ? { status: 'verified', key: verifiedBy } : { status: 'no_known_signature' };
}
