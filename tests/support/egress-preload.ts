// Preload for child processes (node --import): records every outbound connection attempt, DNS lookup and fetch of
// the process (and its worker threads) to the file named by ATTEST_EGRESS_LOG, one JSON line each, and lets it
// through. tests/unit/no-egress.test.ts compares the record with the one host the process was told to use.
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { guardNetwork } from '../../scripts/network-guard.ts';

const log = process.env.ATTEST_EGRESS_LOG;
if (log) {
  guardNetwork((attempt) => appendFileSync(log, `${JSON.stringify({ pid: process.pid, thread: threadId, ...attempt })}\n`), { refuse: false });
}
