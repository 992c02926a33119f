// One thread of the verify baseline: raw node:crypto SHA-256 over the canonical preimages of events fromSeq..toSeq
// (exactly the bytes verify hashes). The preimages are built in chunks beforehand and only the hashing is timed, so
// the baseline is SHA-256 itself, not the reading around it.
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../../electron/core/db/connection.ts';
import { hashPreimage } from '../../electron/core/ledger/hashing.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';

const CHUNK = 20_000;
const { dbPath, fromSeq, toSeq } = workerData as { dbPath: string; fromSeq: number; toSeq: number };
// The same small cache as verify's chain threads (electron/core/ledger/verify-worker.ts): the same sequential read.
const db = openReadOnly(dbPath, { cacheKiB: 16_384 });
try {
  let hashMs = 0;
  let hashed = 0;
  let chunk: string[] = [];
  // Checked against the stored hashes afterwards (untimed): the baseline hashed the same bytes verify does.
  let digests: string[] = [];
  const stored: string[] = [];
  const hashChunk = (): void => {
    const started = performance.now();
    for (let i = 0; i < chunk.length; i++) digests[i] = hash('sha256', chunk[i]!, 'hex');
    hashMs += performance.now() - started;
    for (let i = 0; i < chunk.length; i++) if (digests[i] !== stored[i]) throw new Error(`baseline preimage of event #${fromSeq + hashed + i} does not hash to its stored hash`);
    hashed += chunk.length;
    chunk = [];
    digests = [];
    stored.length = 0;
  };
  for (const [seq, ticket, type, at, recordedAt, actor, payload, prevHash, storedHash] of new LedgerRepository(db).iterateRange(fromSeq, toSeq)) {
    chunk.push(hashPreimage({ seq, ticket, type, at, recordedAt, actor, payload, prevHash }));
    stored.push(storedHash);
    if (chunk.length === CHUNK) hashChunk();
  }
  hashChunk();
  parentPort!.postMessage({ hashed, hashMs });
} finally {
  db.close();
}
