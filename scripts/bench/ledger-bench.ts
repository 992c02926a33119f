// Section "ledger" of `npm run bench`. Measures, in one run and on the same data, the ledger against a plain baseline:
//  1. import: the generator's history through the ledger (validate, canonicalize, dedupe, hash, chain)
//     vs the same lines inserted with a plain prepared statement and no hashing, into the same schema;
//  2. verify: `attest verify` over the ledger vs raw node:crypto SHA-256 over the same bytes.
// Prints events/s and ratios (goal: both >= 0.5). Timings are printed, never asserted.
import { createHash } from 'node:crypto';
import { hash } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { log, rate, seconds, time, type BenchContext } from './bench-kit.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { appendEventLines } from '../../electron/core/interchange/jsonl-import.ts';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { hashPreimage } from '../../electron/core/ledger/hashing.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { verifyLedgerParallel } from '../../electron/core/ledger/verify-parallel.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';

/** Leaves the imported ledger at ctx.ledgerDbPath and the history file at ctx.historyFile for later sections. */
export async function ledgerBench(ctx: BenchContext): Promise<void> {
  const { tickets, seed, dir } = ctx;

  // 0. The generator's history as a JSONL file, so both importers read exactly the same bytes.
  const historyFile = ctx.historyFile;
  const [events, generateMs] = time(() => {
    const fd = openSync(historyFile, 'w');
    let count = 0;
    let buffer: string[] = [];
    for (const line of generateDemoHistory({ tickets, seed })) {
      buffer.push(JSON.stringify(line));
      count++;
      if (buffer.length === 20_000) {
        writeSync(fd, buffer.join('\n') + '\n');
        buffer = [];
      }
    }
    writeSync(fd, buffer.join('\n') + (buffer.length ? '\n' : ''));
    closeSync(fd);
    return count;
  });
  log(`generate: ${events.toLocaleString('en-US')} events (${(statSync(historyFile).size / 2 ** 20).toFixed(0)} MiB) in ${seconds(generateMs)}`);

  // 1a. Through the ledger, one transaction for the file, as `attest import` does.
  const ledgerDb = openDatabase(ctx.ledgerDbPath);
  const [appended, ledgerMs] = time(() =>
    ledgerDb.transaction(() => appendEventLines(ledgerDb, { name: historyFile, lines: readLinesSync(historyFile), digest: createHash('sha256') }))(),
  );
  const [, projectMs] = time(() => rebuildAllProjections(ledgerDb));

  // 1b. Baseline: same lines, same schema, a plain prepared INSERT, no validation and no hashing.
  const plainDb = openDatabase(join(dir, 'plain.db'));
  const insert = plainDb.prepare('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const [plainCount, plainMs] = time(() =>
    plainDb.transaction(() => {
      let seq = 0;
      const recordedAt = new Date().toISOString();
      for (const { text } of readLinesSync(historyFile)) {
        if (!text) continue;
        const { ticket, type, at, ...payload } = JSON.parse(text) as Record<string, unknown>;
        const actor = (payload.author ?? payload.by ?? { kind: 'system' }) as object;
        insert.run(++seq, ticket, type, at, recordedAt, JSON.stringify(actor), JSON.stringify(payload), '', '');
      }
      return seq;
    })(),
  );
  plainDb.close();

  const ledgerRate = appended.eventsAdded / ledgerMs;
  const plainRate = plainCount / plainMs;
  log('');
  log(`import through the ledger: ${rate(appended.eventsAdded, ledgerMs)} (${seconds(ledgerMs)})`);
  log(`plain prepared INSERT:     ${rate(plainCount, plainMs)} (${seconds(plainMs)})`);
  log(`import ratio (ledger / plain): ${(ledgerRate / plainRate).toFixed(2)}   goal >= 0.5`);
  log(`(then projections for ${appended.touched.size.toLocaleString('en-US')} tickets rebuilt in ${seconds(projectMs)})`);

  // 2a. Verification of the whole chain, as `attest verify` does (worker threads, one per core).
  const verifyStarted = performance.now();
  const status = await verifyLedgerParallel(ledgerDb, ctx.ledgerDbPath);
  const verifyMs = performance.now() - verifyStarted;
  if (!status.intact) throw new Error(`benchmark ledger does not verify: ${status.message}`);

  // 2b. Baseline: raw SHA-256 over exactly the bytes verify hashes, built beforehand in chunks (untimed).
  const repository = new LedgerRepository(ledgerDb);
  let hashMs = 0;
  let hashed = 0;
  let chunk: string[] = [];
  const hashChunk = (): void => {
    const started = performance.now();
    for (const text of chunk) hash('sha256', text, 'hex');
    hashMs += performance.now() - started;
    hashed += chunk.length;
    chunk = [];
  };
  for (const [seq, ticket, type, at, recordedAt, actor, payload, prevHash] of repository.iterateRaw()) {
    chunk.push(hashPreimage({ seq, ticket, type, at, recordedAt, actor, payload, prevHash }));
    if (chunk.length === 100_000) hashChunk();
  }
  hashChunk();
  ledgerDb.close();

  log('');
  log(`attest verify (${availableParallelism()} threads): ${rate(status.eventCount, verifyMs)} (${seconds(verifyMs)}), head ${status.headHash}`);
  log(`raw node:crypto SHA-256 (1 thread): ${rate(hashed, hashMs)} (${seconds(hashMs)})`);
  log(`verify ratio (verify / raw SHA-256): ${(status.eventCount / verifyMs / (hashed / hashMs)).toFixed(2)}   goal >= 0.5`);
}
