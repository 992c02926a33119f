// C2SP tlog-cosignature (c2sp.org/tlog-cosignature), Ed25519 flavour: a second party (the buyer's auditor, a
// replica) signs "cosignature/v1\ntime <T>\n" followed by a checkpoint's note text, and its signature line's
// base64 is key ID ‖ 8-byte big-endian timestamp ‖ Ed25519 signature, the key ID computed with type 0x04. Pure
// computation: no database, so `attest cosign` runs wherever the auditor keeps their key. cosignCheckpoint signs
// whatever it is given; the witness discipline (only a later state of the history already cosigned) is witness.ts.
import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { checkKeyName, decodeBase64Strictly, ed25519PublicKeyFromRaw, NoteFormatError, parseSignedNote, rawEd25519PublicKey } from './signed-note.ts';

/** The signature type of an Ed25519 cosignature (tlog-cosignature §Format). */
export const COSIGNATURE_TYPE = 0x04;
const HEADER = 'cosignature/v1';
const EM_DASH = '\u2014';
/** The spec caps the timestamp at 2^63 − 1; JavaScript numbers are exact only up to 2^53 − 1, far beyond any real time. */
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** A cosigner's public key: `<name>+<hex key ID>+<base64(0x04 ‖ public key)>`. */
export interface CosignerKey {
  name: string;
  keyId: Buffer;
  rawPublicKey: Buffer;
  publicKey: KeyObject;
  /** The verifier key line as written. */
  text: string;
}

/** One parsed cosignature line. */
export interface Cosignature {
  keyName: string;
  keyId: Buffer;
  /** POSIX seconds. */
  timestamp: number;
  signature: Buffer;
  /** The whole line, "— <name> <base64>", without its newline. */
  line: string;
}

/** SHA-256(name ‖ "\n" ‖ 0x04 ‖ 32-byte Ed25519 public key)[:4]. */
export function cosignerKeyId(name: string, rawPublicKey: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, COSIGNATURE_TYPE]), rawPublicKey]), 'buffer').subarray(0, 4);
}

export function formatCosignerKey(name: string, rawPublicKey: Uint8Array): string {
  checkKeyName(name);
  const material = Buffer.concat([Buffer.from([COSIGNATURE_TYPE]), rawPublicKey]).toString('base64');
  return `${name}+${cosignerKeyId(name, rawPublicKey).toString('hex')}+${material}`;
}

export function parseCosignerKey(vkey: string): CosignerKey {
  const text = vkey.trim();
  const parts = text.split('+');
  const [name, idHex] = parts;
  // The base64 material may itself contain "+".
  const material = parts.slice(2).join('+');
  if (parts.length < 3 || !name || !idHex || !material) throw new NoteFormatError('a cosigner key is <name>+<hex key ID>+<base64 key>');
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteFormatError('the key ID of a cosigner key is 8 lowercase hex digits');
  const decoded = decodeBase64Strictly(material, 'the cosigner key material');
  if (decoded[0] !== COSIGNATURE_TYPE || decoded.length !== 33) {
    throw new NoteFormatError(`a cosigner key is an Ed25519 cosignature key (type 0x04, 32 bytes), got type 0x${(decoded[0] ?? 0).toString(16).padStart(2, '0')} with ${decoded.length - 1} bytes`);
  }
  const rawPublicKey = Buffer.from(decoded.subarray(1));
  const keyId = Buffer.from(idHex, 'hex');
  if (!keyId.equals(cosignerKeyId(name, rawPublicKey))) throw new NoteFormatError(`cosigner key ${name}: key ID ${idHex} does not match its name and public key`);
  return { name, keyId, rawPublicKey, publicKey: ed25519PublicKeyFromRaw(rawPublicKey), text };
}

/** A cosigner key from an Ed25519 public key PEM and the name its signature lines carry. */
export function cosignerKeyFromPem(pem: string, name: string): CosignerKey {
  return parseCosignerKey(formatCosignerKey(name, rawEd25519PublicKey(createPublicKey({ key: pem, format: 'pem' }))));
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) throw new NoteFormatError(`cosignature time ${timestamp} is not a non-negative whole number of seconds`);
}

