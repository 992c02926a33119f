// One thread of the verify baseline: raw node:crypto SHA-256 over the canonical preimages of events fromSeq..toSeq
// (exactly the bytes verify hashes). The preimages are built in chunks beforehand, as UTF-8 bytes, and only the
// hashing is timed, so the baseline is SHA-256 itself, not the reading around it — nor turning a string into bytes:
// hashed as the JavaScript strings hashPreimage joins, the first hash of each also flattened and encoded it, which
// made the baseline about twice as slow as SHA-256 of the bytes (measured on 300,000 preimages of a 100,000-ticket
// demo: 1.4–2.0 µs against 0.55–0.58 µs an event).
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
  let chunk: Buffer[] = [];
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
    chunk.push(Buffer.from(hashPreimage({ seq, ticket, type, at, recordedAt, actor, payload, prevHash }), 'utf8'));
    stored.push(storedHash);
    if (chunk.length === CHUNK) hashChunk();
  }
  hashChunk();
  parentPort!.postMessage({ hashed, hashMs });
} finally {
  db.close();
}
