// The console's check thread (deep-worker.ts), counted: each start appends a line to the file named by
// ATTEST_TEST_CHECK_STARTS before the real worker runs, so a test can tell how many check threads a monitor started.
import { appendFileSync } from 'node:fs';

appendFileSync(process.env.ATTEST_TEST_CHECK_STARTS!, 'started\n');
await import('../../electron/core/verification/deep-worker.ts');