/** The signed message: the header line, the time line, then the checkpoint's note text (final newline included). */
export function cosignatureMessage(checkpointText: string, timestamp: number): Buffer {
  checkTimestamp(timestamp);
  if (!checkpointText.endsWith('\n')) throw new NoteFormatError('a checkpoint text ends with a newline');
  return Buffer.from(`${HEADER}\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/** The note text of a checkpoint given as a whole signed note, or as its text alone. */
export function checkpointTextOf(checkpoint: string): string {
  return checkpoint.includes('\n\n') ? parseSignedNote(checkpoint).text : checkpoint;
}

export interface CosignerSigner {
  name: string;
  privateKey: KeyObject;
}

/** Cosigns a checkpoint (note or text): the signature line, without its newline. */
export function cosignCheckpoint(checkpoint: string, signer: CosignerSigner, timestamp: number): string {
  checkKeyName(signer.name);
  const raw = rawEd25519PublicKey(createPublicKey(signer.privateKey));
  const text = checkpointTextOf(checkpoint);
  const signature = sign(null, cosignatureMessage(text, timestamp), signer.privateKey);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  return `${EM_DASH} ${signer.name} ${Buffer.concat([cosignerKeyId(signer.name, raw), time, signature]).toString('base64')}`;
}

/** Parses one cosignature line ("— <name> <base64(key ID ‖ timestamp ‖ signature)>"), with or without its newline. */
export function parseCosignatureLine(input: string): Cosignature {
  const line = input.replace(/\r?\n$/, '');
  const match = /^\u2014 ([^ ]+) ([^ ]+)$/u.exec(line);
  if (!match) throw new NoteFormatError(`a cosignature is one line "${EM_DASH} <key name> <base64>"`);
  const keyName = match[1]!;
  checkKeyName(keyName);
  const bytes = decodeBase64Strictly(match[2]!, `the cosignature of ${keyName}`);
  if (bytes.length !== 4 + 8 + 64) throw new NoteFormatError(`the cosignature of ${keyName} has ${bytes.length} bytes, not 76 (key ID, timestamp, Ed25519 signature)`);
  const timestamp = bytes.readBigUInt64BE(4);
  if (timestamp > BigInt(MAX_TIMESTAMP)) throw new NoteFormatError(`the cosignature of ${keyName} has an out-of-range timestamp`);
  return { keyName, keyId: Buffer.from(bytes.subarray(0, 4)), timestamp: Number(timestamp), signature: Buffer.from(bytes.subarray(12)), line };
}

/** Whether the line is by `key` (same name and key ID) and its signature covers `checkpointText` at its timestamp. */
export function cosignatureVerifies(cosignature: Cosignature, checkpointText: string, key: CosignerKey): boolean {
  if (cosignature.keyName !== key.name || !cosignature.keyId.equals(key.keyId)) return false;
  return verify(null, cosignatureMessage(checkpointText, cosignature.timestamp), key.publicKey, cosignature.signature);
}

export interface GeneratedCosignerKey {
  privateKeyFile: string;
  publicKeyFile: string;
  verifierKey: string;
}

/** auditor.key → auditor.pub; any other name gets ".pub" appended. */
export function publicKeyFileOf(privateKeyFile: string): string {
  return /\.key$/.test(privateKeyFile) ? privateKeyFile.replace(/\.key$/, '.pub') : `${privateKeyFile}.pub`;
}

export class KeyFileExistsError extends Error {}

/**
 * A new Ed25519 cosigner key: the private key as PKCS#8 PEM (mode 0600; never over an existing file) and the
 * verifier key line beside it.
 */
export function generateCosignerKey(privateKeyFile: string, name: string): GeneratedCosignerKey {
  checkKeyName(name);
  const publicKeyFile = publicKeyFileOf(privateKeyFile);
  for (const file of [privateKeyFile, publicKeyFile]) if (existsSync(file)) throw new KeyFileExistsError(`${file} already exists: a key is never overwritten`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verifierKey = formatCosignerKey(name, rawEd25519PublicKey(publicKey));
  // Written beside its final name, then renamed: a crash never leaves half a key.
  const temporary = `${privateKeyFile}.${process.pid}.tmp`;
  writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, privateKeyFile);
  writeFileSync(publicKeyFile, `${verifierKey}\n`, { flag: 'wx' });
  return { privateKeyFile, publicKeyFile, verifierKey };
}

/** A private key from a PKCS#8 PEM (or any PEM node:crypto reads) that must be Ed25519. */
export function cosignerPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') throw new NoteFormatError(`the key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  return key;
}
