// Password hashing (scrypt from node:crypto, a random salt per password) and the password policy
// (21 CFR 11.300: a minimum length and no commonly used passwords).
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { InputError } from '../errors.ts';

// N = 2^15, r = 8, p = 1: OWASP's scrypt floor (about 0.1 s and 32 MiB per check on these machines).
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 128 * N * R * 2;

export const MIN_PASSWORD_LENGTH = 12;

// The most used passwords of public breach corpora that are at least 12 characters long, and what a helpdesk
// would be tempted to use. Compared case-insensitively, after trimming.
const DENIED = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890qwe', 'qwertyuiop12', 'qwertyuiopasdfgh',
  'qwerty123456', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'q1w2e3r4t5y6', 'password1234', 'password12345', 'password123456',
  'passwordpassword', 'iloveyou1234', 'administrator', 'administrator1', 'admin1234567', 'adminadmin123', 'welcome12345',
  'welcome123456', 'changeme1234', 'changeme12345', 'letmein12345', 'trustno1trustno1', 'football1234', 'baseball1234',
  'sunshine1234', 'princess1234', 'superman1234', 'starwars1234', 'monkey123456', 'dragon123456', 'abc123456789',
  'abcdefghijkl', 'aaaaaaaaaaaa', '111111111111', '000000000000', 'helpdesk1234', 'support12345', 'supervisor12',
  'supervisor123', 'auditor12345', 'attest123456', 'attestattest', 'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234',
]);

/** Why a new password is refused, or null when it may be used. */
export function passwordProblem(password: string, context: { account: string; display: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  const plain = password.trim().toLowerCase();
  if (DENIED.has(plain)) return 'this password is on the list of commonly used passwords; choose another';
  if (new Set(plain).size <= 2) return 'a password of one or two repeated characters is too easy to guess';
  const names = [context.account, ...context.display.toLowerCase().split(/\s+/)].filter((part) => part.length >= 4);
  if (names.some((name) => plain.includes(name.toLowerCase()))) return 'a password must not contain the login or printed name';
  return null;
}

export function requireAcceptablePassword(password: string, context: { account: string; display: string }): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new InputError(problem);
}

/** scrypt$N$r$p$salt$hash, all parameters kept so they can be raised later without breaking old hashes. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return Promise.resolve(false);
  const expected = Buffer.from(hash, 'base64');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, options, (error, derived) =>
      error ? reject(error) : resolve(derived.length === expected.length && timingSafeEqual(derived, expected)),
    ),
  );
}

/** A hash to compare against when the name is unknown, so a wrong name takes as long as a wrong password. */
let decoy: string | null = null;
export function decoyHash(): string {
  decoy ??= hashPassword(randomBytes(18).toString('base64'));
  return decoy;
}

/**
 * SHA-256 (hex) of a stored password hash (the salted scrypt string): what the account event that set the password
 * records as `credential`. It binds the hash kept beside the ledger to that event — a hash swapped in the table (on
 * a team server, by anyone holding the writer role) no longer matches — and reveals nothing to guess a password with.
 */
export function credentialDigest(storedHash: string): string {
  return createHash('sha256').update(storedHash, 'utf8').digest('hex');
}
