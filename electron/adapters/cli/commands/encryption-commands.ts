// `attest encrypt` (a plain database encrypted in place) and `attest rekey` (an encrypted one moved to a new key). Keys
// come from key files only, never from the command line. Neither appends an event: the ledger's contents and head
// stay exactly as they were, which both commands prove by verifying the file before and after (db/encryption.ts).
// Neither asks for a sign-in: whoever can read the plain file (or holds the old key) can already read every record,
// so a sign-in would protect nothing that the file system and the key do not.
import { readKeyFile, type DatabaseKey } from '../../../core/db/database-key.ts';
import { reEncryptDatabase, ReEncryptError, type LedgerFingerprint } from '../../../core/db/encryption.ts';
import { DatabaseOpenError } from '../../../core/db/startup-check.ts';
import { KeyFileError } from '../../../core/db/database-key.ts';
import { verifyDatabaseFile } from '../../../core/verification/verify-database.ts';
import { existingDb, keyFileFlag } from '../db-args.ts';
import { CliError, report } from '../output.ts';
import type { Command, CommandArgs } from '../command.ts';

interface EncryptionFlags {
  db?: string;
  json: boolean;
  'key-file'?: string;
  'new-key-file'?: string;
}

const flagsOf = (args: CommandArgs): EncryptionFlags => args.values as unknown as EncryptionFlags;

function keyFrom(file: string): DatabaseKey {
  try {
    return readKeyFile(file);
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message, 2);
    throw error;
  }
}

async function fingerprint(path: string): Promise<LedgerFingerprint> {
  const { status } = await verifyDatabaseFile(path, {});
  return { intact: status.intact, eventCount: status.eventCount, headHash: status.headHash, problems: status.problems.map((p) => p.message) };
}

async function reEncrypt(flags: EncryptionFlags, fromKey: DatabaseKey | null, toKey: DatabaseKey, keyFile: string): Promise<number> {
  const path = existingDb(flags);
  try {
    const { after } = await reEncryptDatabase(path, { fromKey, toKey, fingerprint });
    const verdict = after.intact ? 'intact' : `NOT intact (${after.problems[0] ?? 'see attest verify'}), exactly as before`;
    report(
      flags.json,
      { db: path, encrypted: true, cipher: 'chacha20-poly1305', keyFile, intact: after.intact, eventCount: after.eventCount, headHash: after.headHash },
      `${path} ${fromKey ? 're-encrypted under' : 'encrypted with'} the key in ${keyFile} (ChaCha20-Poly1305); verify before and after: ${verdict}, ${after.eventCount} events, head ${after.headHash}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ReEncryptError || error instanceof DatabaseOpenError) throw new CliError(error.message);
    throw error;
  }
}

async function encryptCommand(flags: EncryptionFlags): Promise<number> {
  const keyFile = keyFileFlag(flags['key-file']);
  if (!keyFile) throw new CliError('encrypt: --key-file FILE (or ATTEST_KEY_FILE) names the new key; make one with "openssl rand -hex 32 > FILE && chmod 600 FILE"', 2);
  return reEncrypt(flags, null, keyFrom(keyFile), keyFile);
}

async function rekeyCommand(flags: EncryptionFlags): Promise<number> {
  const oldKeyFile = keyFileFlag(flags['key-file']);
  if (!oldKeyFile) throw new CliError('rekey: --key-file FILE (or ATTEST_KEY_FILE) names the current key', 2);
  const newKeyFile = flags['new-key-file'];
  if (!newKeyFile) throw new CliError('rekey: --new-key-file FILE names the new key; make one with "openssl rand -hex 32 > FILE && chmod 600 FILE"', 2);
  return reEncrypt(flags, keyFrom(oldKeyFile), keyFrom(newKeyFile), newKeyFile);
}

export const ENCRYPTION_COMMANDS: Command[] = [
  {
    name: 'encrypt',
    usage: 'attest encrypt --db FILE --key-file KEYFILE [--json]   (a plain database encrypted in place; KEYFILE: 32 bytes or 64 hex digits, mode 600)',
    options: { 'key-file': { type: 'string' } },
    managesKeys: true,
    run: (args) => encryptCommand(flagsOf(args)),
  },
  {
    name: 'rekey',
    usage: 'attest rekey   --db FILE --key-file OLDKEY --new-key-file NEWKEY [--json]',
    options: { 'key-file': { type: 'string' }, 'new-key-file': { type: 'string' } },
    managesKeys: true,
    run: (args) => rekeyCommand(flagsOf(args)),
  },
];
