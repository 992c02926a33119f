// The AI tests' common ground: each test of the calling suite gets a fresh Ollama stand-in on 127.0.0.1 and a new
// ledger file holding the sample knowledge base, and the stand-in is closed after it.
import { afterEach, beforeEach } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { tempDb } from './helpers.ts';

export const SAMPLE_KB = new URL('../../resources/kb/', import.meta.url).pathname;

/** Registers the hooks; `receive` gets each test's stand-in and ledger (and may prepare more). */
export function withStandInAndKb(receive: (standIn: StandIn, db: Db) => void): void {
  let standIn: StandIn | undefined;
  beforeEach(async () => {
    standIn = await startOllamaStandIn();
    const { db } = tempDb();
    importKnowledgeBase(db, SAMPLE_KB);
    receive(standIn, db);
  });
  afterEach(async () => {
    await standIn?.close();
  });
}
