// One thread of the verify baseline: raw node:crypto SHA-256 over the canonical preimages of events fromSeq..toSeq
// (exactly the bytes verify hashes). The preimages are built in chunks beforehand, as UTF-8 bytes, and only the
// hashing is timed, so the baseline is SHA-256 itself, not the reading around it — nor turning a string into bytes:
// hashed as the JavaScript strings hashPreimage joins, the first hash of each also flattened and encoded it, which
// made the baseline about twice as slow as SHA-256 of the bytes (measured on 300,000 preimages of a 100,000-ticket
// demo: 1.4–2.0 µs against 0.55–0.58 µs an event).
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../../electron/core/db/connection.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { preimageOfRow } from '../../electron/core/ledger/verify-range.ts';

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
  // The preimages as the chain check reads them (SQLite writes each one: ledger-repository.ts CHAIN_PREIMAGE), or built
  // from the row where it cannot. Reading nine columns and joining them here took longer (untimed, but wall time: 8.2 →
  // 6.9 s for 2,956,192 events on one thread), and the timed hashing of the same bytes measured 0.57 µs an event
  // against 0.45 now — likely the bytes still in the processor's cache, fewer others built between (not established).
  const ledger = new LedgerRepository(db);
  for (const rows of ledger.chainRowsInBatches(fromSeq, toSeq)) {
    for (const [seq, , storedHash, preimage] of rows) {
      chunk.push(Buffer.from(preimage ?? preimageOfRow(ledger, seq), 'utf8'));
      stored.push(storedHash);
      if (chunk.length === CHUNK) hashChunk();
    }
  }
  hashChunk();
  parentPort!.postMessage({ hashed, hashMs });
} finally {
  db.close();
}
